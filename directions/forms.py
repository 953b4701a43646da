"""Recording how the council is complying with a Direction."""

from __future__ import annotations

from django import forms

from directions.models import Direction
from interventions.kit.forms import VersionedForm


class ComplianceForm(VersionedForm):
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        help_text="Shown in the Direction's history beside your change.",
    )

    class Meta:
        model = Direction
        fields = ["compliance", "evidence"]
        widgets = {"compliance": forms.RadioSelect, "evidence": forms.Textarea(attrs={"rows": 6})}
        labels = {"compliance": "Compliance", "evidence": "Evidence"}
        help_texts = {
            "evidence": "What shows the council is complying: decisions, papers, dates. "
            "Reports to the Board and the Secretary of State quote it."
        }
