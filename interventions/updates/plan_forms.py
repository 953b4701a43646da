"""Forms of the changes to the plan's shape (`plan_changes`): each asks when the change took
effect and why, and refuses what the change would refuse, so that a bad entry re-renders
with its errors and changes nothing."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from interventions.kit.forms import field_of
from interventions.kit.widgets import DateInput, GovukRadioSelect
from interventions.models import Intervention, Programme, StrategicAim
from interventions.models.plan import long_date

# django-stubs makes the model choice fields generic; Django's own classes are not subscriptable.
if TYPE_CHECKING:
    _AimField = forms.ModelChoiceField[StrategicAim]
    _ProgrammeField = forms.ModelChoiceField[Programme]
    _ProgrammesField = forms.ModelMultipleChoiceField[Programme]
else:
    _AimField = forms.ModelChoiceField
    _ProgrammeField = forms.ModelChoiceField
    _ProgrammesField = forms.ModelMultipleChoiceField


class AimChoice(_AimField):
    def label_from_instance(self, obj: StrategicAim) -> str:
        return f"Aim {obj.number}: {obj.title}"


class ProgrammeChoice(_ProgrammeField):
    def label_from_instance(self, obj: Programme) -> str:
        return f"Programme {obj.number}: {obj.title}"


class ProgrammesChoice(_ProgrammesField):
    def label_from_instance(self, obj: Programme) -> str:
        return f"Programme {obj.number}: {obj.title}"


class PlanChangeForm(forms.Form):
    """What every change to the plan asks: when it took effect, and why."""

    effective_on = forms.DateField(
        label="When did this take effect?",
        help_text="Today, unless it took effect earlier: reports as of an earlier date show the "
        "plan as it was before it. Its history still says when you recorded it.",
        widget=DateInput(),
    )
    reason = forms.CharField(
        label="Reason for the change",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Shown in the plan's history beside the change, e.g. the Board decision.",
    )

    def __init__(self, *args: Any, intervention: Intervention, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.intervention = intervention
        self.today = timezone.localdate()
        self.fields["effective_on"].initial = self.today
        # Asked last: they are about the change as a whole.
        for name in ("effective_on", "reason"):
            self.fields[name] = self.fields.pop(name)

    def clean_effective_on(self) -> datetime.date:
        day: datetime.date = self.cleaned_data["effective_on"]
        if day > self.today:
            raise forms.ValidationError("The date it took effect cannot be in the future.")
        return day

    def clean_reason(self) -> str:
        reason: str = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError("Say why the plan changes.")
        return reason

    def open_programmes(self) -> QuerySet[Programme]:
        return Programme.objects.filter(intervention=self.intervention, closed_on__isnull=True)

    def open_aims(self) -> QuerySet[StrategicAim]:
        return StrategicAim.objects.filter(intervention=self.intervention, closed_on__isnull=True)

    def check_opened(self, row: StrategicAim | Programme | None, what: str) -> None:
        """The change cannot take effect before the aim or programme opened."""
        day = self.cleaned_data.get("effective_on")
        if row is not None and day and row.opened_on and day < row.opened_on:
            self.add_error(
                "effective_on",
                f"{what} opened on {long_date(row.opened_on)}: the change cannot take effect "
                "before that.",
            )


class AddAimForm(PlanChangeForm):
    number = forms.IntegerField(label="Aim number", min_value=1, max_value=99)
    title = forms.CharField(label="Aim", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    outcomes = forms.CharField(
        label="Outcomes sought",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One per line.",
    )

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if self.intervention.aims.filter(number=number).exists():
            raise forms.ValidationError(f"Aim {number} already exists: choose another number.")
        return number


class AddProgrammeForm(PlanChangeForm):
    aim = AimChoice(queryset=StrategicAim.objects.none(), label="Strategic aim it delivers")
    number = forms.IntegerField(label="Programme number", min_value=1, max_value=999)
    title = forms.CharField(label="Title", max_length=300)
    purpose = forms.CharField(
        label="Purpose", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "aim", AimChoice).queryset = self.open_aims()

    def clean_number(self) -> int:
        number: int = self.cleaned_data["number"]
        if self.intervention.programmes.filter(number=number).exists():
            raise forms.ValidationError(
                f"Programme number {number} is already taken: choose another number."
            )
        return number

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_opened(self.cleaned_data.get("aim"), "The aim")
        return self.cleaned_data


class RenumberForm(PlanChangeForm):
    """One number for each open programme; those left as they are keep their numbers."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.programmes = list(self.open_programmes().order_by("number"))
        numbers = {}
        for programme in self.programmes:
            numbers[f"number_{programme.pk}"] = forms.IntegerField(
                label=f"Programme {programme.number}: {programme.title}",
                min_value=1,
                max_value=999,
                initial=programme.number,
            )
        self.fields = {**numbers, **self.fields}

    def clean(self) -> dict[str, Any]:
        super().clean()
        numbers = self.numbers()
        if len(numbers) == len(self.programmes):
            seen: dict[int, str] = {}
            for programme in self.programmes:
                number = numbers[programme.pk]
                if number in seen:
                    self.add_error(
                        f"number_{programme.pk}",
                        f"Programme {seen[number]} is also given number {number}: each "
                        "programme needs its own number.",
                    )
                seen[number] = str(programme.number)
            if all(numbers[p.pk] == p.number for p in self.programmes):
                raise forms.ValidationError("Give at least one programme a new number.")
            for programme in self.programmes:
                if numbers[programme.pk] != programme.number:
                    self.check_opened(programme, f"Programme {programme.number}")
        return self.cleaned_data

    def numbers(self) -> dict[int, int]:
        """Programme id → the number asked for it (those that are valid)."""
        data = getattr(self, "cleaned_data", {})
        return {
            programme.pk: data[f"number_{programme.pk}"]
            for programme in self.programmes
            if data.get(f"number_{programme.pk}") is not None
        }


class MoveProgrammeForm(PlanChangeForm):
    programme = ProgrammeChoice(queryset=Programme.objects.none(), label="Programme to move")
    aim = AimChoice(queryset=StrategicAim.objects.none(), label="Strategic aim it now delivers")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "programme", ProgrammeChoice).queryset = self.open_programmes()
        field_of(self, "aim", AimChoice).queryset = self.open_aims()

    def clean(self) -> dict[str, Any]:
        super().clean()
        programme, aim = self.cleaned_data.get("programme"), self.cleaned_data.get("aim")
        if programme and aim and programme.aim_id == aim.pk:
            self.add_error(
                "aim", f"Programme {programme.number} already delivers aim {aim.number}."
            )
        self.check_opened(programme, f"Programme {getattr(programme, 'number', '')}")
        self.check_opened(aim, f"Aim {getattr(aim, 'number', '')}")
        return self.cleaned_data


class MergeForm(PlanChangeForm):
    merged = ProgrammesChoice(
        queryset=Programme.objects.none(),
        label="Programmes to merge",
        help_text="Each closes, saying which programme it was merged into.",
        widget=forms.CheckboxSelectMultiple,
    )
    into = ProgrammeChoice(queryset=Programme.objects.none(), label="Programme they merge into")
    milestones = forms.ChoiceField(
        label="What happens to their open milestones?",
        choices=[
            ("move", "Move them to the programme they merge into"),
            ("close", "Close them"),
        ],
        initial="move",
        widget=GovukRadioSelect,
        help_text="Completed and closed milestones stay with the programme they belong to.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        programmes = self.open_programmes().order_by("number")
        field_of(self, "merged", ProgrammesChoice).queryset = programmes
        field_of(self, "into", ProgrammeChoice).queryset = programmes

    def clean(self) -> dict[str, Any]:
        super().clean()
        merged, into = self.cleaned_data.get("merged"), self.cleaned_data.get("into")
        if merged and into and into in merged:
            self.add_error(
                "into", f"Programme {into.number} cannot be merged into itself: untick it above."
            )
        for programme in [*(merged or []), into]:
            self.check_opened(programme, f"Programme {getattr(programme, 'number', '')}")
        return self.cleaned_data


class CloseProgrammeForm(PlanChangeForm):
    programme = ProgrammeChoice(queryset=Programme.objects.none(), label="Programme to close")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "programme", ProgrammeChoice).queryset = self.open_programmes()
        self.fields["reason"].label = "Why does it close?"

    def clean(self) -> dict[str, Any]:
        super().clean()
        programme = self.cleaned_data.get("programme")
        self.check_opened(programme, f"Programme {getattr(programme, 'number', '')}")
        return self.cleaned_data


class CloseAimForm(PlanChangeForm):
    aim = AimChoice(queryset=StrategicAim.objects.none(), label="Aim to close")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field_of(self, "aim", AimChoice).queryset = self.open_aims()
        self.fields["reason"].label = "Why does it close?"

    def clean(self) -> dict[str, Any]:
        super().clean()
        aim = self.cleaned_data.get("aim")
        self.check_opened(aim, f"Aim {getattr(aim, 'number', '')}")
        if aim and self.cleaned_data.get("effective_on"):
            still_open = aim.programmes.open_on(self.cleaned_data["effective_on"])
            numbers = ", ".join(str(p.number) for p in still_open.order_by("number"))
            if numbers:
                self.add_error(
                    "aim",
                    f"Aim {aim.number} still has open programmes ({numbers}): move or close "
                    "them first.",
                )
        return self.cleaned_data
