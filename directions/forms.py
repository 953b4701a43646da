"""Recording how the council is complying with a Direction."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from directions.choices import Compliance
from directions.models import Direction
from interventions.kit.forms import VersionedForm
from interventions.kit.widgets import DateInput


class ComplianceForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        help_text="Shown in the Direction's history beside your change.",
    )

    class Meta:
        model = Direction
        fields = ["compliance", "met_on", "compliance_source", "evidence"]
        widgets = {
            "compliance": forms.RadioSelect,
            "met_on": DateInput(),
            "compliance_source": forms.Textarea(attrs={"rows": 2}),
            "evidence": forms.Textarea(attrs={"rows": 6}),
        }
        labels = {
            "compliance": "Compliance",
            "met_on": "Date it was met (optional)",
            "compliance_source": "Where that is recorded (optional)",
            "evidence": "Evidence",
        }
        help_texts = {
            "met_on": "When compliance is Met: the day it was met, for example the day the Board "
            "agreed the plan. Without it, the Direction counts as met only from today.",
            "compliance_source": "The paper and paragraph, for example “Report to the Board, "
            "14 April 2025, paragraph 3.2”.",
            "evidence": "What shows the council is complying: decisions, papers, dates. "
            "Reports quote it.",
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        met_on = cleaned.get("met_on")
        if met_on is None:
            return cleaned
        if cleaned.get("compliance") != Compliance.MET:
            self.add_error("met_on", "Leave the date it was met empty unless compliance is Met.")
        elif met_on > timezone.localdate():
            self.add_error("met_on", "The date it was met must be today or earlier.")
        else:
            made_on = self.instance.direction_set.made_on
            if met_on < made_on:
                self.add_error(
                    "met_on",
                    "The date it was met must be on or after the date of the Directions "
                    f"({self.instance.direction_set.made_on_text}).",
                )
        return cleaned
