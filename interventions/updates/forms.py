"""Forms officers use to keep programmes and milestones up to date, ask for a change to an
agreed milestone, and delegate a programme or milestone to someone else."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from interventions.choices import RAG, RAG_DEFINITIONS, ChangeKind, WorkStatus
from interventions.kit.forms import EffectiveDateForm, VersionedForm, field_of
from interventions.kit.widgets import DateInput
from interventions.models import Delegation, Milestone, Person, Programme
from interventions.updates.change_control import slips_past_baseline


class RagRadios(forms.RadioSelect):
    """RAG as radios; the template shows each choice's definition beside it."""

    definitions = RAG_DEFINITIONS


class ProgrammeStatusForm(EffectiveDateForm):
    reason = forms.CharField(
        label="Reason for the change (optional)",
        required=False,
        max_length=500,
        help_text="Shown in the programme's history beside your change.",
    )

    # The RAG and status are set in the quarter's update (`ProgrammeUpdate`), the one place
    # they are entered, so that the programme's and its update's cannot disagree.
    class Meta:
        model = Programme
        fields = ["phase"]


class MilestoneUpdateForm(EffectiveDateForm):
    reason = forms.CharField(
        label="Reason for the change",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when the forecast end moves past the baseline end: that goes to the "
        "improvement team to approve. Otherwise optional; shown in the history.",
    )

    class Meta:
        model = Milestone
        fields = [
            "status",
            "rag",
            "percent_complete",
            "forecast_start",
            "forecast_end",
            "commentary",
            "next_steps",
        ]
        widgets = {
            "rag": RagRadios,
            "forecast_start": DateInput(),
            "forecast_end": DateInput(),
            "commentary": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "rag": "RAG",
            "percent_complete": "Percent complete",
            "commentary": "Commentary for this period",
        }
        help_texts = {
            "percent_complete": "A whole number from 0 to 100.",
            "forecast_end": "When you now expect it to finish.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "rag", forms.ChoiceField).choices = RAG.choices
        # Closing a milestone early is a change request, not a status.
        field_of(self, "status", forms.ChoiceField).choices = [
            choice for choice in WorkStatus.choices if choice[0] != WorkStatus.CANCELLED
        ]
        self.status_before = self.instance.status
        self.fields["effective_on"].help_text = (
            "Today, unless it happened earlier. When you mark it complete, this is the date "
            "it was completed."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = data.get("forecast_start"), data.get("forecast_end")
        if start and end and end < start:
            self.add_error("forecast_end", "The forecast end must be on or after the start.")
        if data.get("status") == WorkStatus.COMPLETE and data.get("percent_complete") != 100:
            self.add_error("percent_complete", "A complete milestone is 100% complete.")
        if data.get("status") == WorkStatus.COMPLETE and self.status_before != WorkStatus.COMPLETE:
            # Completed on the day it happened, which reports as of that day then show.
            self.instance.actual_end = data.get("effective_on")
        elif (
            data.get("status") != WorkStatus.COMPLETE and self.status_before == WorkStatus.COMPLETE
        ):
            self.instance.actual_end = None
        if self.slips and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                "Say why the forecast end moves past the baseline end "
                f"({self.instance.baseline_end:%-d %b %Y}).",
            )
        return data

    @property
    def slips(self) -> bool:
        """Whether the submitted forecast end is past the milestone's baseline end."""
        forecast = self.cleaned_data.get("forecast_end") if hasattr(self, "cleaned_data") else None
        return slips_past_baseline(self.instance, forecast)


class MilestoneRowForm(VersionedForm):
    """One milestone's row in a programme's bulk update: the fields an officer changes each
    period, with the same rules as the single edit (`MilestoneUpdateForm`). When the batch
    happened is asked once for all rows (`kit.forms.BatchEffectiveDateForm`)."""

    reason = forms.CharField(
        label="Reason for a change of forecast end",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Needed when the forecast end moves past the baseline end: that goes to the "
        "improvement team to approve.",
    )

    class Meta:
        model = Milestone
        fields = ["status", "rag", "percent_complete", "forecast_end", "commentary"]
        widgets = {
            "forecast_end": DateInput(),
            "commentary": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "rag": "RAG",
            "percent_complete": "Percent complete",
            "commentary": "Commentary for this period",
        }
        help_texts = {"percent_complete": "A whole number from 0 to 100."}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "rag", forms.ChoiceField).choices = RAG.choices
        field_of(self, "status", forms.ChoiceField).choices = [
            choice for choice in WorkStatus.choices if choice[0] != WorkStatus.CANCELLED
        ]
        self.status_before = self.instance.status
        self.baseline_end = self.instance.baseline_end

    @property
    def changed(self) -> list[str]:
        """The fields this row changes (the version aside)."""
        return [name for name in self.changed_data if name not in ("version", "reason")]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start, end = self.instance.forecast_start, data.get("forecast_end")
        if start and end and end < start:
            self.add_error(
                "forecast_end",
                f"The forecast end must be on or after the forecast start ({start:%-d %b %Y}).",
            )
        if data.get("status") == WorkStatus.COMPLETE and data.get("percent_complete") != 100:
            self.add_error("percent_complete", "A complete milestone is 100% complete.")
        if self.slips and not data.get("reason", "").strip():
            self.add_error(
                "reason",
                "Say why the forecast end moves past the baseline end "
                f"({self.baseline_end:%-d %b %Y}).",
            )
        return data

    @property
    def slips(self) -> bool:
        """Whether the row moves the forecast end past the baseline end."""
        if "forecast_end" not in self.changed_data:
            return False
        forecast = self.cleaned_data.get("forecast_end") if hasattr(self, "cleaned_data") else None
        return slips_past_baseline(self.instance, forecast)

    def date_completion(self, day: Any) -> None:
        """A milestone marked complete is completed on the day the batch happened."""
        status = self.cleaned_data.get("status")
        if status == WorkStatus.COMPLETE and self.status_before != WorkStatus.COMPLETE:
            self.instance.actual_end = day
        elif status != WorkStatus.COMPLETE and self.status_before == WorkStatus.COMPLETE:
            self.instance.actual_end = None


class ChangeRequestForm(forms.Form):
    """A change of scope, or closing the milestone early (slips come from the update form)."""

    kind = forms.ChoiceField(
        label="What do you want to change?",
        choices=[
            (ChangeKind.SCOPE, "Change the scope: the title or the steps"),
            (ChangeKind.CLOSE_EARLY, "Close it early, without completing it"),
        ],
        widget=forms.RadioSelect,
    )
    proposed_title = forms.CharField(
        label="New title", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    proposed_steps = forms.CharField(
        label="New steps",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One step per line.",
    )
    reason = forms.CharField(
        label="Why is the change needed?", widget=forms.Textarea(attrs={"rows": 4})
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("kind") == ChangeKind.SCOPE and not (
            data.get("proposed_title", "").strip() or data.get("proposed_steps", "").strip()
        ):
            self.add_error("proposed_title", "Give the new title, the new steps, or both.")
        return data


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Decision",
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label="Note",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed to reject: say why.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("decision") == "reject" and not data.get("note", "").strip():
            self.add_error("note", "Say why the request is rejected.")
        return data


class DelegationForm(forms.ModelForm):
    class Meta:
        model = Delegation
        fields = ["person", "milestone", "starts_on", "ends_on", "note"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
        }
        labels = {
            "person": "Who may update it",
            "milestone": "Only this milestone (optional)",
            "starts_on": "From",
            "ends_on": "Until (optional)",
            "note": "Note (optional)",
        }
        help_texts = {
            "person": "People named in this intervention who can sign in.",
            "milestone": "Leave empty to delegate the whole programme.",
            "ends_on": "The last day they may update it. Leave empty until you end it.",
        }

    def __init__(self, *args: Any, programme: Programme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "person", forms.ModelChoiceField).queryset = Person.objects.filter(
            intervention=programme.intervention, user__isnull=False
        ).order_by("name")
        milestone = field_of(self, "milestone", forms.ModelChoiceField)
        milestone.queryset = Milestone.objects.filter(programme=programme)
        milestone.empty_label = "The whole programme"
        self.fields["starts_on"].initial = timezone.localdate()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", "The last day must be on or after the first.")
        return data


class EndDelegationForm(forms.Form):
    ends_on = forms.DateField(label="Last day", widget=DateInput())
