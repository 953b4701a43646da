"""Changing the shape of the plan: adding, renumbering, moving, merging and closing aims and
programmes, each from the day it took effect and with its reason.

Every change saves its rows with `set_effective_date` and `set_change_reason`, so that each
history record says who made the change, when it was recorded, when it took effect and why; a
report as of a day before the change shows the plan as it was (`reports.snapshot`). Each
change is one transaction: it is made in full or not at all.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from django.db import transaction
from django.db.models import Max

from interventions.choices import WorkStatus
from interventions.models import Intervention, Milestone, Programme, StrategicAim
from interventions.models.base import set_change_reason, set_effective_date
from interventions.models.plan import long_date

MilestoneChoice = Literal["move", "close"]


class PlanChangeRefused(Exception):
    """The change cannot be made as asked; nothing was changed. The message says why."""


def _save(obj: StrategicAim | Programme | Milestone, on: datetime.date, reason: str) -> None:
    """Save one row of a change, its record dated `on` and giving `reason`."""
    if isinstance(obj, Programme | Milestone) and obj.pk is not None:
        obj.version += 1  # an edit form opened before this change is now stale
    set_effective_date(obj, on)
    set_change_reason(obj, reason)
    obj.save()


def _check_open(row: StrategicAim | Programme, on: datetime.date, what: str) -> None:
    if row.closed_on is not None:
        raise PlanChangeRefused(f"{what} closed on {long_date(row.closed_on)}.")
    if row.opened_on is not None and on < row.opened_on:
        raise PlanChangeRefused(
            f"{what} opened on {long_date(row.opened_on)}: the change cannot take effect "
            "before that."
        )


def add_aim(
    intervention: Intervention,
    *,
    number: int,
    title: str,
    outcomes: str,
    on: datetime.date,
    reason: str,
) -> StrategicAim:
    """A new strategic aim, part of the plan from `on`."""
    with transaction.atomic():
        if intervention.aims.filter(number=number).exists():
            raise PlanChangeRefused(f"Aim {number} already exists.")
        aim = StrategicAim(
            intervention=intervention, number=number, title=title, outcomes=outcomes, opened_on=on
        )
        _save(aim, on, reason)
    return aim


def add_programme(
    aim: StrategicAim,
    *,
    number: int,
    title: str,
    purpose: str,
    on: datetime.date,
    reason: str,
) -> Programme:
    """A new programme under `aim`, part of the plan from `on`."""
    with transaction.atomic():
        _check_open(aim, on, f"Aim {aim.number}")
        if Programme.objects.filter(intervention_id=aim.intervention_id, number=number).exists():
            raise PlanChangeRefused(f"Programme number {number} is already taken.")
        programme = Programme(
            intervention_id=aim.intervention_id,
            aim=aim,
            number=number,
            title=title,
            purpose=purpose,
            opened_on=on,
        )
        _save(programme, on, reason)
    return programme


@dataclass(frozen=True)
class NumberChange:
    """One programme's number in a renumbering: `displaced` when a closed programme gives up
    its number to an open one (it takes a free number above all the others)."""

    programme: Programme
    old: int
    new: int
    displaced: bool = False

    def sentence(self) -> str:
        if self.displaced:
            return (
                f"Closed programme {self.old} ({self.programme.title}) gives up its number and "
                f"becomes programme {self.new}."
            )
        return f"Programme {self.old} ({self.programme.title}) becomes programme {self.new}."


def plan_renumbering(
    intervention: Intervention, numbers: Mapping[int, int], on: datetime.date
) -> list[NumberChange]:
    """What renumbering the open programmes (`numbers`: programme id → new number) would do,
    without doing it. Refused when two programmes would share a number, a number is taken by
    an open programme that keeps it, or a programme is not open."""
    programmes = {p.pk: p for p in Programme.objects.filter(intervention=intervention)}
    changes: list[NumberChange] = []
    for pk, new in numbers.items():
        programme = programmes.get(pk)
        if programme is None:
            raise PlanChangeRefused("One of the programmes is not in this plan.")
        if programme.number != new:
            _check_open(programme, on, f"Programme {programme.number}")
            changes.append(NumberChange(programme, programme.number, new))
    wanted = [change.new for change in changes]
    if len(set(numbers.values())) != len(numbers):
        raise PlanChangeRefused("Two programmes cannot have the same number.")
    moving = {change.programme.pk for change in changes}
    keeping = {p.number: p for p in programmes.values() if p.pk not in moving}
    next_free = max([*(p.number for p in programmes.values()), *wanted], default=0) + 1
    for number in wanted:
        holder = keeping.get(number)
        if holder is None:
            continue
        if holder.closed_on is None or holder.closed_on > on:
            raise PlanChangeRefused(
                f"Number {number} is taken by programme {number} ({holder.title}), which stays "
                "open: give it another number too."
            )
        changes.append(NumberChange(holder, number, next_free, displaced=True))
        next_free += 1
    return changes


def renumber(
    intervention: Intervention, numbers: Mapping[int, int], *, on: datetime.date, reason: str
) -> list[NumberChange]:
    """Give open programmes new numbers (`numbers`: programme id → new number), all at once.

    Numbers are unique in an intervention, so the programmes first take numbers no programme
    holds (unrecorded: they never stood so), then their new ones, each recorded from `on`. A
    closed programme whose number an open one takes moves to a free number above all others.
    """
    with transaction.atomic():
        # Locked, so that two renumberings at once cannot both pass the checks.
        list(Programme.objects.select_for_update().filter(intervention=intervention))
        changes = plan_renumbering(intervention, numbers, on)
        if not changes:
            return changes
        top = Programme.objects.filter(intervention=intervention).aggregate(Max("number"))
        spare = max(top["number__max"] or 0, *(change.new for change in changes)) + 1
        for offset, change in enumerate(changes):
            Programme.objects.filter(pk=change.programme.pk).update(number=spare + offset)
        for change in changes:
            programme = Programme.objects.get(pk=change.programme.pk)
            programme.number = change.new
            why = (
                f"Number {change.old} given to an open programme. {reason}"
                if change.displaced
                else reason
            )
            _save(programme, on, why)
    return changes


def move_programme(
    programme: Programme, aim: StrategicAim, *, on: datetime.date, reason: str
) -> None:
    """The programme delivers `aim` from `on`."""
    with transaction.atomic():
        _check_open(programme, on, f"Programme {programme.number}")
        _check_open(aim, on, f"Aim {aim.number}")
        if aim.intervention_id != programme.intervention_id:
            raise PlanChangeRefused("The aim is not in this plan.")
        if aim.pk == programme.aim_id:
            raise PlanChangeRefused(f"Programme {programme.number} is already under that aim.")
        programme.aim = aim
        _save(programme, on, reason)


def describe_merge(
    merged: Iterable[Programme], into: Programme, *, milestones: MilestoneChoice, on: datetime.date
) -> list[str]:
    """What merging would do, in sentences, for the page that asks to confirm it."""
    sentences = []
    finished = (WorkStatus.COMPLETE, WorkStatus.CANCELLED)
    for programme in merged:
        sentences.append(
            f"Programme {programme.number} ({programme.title}) closes on {long_date(on)}, "
            f"merged into programme {into.number} ({into.title})."
        )
        open_ones = [
            m for m in programme.milestones.order_by("position") if m.status not in finished
        ]
        if not open_ones:
            sentences.append(f"Programme {programme.number} has no open milestones.")
            continue
        labels = ", ".join(m.number or f"({m.position})" for m in open_ones)
        if milestones == "move":
            sentences.append(
                f"Its open milestones ({labels}) move to programme {into.number}, after its own."
            )
        else:
            sentences.append(f"Its open milestones ({labels}) close on {long_date(on)}.")
    return sentences


def merge_programmes(
    merged: Iterable[Programme],
    into: Programme,
    *,
    milestones: MilestoneChoice,
    on: datetime.date,
    reason: str,
) -> None:
    """Merge programmes into `into` from `on`: each closes, saying what it was merged into;
    its open milestones move to the end of `into` or close, as chosen, each recorded."""
    merged = list(merged)
    with transaction.atomic():
        if not merged:
            raise PlanChangeRefused("Choose at least one programme to merge.")
        _check_open(into, on, f"Programme {into.number}")
        for programme in merged:
            if programme.pk == into.pk:
                raise PlanChangeRefused("A programme cannot be merged into itself.")
            if programme.intervention_id != into.intervention_id:
                raise PlanChangeRefused("The programmes are not in the same plan.")
            _check_open(programme, on, f"Programme {programme.number}")
        position = into.milestones.aggregate(Max("position"))["position__max"] or 0
        finished = (WorkStatus.COMPLETE, WorkStatus.CANCELLED)
        for programme in merged:
            for milestone in programme.milestones.order_by("position"):
                if milestone.status in finished:
                    continue
                if milestones == "move":
                    position += 1
                    milestone.programme = into
                    milestone.position = position
                    why = f"Moved to programme {into.number} when programme "
                    why += f"{programme.number} was merged into it. {reason}"
                else:
                    milestone.status = WorkStatus.CANCELLED
                    milestone.actual_end = on
                    why = f"Closed when programme {programme.number} was merged into "
                    why += f"programme {into.number}. {reason}"
                _save(milestone, on, why)
            programme.closed_on = on
            programme.merged_into = into
            programme.close_reason = reason
            _save(programme, on, f"Merged into programme {into.number}. {reason}")


def close_programme(programme: Programme, *, on: datetime.date, reason: str) -> None:
    """The programme is no longer part of the plan from `on`."""
    with transaction.atomic():
        _check_open(programme, on, f"Programme {programme.number}")
        programme.closed_on = on
        programme.close_reason = reason
        _save(programme, on, f"Closed. {reason}")


def close_aim(aim: StrategicAim, *, on: datetime.date, reason: str) -> None:
    """The aim is no longer part of the plan from `on`; refused while open programmes still
    deliver it (move or close them first)."""
    with transaction.atomic():
        _check_open(aim, on, f"Aim {aim.number}")
        still_open = aim.programmes.open_on(on).order_by("number")
        if still_open.exists():
            listed = ", ".join(str(p.number) for p in still_open)
            raise PlanChangeRefused(
                f"Aim {aim.number} still has open programmes ({listed}): move or close them first."
            )
        aim.closed_on = on
        aim.close_reason = reason
        _save(aim, on, f"Closed. {reason}")
