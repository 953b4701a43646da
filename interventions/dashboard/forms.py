"""The form of the dashboard: the day it shows things as of, and the baseline slips are
measured against."""

from __future__ import annotations

from django import forms

from interventions.choices import SlipBaseline
from interventions.kit.widgets import DateInput


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Show the dashboard as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )
    against = forms.ChoiceField(
        required=False,
        label="Measure slipped milestones against",
        choices=SlipBaseline.choices,
        initial=SlipBaseline.ORIGINAL,
        help_text="The original baseline is the first end agreed. Approving a slip moves the "
        "last approved baseline, never the original one.",
        widget=forms.Select(attrs={"class": "govuk-select"}),
    )
