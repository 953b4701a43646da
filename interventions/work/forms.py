"""The form an officer fills in for a programme's update for one reporting period."""

from __future__ import annotations

from typing import Any

from django import forms

from interventions.choices import RAG, RAG_DEFINITIONS, WorkStatus
from interventions.dates.periods import ReportingPeriod
from interventions.kit.forms import field_of
from interventions.models import ProgrammeUpdate
from interventions.work.items import UPDATE_FIELDS


class RagRadios(forms.RadioSelect):
    """RAG as radios; includes/radios.html shows each choice's definition as its hint."""

    definitions = RAG_DEFINITIONS


class ProgrammeUpdateForm(forms.ModelForm):
    """A programme's update for a period. `version` is the version the form was opened at,
    0 when there was no update yet, so that a later save by someone else is noticed."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = ProgrammeUpdate
        fields = UPDATE_FIELDS
        widgets = {
            "rag": RagRadios,
            "status": forms.RadioSelect,
            "summary": forms.Textarea(attrs={"rows": 6}),
            "next_steps": forms.Textarea(attrs={"rows": 4}),
            "risks": forms.Textarea(attrs={"rows": 4}),
            "decisions_needed": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "rag": "How is delivery going?",
            "status": "Where is the programme now?",
            "summary": "Summary of progress",
            "next_steps": "Next steps (optional)",
            "risks": "Risks and issues to escalate (optional)",
            "decisions_needed": "Decisions needed (optional)",
        }
        help_texts = {
            "rag": "Choose the RAG rating the Board will read. This is the programme's RAG: "
            "the dashboard and reports show the latest update's.",
            "status": "The programme's status from this period on.",
            "next_steps": "What happens in the next period.",
            "risks": "What could stop the programme delivering, and what is being done about it.",
            "decisions_needed": "Decisions the Board or the council must take for the "
            "programme to stay on track.",
        }
        error_messages = {
            "rag": {"required": "Select how delivery is going"},
            "status": {"required": "Select where the programme is now"},
            "summary": {"required": "Enter a summary of progress"},
        }

    def __init__(self, *args: Any, period: ReportingPeriod, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "rag", forms.ChoiceField).choices = RAG.choices  # no empty "---------" radio
        field_of(self, "status", forms.ChoiceField).choices = WorkStatus.choices
        self.fields["summary"].help_text = f"What the programme did and achieved in {period.label}."
        if not self.is_bound:
            self.fields["version"].initial = self.instance.version if self.instance.pk else 0

    def update_data(self) -> dict[str, Any]:
        """The cleaned values of the update's own fields."""
        return {name: self.cleaned_data[name] for name in UPDATE_FIELDS}
