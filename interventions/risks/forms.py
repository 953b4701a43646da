"""Forms of the RAID log: a risk, its review, its closing and its mitigations."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from interventions.kit.forms import VersionedForm, field_of
from interventions.kit.widgets import DateInput, GovukRadioSelect
from interventions.models import Intervention, Mitigation, Person, Programme, Risk
from interventions.models.risks import IMPACT_CHOICES, LIKELIHOOD_CHOICES, RiskKind, RiskStatus

SCORES = ("inherent_likelihood", "inherent_impact", "residual_likelihood", "residual_impact")
# Each score's choices, starting with a blank one, so that a score left unchosen is refused
# rather than taken as 1.
SCALE_CHOICES: dict[str, list[tuple[int | str, str]]] = {
    name: [("", "Choose"), *(LIKELIHOOD_CHOICES if name.endswith("likelihood") else IMPACT_CHOICES)]
    for name in SCORES
}


def _not_future(day: datetime.date | None, what: str) -> None:
    if day and day > timezone.localdate():
        raise forms.ValidationError(f"{what} cannot be in the future.")


def _people(intervention: Intervention) -> Any:
    return Person.objects.filter(intervention=intervention).order_by("name", "post")


class RiskForm(VersionedForm):
    """What the improvement team (or the risk's owner) writes about a risk."""

    class Meta:
        model = Risk
        fields = [
            "kind",
            "reference",
            "title",
            "description",
            "cause",
            "effect",
            "programme",
            "depends_on_programme",
            "depends_on_body",
            "owner",
            *SCORES,
            "raised_on",
            "review_on",
            "source",
        ]
        widgets = {
            "title": forms.TextInput(),
            "kind": GovukRadioSelect(),
            "raised_on": DateInput(),
            "review_on": DateInput(),
        }
        help_texts = {
            "inherent_likelihood": "Before any mitigation: 1 rare to 5 almost certain.",
            "inherent_impact": "Before any mitigation: 1 negligible to 5 severe.",
            "residual_likelihood": "With the mitigations in place.",
            "residual_impact": "With the mitigations in place.",
        }

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        programmes = Programme.objects.filter(intervention=intervention).order_by("number")
        field_of(self, "programme", forms.ModelChoiceField).queryset = programmes
        field_of(self, "programme", forms.ModelChoiceField).empty_label = "None: plan-wide"
        depends = field_of(self, "depends_on_programme", forms.ModelChoiceField)
        depends.queryset = programmes
        depends.empty_label = "None"
        owner = field_of(self, "owner", forms.ModelChoiceField)
        owner.queryset = _people(intervention)
        owner.empty_label = "None"
        field_of(self, "kind", forms.ChoiceField).choices = RiskKind.choices
        for name in SCORES:
            field_of(self, name, forms.TypedChoiceField).choices = SCALE_CHOICES[name]
        if not self.is_bound and self.instance.pk is None:
            # The instance's empty date would win over the field's initial value.
            self.initial["raised_on"] = timezone.localdate()

    def clean_raised_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["raised_on"]
        _not_future(day, "The day it was raised")
        return day

    def clean_reference(self) -> str:
        reference: str = self.cleaned_data.get("reference", "").strip()
        taken = Risk.objects.filter(intervention=self.intervention, reference=reference)
        if reference and taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(f"{reference} is already the reference of another entry.")
        return reference

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        depends_programme, body = data.get("depends_on_programme"), data.get("depends_on_body")
        if kind == RiskKind.DEPENDENCY:
            if not depends_programme and not body:
                self.add_error(
                    "depends_on_programme",
                    "Say what it depends on: another programme or a body outside the council.",
                )
            if depends_programme and depends_programme == data.get("programme"):
                self.add_error(
                    "depends_on_programme", "A programme cannot depend on itself: choose another."
                )
        elif depends_programme or body:
            self.add_error(
                "kind", "Only a dependency depends on a programme or a body: choose Dependency."
            )
        raised, review = data.get("raised_on"), data.get("review_on")
        if raised and review and review < raised:
            self.add_error("review_on", "The next review cannot be before the day it was raised.")
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.intervention = self.intervention
        return super().save(commit=commit)


class ReviewForm(VersionedForm):
    """A review of a risk: the day it was held, the residual scores it gave and the next
    review date."""

    reviewed_on = forms.DateField(label="Date of the review", widget=DateInput())
    note = forms.CharField(
        label="What the review found",
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Recorded in the risk's history.",
    )

    class Meta:
        model = Risk
        fields = ["residual_likelihood", "residual_impact", "review_on"]
        widgets = {"review_on": DateInput()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["review_on"].required = True
        for name in ("residual_likelihood", "residual_impact"):
            field_of(self, name, forms.TypedChoiceField).choices = SCALE_CHOICES[name]
        if not self.is_bound:
            self.initial["reviewed_on"] = timezone.localdate()
            # The review sets the next date: the one it is held for has passed, or soon will.
            self.initial["review_on"] = None
        self.order_fields(["reviewed_on", "residual_likelihood", "residual_impact", "review_on"])

    def clean_reviewed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["reviewed_on"]
        _not_future(day, "The date of the review")
        if day < self.instance.raised_on:
            raise forms.ValidationError(
                "The review cannot be before the day the risk was raised "
                f"({self.instance.raised_on:%-d %B %Y})."
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.is_open:
            raise forms.ValidationError("This risk is closed: it is not reviewed any more.")
        reviewed, review = data.get("reviewed_on"), data.get("review_on")
        if reviewed and review and review <= reviewed:
            self.add_error("review_on", "The next review must be after this one.")
        return data

    def save(self, commit: bool = True) -> Any:
        self.instance.last_reviewed_on = self.cleaned_data["reviewed_on"]
        return super().save(commit=commit)


class CloseForm(VersionedForm):
    """Closing a risk: the day and why."""

    class Meta:
        model = Risk
        fields = ["closed_on", "closure_note"]
        widgets = {"closed_on": DateInput()}
        labels = {"closed_on": "Date closed", "closure_note": "Why it is closed"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["closed_on"].required = True
        self.fields["closure_note"].required = True
        if not self.is_bound:
            self.initial["closed_on"] = timezone.localdate()

    def clean_closed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["closed_on"]
        _not_future(day, "The date closed")
        if day < self.instance.raised_on:
            raise forms.ValidationError("It cannot be closed before the day it was raised.")
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.instance.is_open:
            raise forms.ValidationError("This risk is already closed.")
        # Before the model's checks run: a closed risk has its date, an open one none.
        self.instance.status = RiskStatus.CLOSED
        return data


class MitigationForm(VersionedForm):
    """An action that lowers the risk: who, by when, and the day it was done."""

    class Meta:
        model = Mitigation
        fields = ["action", "owner", "due_on", "done_on"]
        widgets = {
            "action": forms.Textarea(attrs={"rows": 3}),
            "due_on": DateInput(),
            "done_on": DateInput(),
        }

    def __init__(self, *args: Any, risk: Risk, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.risk = risk
        owner = field_of(self, "owner", forms.ModelChoiceField)
        owner.queryset = _people(risk.intervention)
        owner.empty_label = "None"

    def clean_done_on(self) -> datetime.date | None:
        day: datetime.date | None = self.cleaned_data.get("done_on")
        _not_future(day, "The day it was done")
        return day

    def save(self, commit: bool = True) -> Any:
        self.instance.risk = self.risk
        return super().save(commit=commit)
