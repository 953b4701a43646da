"""Forms of success measures: a measure, a reading, and the two agreements."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone

from interventions.choices import MeasureDirection, MeasureFrequency
from interventions.kit.forms import VersionedForm, field_of
from interventions.kit.widgets import DateInput, GovukRadioSelect
from interventions.models import Intervention, Measure, MeasureReading, Person, Programme
from interventions.models import StrategicAim as Aim

# Changing any of these changes what was agreed: an agreed measure is proposed again.
AGREED_TERMS = (
    "title",
    "unit",
    "baseline_value",
    "baseline_on",
    "target_value",
    "target_on",
    "direction",
)


class MeasureForm(VersionedForm):
    """What the improvement team writes about a measure."""

    class Meta:
        model = Measure
        fields = [
            "title",
            "rationale",
            "aim",
            "programme",
            "theme",
            "unit",
            "direction",
            "baseline_value",
            "baseline_on",
            "target_value",
            "target_on",
            "source",
            "owner",
            "frequency",
            "proposed_on",
        ]
        widgets = {
            "title": forms.TextInput(),
            "baseline_on": DateInput(),
            "target_on": DateInput(),
            "proposed_on": DateInput(),
            "direction": GovukRadioSelect(),
            "frequency": GovukRadioSelect(),
        }
        help_texts = {
            "aim": "Link it to an aim, a programme or a Best Value theme (at least one).",
            "baseline_value": "The figure at the start, in the unit above.",
            "target_value": "The figure that shows what good looks like.",
            "theme": "The dashboard and the reports group measures by their theme.",
        }

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        field_of(self, "aim", forms.ModelChoiceField).queryset = Aim.objects.filter(
            intervention=intervention
        )
        field_of(self, "programme", forms.ModelChoiceField).queryset = Programme.objects.filter(
            intervention=intervention
        )
        field_of(self, "owner", forms.ModelChoiceField).queryset = Person.objects.filter(
            intervention=intervention
        ).order_by("name", "post")
        for name in ("aim", "programme", "theme", "owner"):
            field_of(self, name, forms.ModelChoiceField).empty_label = "None"
        if not self.is_bound and self.instance.pk is None:
            self.fields["proposed_on"].initial = timezone.localdate()
        # Radios, without the blank choice a model field's select would offer.
        field_of(self, "direction", forms.ChoiceField).choices = MeasureDirection.choices
        field_of(self, "frequency", forms.ChoiceField).choices = MeasureFrequency.choices

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("aim") or data.get("programme") or data.get("theme")):
            self.add_error("aim", "Choose the aim, programme or Best Value theme it measures.")
        baseline_on, target_on = data.get("baseline_on"), data.get("target_on")
        if baseline_on and target_on and target_on <= baseline_on:
            self.add_error("target_on", "The target date must be after the baseline date.")
        proposed_on = data.get("proposed_on")
        if proposed_on and proposed_on > timezone.localdate():
            self.add_error("proposed_on", "The day it was proposed cannot be in the future.")
        return data

    @property
    def changes_agreed_terms(self) -> bool:
        """Whether this edit changes what an agreed measure's agreement was about."""
        return self.instance.pk is not None and any(
            name in self.changed_data for name in AGREED_TERMS
        )


class ReadingForm(VersionedForm):
    """A reading, entered by the measure's owner."""

    class Meta:
        model = MeasureReading
        fields = ["taken_on", "value", "commentary", "evidence_url"]
        widgets = {"taken_on": DateInput(), "evidence_url": forms.URLInput()}

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.measure = measure
        self.fields["value"].label = f"Value ({measure.unit})"
        if not self.is_bound and self.instance.pk is None:
            self.fields["taken_on"].initial = timezone.localdate()

    def clean_taken_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["taken_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date of a reading cannot be in the future.")
        taken = MeasureReading.objects.filter(measure=self.measure, taken_on=day).exclude(
            pk=self.instance.pk
        )
        if taken.exists():
            raise forms.ValidationError(
                f"There is already a reading for {day.day} {day:%B %Y}: correct that one instead."
            )
        return day

    def save(self, commit: bool = True) -> Any:
        self.instance.measure = self.measure
        return super().save(commit=commit)


class OversightAgreementForm(forms.Form):
    """The oversight agrees a measure: on which day."""

    agreed_on = forms.DateField(label="Date agreed", widget=DateInput())

    def clean_agreed_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["agreed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date agreed cannot be in the future.")
        return day


class BoardAgreementForm(OversightAgreementForm):
    """The improvement team records that the Board agreed a measure: when and where."""

    agreed_at = forms.CharField(
        label="Where the Board agreed it",
        max_length=300,
        help_text="The meeting and the item or minute, e.g. 14 July 2025 meeting, item 4.",
    )
