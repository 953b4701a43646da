"""Forms of expectations: recording one from a report, the council's answer, and the
oversight's judgement."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from interventions.kit.forms import VersionedForm, field_of
from interventions.kit.widgets import DateInput, GovukCheckboxes, GovukRadioSelect
from interventions.models import Evidence, Intervention, Person, Programme
from reports.choices import ExpectationJudgement, ReportStatus
from reports.models import Expectation, Report


def _report_label(report: Report) -> str:
    day = report.issued_on or report.as_of
    return f"{report.title} ({report.get_kind_display()}, {day.day} {day:%B %Y})"


class ReportChoiceField(forms.ModelChoiceField):
    """A report, named with its kind and date."""

    def label_from_instance(self, obj: Any) -> str:
        return _report_label(obj)


class EvidenceChoiceField(forms.ModelMultipleChoiceField):
    """Evidence, named with the programme it was added to."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.title} (programme {obj.programme.number})"


class ExpectationForm(VersionedForm):
    """What the improvement team records of an expectation: where it is, its words, when it is
    due, whom it falls to and what it is about."""

    class Meta:
        model = Expectation
        fields = [
            "report",
            "paragraph",
            "title",
            "quoted",
            "due_on",
            "due_wording",
            "owner",
            "programmes",
            "themes",
        ]
        widgets = {
            "title": forms.TextInput(),
            "paragraph": forms.TextInput(attrs={"class": "govuk-input govuk-input--width-5"}),
            "due_on": DateInput(),
            "programmes": GovukCheckboxes(),
            "themes": GovukCheckboxes(),
        }
        labels = {"report": "The report it is in", "owner": "Who answers it"}
        field_classes = {"report": ReportChoiceField}

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        report = field_of(self, "report", forms.ModelChoiceField)
        # Only an issued report sets expectations: issued here, or recorded as issued elsewhere.
        report.queryset = Report.objects.filter(
            intervention=intervention, status=ReportStatus.FINAL
        ).select_related("intervention")
        report.empty_label = None
        field_of(self, "owner", forms.ModelChoiceField).queryset = Person.objects.filter(
            intervention=intervention
        ).order_by("name", "post")
        field_of(self, "owner", forms.ModelChoiceField).empty_label = "Nobody yet"
        field_of(
            self, "programmes", forms.ModelMultipleChoiceField
        ).queryset = Programme.objects.filter(intervention=intervention).order_by("number")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        report, due_on = data.get("report"), data.get("due_on")
        if report is not None and due_on is not None:
            day = report.issued_on or report.as_of
            if due_on < day:
                self.add_error(
                    "due_on",
                    f"The due date must be on or after the day the report was issued "
                    f"({day.day} {day:%B %Y}).",
                )
        return data


class AnswerForm(forms.Form):
    """The council's answer to an expectation, with its evidence."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    answer = forms.CharField(
        label="Answer",
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What the council has done to meet it.",
        max_length=10000,
    )
    answered_on = forms.DateField(label="Answered on", widget=DateInput())
    evidence = EvidenceChoiceField(
        queryset=Evidence.objects.none(),
        required=False,
        widget=GovukCheckboxes(),
        help_text="Evidence already added to the plan's programmes. Add a file or link to a "
        "programme first to choose it here.",
    )
    evidence_url = forms.URLField(
        label="Evidence link (optional)",
        required=False,
        max_length=500,
        assume_scheme="https",
        help_text="Where else the evidence can be read, e.g. a published paper.",
    )

    def __init__(self, *args: Any, expectation: Expectation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expectation = expectation
        field_of(self, "evidence", forms.ModelMultipleChoiceField).queryset = (
            Evidence.objects.filter(intervention=expectation.intervention)
            .select_related("programme")
            .order_by("programme__number", "title")
        )
        if not self.is_bound:
            self.initial.update(
                version=expectation.version,
                answer=expectation.answer,
                answered_on=expectation.answered_on or timezone.localdate(),
                evidence=list(expectation.evidence.all()),
                evidence_url=expectation.evidence_url,
            )

    def clean_answered_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["answered_on"]
        set_on = self.expectation.set_on
        if day < set_on:
            raise forms.ValidationError(
                f"The answer cannot come before the report that set the expectation "
                f"({set_on.day} {set_on:%B %Y})."
            )
        if day > timezone.localdate():
            raise forms.ValidationError("The answer cannot be dated in the future.")
        return day


class JudgementForm(forms.Form):
    """The oversight's judgement of an expectation."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    judgement = forms.ChoiceField(
        choices=ExpectationJudgement.choices, widget=GovukRadioSelect(), label="Judgement"
    )
    judged_on = forms.DateField(label="Judged on", widget=DateInput())
    judged_in = ReportChoiceField(
        queryset=Report.objects.none(),
        required=False,
        label="The report that gives the judgement (optional)",
        empty_label="Not recorded here",
    )
    commentary = forms.CharField(
        label="Commentary",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why it was judged so.",
        max_length=10000,
    )

    def __init__(self, *args: Any, expectation: Expectation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.expectation = expectation
        judged_in = field_of(self, "judged_in", forms.ModelChoiceField)
        judged_in.queryset = (
            Report.objects.filter(intervention=expectation.intervention)
            .exclude(pk=expectation.report_id)
            .select_related("intervention")
        )
        if not self.is_bound:
            self.initial.update(
                version=expectation.version,
                judgement=expectation.judgement,
                judged_on=expectation.judged_on or timezone.localdate(),
                judged_in=expectation.judged_in,
                commentary=expectation.judgement_commentary,
            )

    def clean_judged_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["judged_on"]
        set_on = self.expectation.set_on
        if day < set_on:
            raise forms.ValidationError(
                f"The judgement cannot come before the report that set the expectation "
                f"({set_on.day} {set_on:%B %Y})."
            )
        if day > timezone.localdate():
            raise forms.ValidationError("The judgement cannot be dated in the future.")
        return day
