"""Forms for starting a report and writing its narrative."""

from __future__ import annotations

from typing import Any

from django import forms

from interventions.models import Theme
from interventions.update_forms import VersionedForm
from reports.choices import SECTIONS, ReportKind
from reports.models import Report


class ReportCreateForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["kind", "title", "as_of", "full_council_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "as_of": forms.DateInput(attrs={"type": "date"}),
            "full_council_on": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {
            "kind": "Kind of report",
            "as_of": "As of",
            "full_council_on": "Date Full Council considers it (reports to the Secretary of "
            "State only)",
        }
        help_texts = {
            "title": "As it appears on the cover, e.g. “Report to the Secretary of State, July "
            "2025”.",
            "as_of": "The report shows the record as it stood at the end of this day. For the "
            "Board's quarterly report, a day in the quarter it covers (usually its last).",
        }

    def __init__(self, *args: Any, kinds: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kinds is not None:
            self.fields["kind"].choices = [c for c in ReportKind.choices if c[0] in kinds]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("full_council_on") and data.get("kind") != ReportKind.SOS:
            self.add_error(
                "full_council_on", "Only reports to the Secretary of State go to Full Council."
            )
        return data


class ReportNarrativeForm(VersionedForm):
    """The words of a draft: foreword, summary, commentary for each section of its kind and,
    for a stocktake, the Envoys' judgement for each Best Value theme."""

    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        help_text="Shown in the report's history beside your change.",
    )

    class Meta:
        model = Report
        fields = ["title", "as_of", "full_council_on", "foreword", "summary"]
        widgets = {
            "as_of": forms.DateInput(attrs={"type": "date"}),
            "full_council_on": forms.DateInput(attrs={"type": "date"}),
            "foreword": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {"as_of": "As of", "full_council_on": "Date Full Council considers it"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        report: Report = self.instance
        if report.kind != ReportKind.SOS:
            del self.fields["full_council_on"]
        self.section_keys = [key for key, _ in SECTIONS[report.kind]]
        for key, title in SECTIONS[report.kind]:
            self.fields[f"commentary_{key}"] = forms.CharField(
                label=f"Commentary: {title}",
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                initial=report.commentary_for(key),
            )
        self.themes = list(Theme.objects.order_by("position"))
        if report.kind == ReportKind.STOCKTAKE:
            for theme in self.themes:
                self.fields[f"judgement_{theme.slug}"] = forms.CharField(
                    label=f"The Envoys' judgement: {theme.name}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    initial=report.judgement_for(theme.slug),
                )
        # The reason goes last, after everything it explains.
        self.fields["reason"] = self.fields.pop("reason")

    def save(self, commit: bool = True) -> Report:
        report = super().save(commit=False)
        data = self.cleaned_data
        report.commentary = {
            key: data[f"commentary_{key}"]
            for key in self.section_keys
            if data.get(f"commentary_{key}")
        }
        if report.kind == ReportKind.STOCKTAKE:
            report.judgements = {
                theme.slug: data[f"judgement_{theme.slug}"]
                for theme in self.themes
                if data.get(f"judgement_{theme.slug}")
            }
        report.previous = report.find_previous()
        if commit:
            report.save()
        return report
