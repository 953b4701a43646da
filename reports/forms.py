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
from reports import drafting
from reports.choices import MAX_SIGNATORIES, SECTIONS, ThemeRating
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
        fields = [
            "title",
            "as_of",
            "full_council_on",
            "slips_against",
            "addressed_to",
            "addressee_address",
            "salutation",
            "letter_body",
            "sign_off",
            "summary",
            "foreword",
            "new_recommendations",
        ]
        widgets = {
            "as_of": DateInput(),
            "full_council_on": DateInput(),
            "slips_against": forms.RadioSelect,
            "addressee_address": forms.Textarea(attrs={"rows": 4}),
            "letter_body": forms.Textarea(attrs={"rows": 8}),
            "foreword": forms.Textarea(attrs={"rows": 5}),
            "summary": forms.Textarea(attrs={"rows": 8}),
            "new_recommendations": forms.Textarea(attrs={"rows": 8}),
        }
        labels = {
            "as_of": "As of",
            "full_council_on": "Date Full Council considers it",
            "slips_against": "Count a milestone as slipped when its forecast end is later than",
            "addressed_to": "Addressee",
            "addressee_address": "Addressee's address (optional)",
            "letter_body": "Covering letter",
            "summary": "Executive summary",
            "foreword": "Foreword (optional)",
        }
        help_texts = {
            "slips_against": "The original baseline is the first end agreed; approving a slip "
            "through change control moves the last approved baseline, never the original.",
            "addressed_to": "Who the letter is to, e.g. “Minister of State”.",
            "addressee_address": "One line each, as it should print under the addressee.",
            "letter_body": "The letter's paragraphs; the report follows it.",
            "summary": "Section 1 of the report. Each paragraph is numbered (1.1, 1.2 …).",
            "new_recommendations": "One paragraph for each recommendation; each is numbered.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        report: Report = self.instance
        # Left out of a post, the draft keeps the baseline it measures slips against.
        self.fields["slips_against"].required = False
        if report.kind != ReportKind.SOS:
            del self.fields["full_council_on"]
        if report.kind != ReportKind.STOCKTAKE:
            del self.fields["new_recommendations"]
        # The letter's signatories: a name and a role for each, in the order they sign.
        signatories = [s for s in (report.signatories or []) if isinstance(s, dict)]
        for index in range(1, MAX_SIGNATORIES + 1):
            known = signatories[index - 1] if index <= len(signatories) else {}
            self.fields[f"signatory_{index}_name"] = forms.CharField(
                label=f"Signatory {index}: name",
                required=False,
                max_length=200,
                initial=known.get("name", ""),
            )
            self.fields[f"signatory_{index}_role"] = forms.CharField(
                label=f"Signatory {index}: role",
                required=False,
                max_length=200,
                initial=known.get("role", ""),
            )
        # A narrative for each Direction in force on the as-of date, pre-filled when the draft
        # was started (`reports.drafting`): one written for a Direction not yet in force then
        # (the as-of date moved) starts from its record too.
        self.directions = drafting.directions_in_force(report)
        for direction, prefill in self.directions:
            key = str(direction.id)
            stored = (report.direction_commentary or {}).get(key)
            self.fields[f"direction_{key}"] = forms.CharField(
                label=f"Progress narrative: Direction {direction.ref}"
                + (f", {direction.short_title}" if direction.short_title else ""),
                required=False,
                widget=forms.Textarea(attrs={"rows": 5}),
                initial=prefill if stored is None else stored,
            )
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
                self.fields[f"rating_{theme.slug}"] = forms.ChoiceField(
                    label=f"Rating: {theme.name}",
                    required=False,
                    choices=[("", "Not rated"), *ThemeRating.choices],
                    widget=forms.RadioSelect,
                    initial=report.rating_for(theme.slug),
                )
                self.fields[f"judgement_{theme.slug}"] = forms.CharField(
                    label=f"{judgement}: {theme.name}",
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 5}),
                    initial=report.judgement_for(theme.slug),
                )
        # The reason goes last, after everything it explains.
        self.fields["reason"] = self.fields.pop("reason")
        self.order_fields([name for _, names in self._group_names() for name in names])

    def _group_names(self) -> list[tuple[str, list[str]]]:
        """The page's headings and the fields under each, in reading order."""
        names = list(self.fields)

        def starting(*prefixes: str) -> list[str]:
            return [n for n in names if n.startswith(prefixes)]

        groups = [
            ("The report", ["title", "as_of", "full_council_on", "slips_against"]),
            (
                "Covering letter",
                ["addressed_to", "addressee_address", "salutation", "letter_body", "sign_off"]
                + starting("signatory_"),
            ),
            ("Executive summary", ["summary", "foreword"]),
            ("Judgement by Best Value theme", starting("rating_", "judgement_")),
            ("Progress against each Direction", starting("direction_")),
            ("Commentary for each section", starting("commentary_")),
            ("New recommendations", ["new_recommendations"]),
            ("Your change", ["reason"]),
        ]
        return [
            (heading, [n for n in group if n in self.fields])
            for heading, group in groups
            if any(n in self.fields for n in group)
        ]

    def groups(self) -> list[tuple[str, list[Any]]]:
        """The page's headings, each with its bound fields."""
        return [(heading, [self[n] for n in names]) for heading, names in self._group_names()]

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
            report.theme_ratings = {
                theme.slug: data[f"rating_{theme.slug}"]
                for theme in self.themes
                if data.get(f"rating_{theme.slug}")
            }
        report.signatories = [
            {
                "name": data.get(f"signatory_{index}_name", "").strip(),
                "role": data.get(f"signatory_{index}_role", "").strip(),
            }
            for index in range(1, MAX_SIGNATORIES + 1)
            if data.get(f"signatory_{index}_name", "").strip()
            or data.get(f"signatory_{index}_role", "").strip()
        ]
        # An emptied narrative stays empty (it is kept as ""), rather than being written
        # again from the record.
        commentary = dict(report.direction_commentary or {})
        for direction, _ in self.directions:
            commentary[str(direction.id)] = data.get(f"direction_{direction.id}", "")
        report.direction_commentary = commentary
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
