"""Forms of the deadline pages: a calendar feed's scope, and a new interval for a recurring duty."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms

from directions.models import Direction, IntervalVariation, ReportingDuty
from interventions.kit.forms import field_of
from interventions.kit.widgets import DateInput


class FeedForm(forms.Form):
    mine_only = forms.TypedChoiceField(
        label="Which deadlines should the feed include?",
        choices=[
            ("", "Every deadline of the intervention"),
            ("1", "Only the deadlines I am responsible for"),
        ],
        coerce=bool,
        empty_value=False,  # type: ignore[arg-type]  # any value is allowed; the stubs say str
        required=False,
        widget=forms.RadioSelect,
    )


class VariationForm(forms.ModelForm):
    reason = forms.CharField(
        label="Reason for the change",
        help_text="Recorded in the history, e.g. the minute of the Board's decision.",
        widget=forms.TextInput(attrs={"class": "govuk-input"}),
    )

    class Meta:
        model = IntervalVariation
        fields = ["effective_from", "interval_months", "directed_by", "note"]
        labels = {
            "effective_from": "From",
            "interval_months": "New interval in months",
            "directed_by": "Directed by",
        }
        help_texts = {
            "effective_from": "The first occurrence at the new interval falls on or after this "
            "date.",
            "directed_by": "For example, the Board or the Secretary of State.",
        }
        widgets = {
            "effective_from": DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
            "interval_months": forms.NumberInput(
                attrs={"class": "govuk-input govuk-input--width-3"}
            ),
            "directed_by": forms.TextInput(attrs={"class": "govuk-input"}),
            "note": forms.Textarea(attrs={"class": "govuk-textarea", "rows": 3}),
        }

    def __init__(self, *args: Any, owner: Direction | ReportingDuty, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.owner = owner
        field_of(self, "interval_months", forms.IntegerField).min_value = 1
        self.fields["interval_months"].validators.append(_at_least_one)

    def clean_effective_from(self) -> datetime.date:
        day = self.cleaned_data["effective_from"]
        others = self.owner.variations.exclude(pk=self.instance.pk)
        if others.filter(effective_from=day).exists():
            raise forms.ValidationError("The interval already changes on this date.")
        return day


def _at_least_one(value: int) -> None:
    if value < 1:
        raise forms.ValidationError("The interval must be at least one month.")
