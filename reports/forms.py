"""Forms for starting a report, writing its narrative, and recording a report issued outside
Stocktake."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from directions.choices import ReportKind
from interventions.choices import DatePrecision
from interventions.kit.forms import VersionedForm, field_of
from interventions.kit.widgets import DateInput
from interventions.models import Intervention, Theme
from reports.choices import SECTIONS
from reports.models import Report


class ReportCreateForm(forms.ModelForm):
    class Meta:
        model = Report
        fields = ["kind", "title", "as_of", "full_council_on"]
        widgets = {
            "kind": forms.RadioSelect,
            "as_of": DateInput(),
            "full_council_on": DateInput(),
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

    def __init__(
        self,
        *args: Any,
        intervention: Intervention,
        kinds: list[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # The kinds of the intervention's model, as it names them.
        field_of(self, "kind", forms.ChoiceField).choices = intervention.words.report_choices(kinds)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("full_council_on") and data.get("kind") != ReportKind.SOS:
            self.add_error(
                "full_council_on", "Only reports to the Secretary of State go to Full Council."
            )
        return data


class ReportNarrativeForm(VersionedForm):
    """The words of a draft: foreword, summary, commentary for each section of its kind and,
    for a stocktake, the oversight's judgement for each Best Value theme."""

    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        help_text="Shown in the report's history beside your change.",
    )

    class Meta:
        model = Report
        fields = ["title", "as_of", "full_council_on", "slips_against", "foreword", "summary"]
        widgets = {
            "as_of": DateInput(),
            "full_council_on": DateInput(),
            "slips_against": forms.RadioSelect,
            "foreword": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "as_of": "As of",
            "full_council_on": "Date Full Council considers it",
            "slips_against": "Count a milestone as slipped when its forecast end is later than",
        }
        help_texts = {
            "slips_against": "The original baseline is the first end agreed; approving a slip "
            "through change control moves the last approved baseline, never the original.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        report: Report = self.instance
        # Left out of a post, the draft keeps the baseline it measures slips against.
        self.fields["slips_against"].required = False
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
            judgement = f"{report.intervention.words.oversight_possessive} judgement"
            judgement = judgement[0].upper() + judgement[1:]
            for theme in self.themes:
                self.fields[f"judgement_{theme.slug}"] = forms.CharField(
                    label=f"{judgement}: {theme.name}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    initial=report.judgement_for(theme.slug),
                )
        # The reason goes last, after everything it explains.
        self.fields["reason"] = self.fields.pop("reason")

    def clean_slips_against(self) -> str:
        chosen: str = self.cleaned_data.get("slips_against") or self.instance.slips_against
        return chosen

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


class ReportIssuedElsewhereForm(forms.ModelForm):
    """A report issued outside Stocktake: what it is, who issued it, when, and where it is.

    The form is given an unsaved record already marked as issued elsewhere, so that the
    model's own rules for such records (`Report.clean`) check the input too.
    """

    class Meta:
        model = Report
        fields = [
            "kind",
            "title",
            "issued_on_date",
            "issued_on_precision",
            "as_of",
            "issued_by",
            "addressed_to",
            "published_url",
            "document_reference",
            "full_council_on",
        ]
        widgets = {
            "kind": forms.RadioSelect,
            "issued_on_date": DateInput(),
            "issued_on_precision": forms.RadioSelect,
            "as_of": DateInput(),
            "full_council_on": DateInput(),
        }
        labels = {
            "kind": "Kind of report",
            "title": "Title",
            "issued_on_date": "Issued on",
            "issued_on_precision": "How much of that date the record gives",
            "as_of": "As of (optional)",
            "issued_by": "Issued by",
            "addressed_to": "Addressed to (optional)",
            "published_url": "Address where it is published",
            "document_reference": "Document reference",
            "full_council_on": "Date Full Council considered it (reports to the Secretary of "
            "State only)",
        }
        help_texts = {
            "title": "As the document gives it.",
            "issued_on_date": "The day it was issued. It counts towards the reporting duty "
            "from that day.",
            "issued_on_precision": "Day, or month or year when the record dates it no more "
            "precisely: enter the first day of that month or year above.",
            "as_of": "The day it describes things as they stood. Leave empty if that is the "
            "day it was issued.",
            "addressed_to": "E.g. “Minister of State”.",
            "published_url": "A web address starting https://. Give this, a document "
            "reference, or both.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        words = self.instance.intervention.words
        field_of(self, "kind", forms.ChoiceField).choices = words.report_choices()
        self.fields["issued_by"].help_text = f"Who issued it, e.g. “{words.oversight_body}”."
        self.fields["document_reference"].help_text = (
            "What finds the document if it has no web address, e.g. “Letter of 21 May 2025 "
            f"from the {words.oversight_body}”."
        )
        # Most records give the day: a form that does not say so means the day.
        self.fields["issued_on_precision"].required = False
        self.fields["as_of"].required = False
        self.fields["issued_on_date"].required = True
        self.fields["issued_by"].required = True
        self.fields["issued_on_date"].error_messages["required"] = "Enter the date it was issued."
        self.fields["issued_by"].error_messages["required"] = "Enter who issued it."
        self.fields["title"].error_messages["required"] = "Enter the report's title."
        self.fields["kind"].error_messages["required"] = "Choose the kind of report."
        for name in ("issued_on_date", "as_of", "full_council_on"):
            self.fields[name].error_messages["invalid"] = "Enter a real date."
        self.fields["published_url"].error_messages["invalid"] = (
            "Enter a web address starting https:// or http://."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        issued_on = data.get("issued_on_date")
        if issued_on and issued_on > timezone.localdate():
            self.add_error("issued_on_date", "The date it was issued must be today or earlier.")
        if not data.get("as_of") and "as_of" not in self.errors and issued_on:
            data["as_of"] = issued_on
        if not data.get("issued_on_precision"):
            data["issued_on_precision"] = DatePrecision.DAY
        return data


class ReportCorrectionForm(VersionedForm, ReportIssuedElsewhereForm):
    """A correction to the record of a report issued outside Stocktake, with its reason."""

    reason = forms.CharField(
        label="Reason for the correction",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the record's history beside your correction.",
        error_messages={"required": "Enter the reason for the correction."},
    )

    class Meta(ReportIssuedElsewhereForm.Meta):
        pass
