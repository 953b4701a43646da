"""The form of the dashboard: the day it shows things as of."""

from __future__ import annotations

from django import forms

from interventions.kit.widgets import DateInput


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        required=False,
        label="Show the dashboard as of",
        help_text="Leave empty for today.",
        widget=DateInput(),
    )
