"""Where a milestone stands against its dates: the one rule, in SQL and for rows in memory.

A milestone is *due* on its forecast end, else its baseline (agreed) end. It is *finished* once
complete or cancelled; finished work is never overdue. An open milestone is *overdue* once its
due date has passed, and has *slipped* while its forecast end is later than its baseline end:
by default the original baseline (the first end agreed, which approving a slip never moves),
or, when asked (`SlipBaseline.APPROVED`), the end last approved through change control.

Every page, chart, report and export asks these functions (or the queryset methods built from
them), so the dashboard, the lists, My work and the PDF reports always agree. The functions take
a milestone or a history record of one: anything with `status`, `forecast_end`,
`baseline_end` and `original_baseline_end`.
"""

from __future__ import annotations

import datetime
from typing import Protocol

from django.db import models
from django.db.models.functions import Coalesce

from interventions.choices import MilestoneSchedule, SlipBaseline, WorkStatus

# Work that is finished or stopped is neither overdue nor due.
CLOSED_STATUSES = (WorkStatus.COMPLETE, WorkStatus.CANCELLED)


class Dated(Protocol):
    """What the rule reads: a milestone, or a history record of one."""

    @property
    def status(self) -> str: ...

    @property
    def forecast_end(self) -> datetime.date | None: ...

    @property
    def baseline_end(self) -> datetime.date | None: ...

    @property
    def original_baseline_end(self) -> datetime.date | None: ...


def due_date(milestone: Dated) -> datetime.date | None:
    return milestone.forecast_end or milestone.baseline_end


def is_finished(milestone: Dated) -> bool:
    return milestone.status in CLOSED_STATUSES


def is_overdue(milestone: Dated, on: datetime.date) -> bool:
    """Past its due date on `on` and neither complete nor cancelled."""
    due = due_date(milestone)
    return bool(due and due < on and not is_finished(milestone))


def slips(baseline_end: datetime.date | None, forecast_end: datetime.date | None) -> bool:
    """Whether a forecast end is later than the end agreed at baseline."""
    return bool(baseline_end and forecast_end and forecast_end > baseline_end)


def yardstick(milestone: Dated, against: str = SlipBaseline.ORIGINAL) -> datetime.date | None:
    """The end a slip is measured against: the original baseline (else, for a row that has
    none, the baseline) or the last approved baseline."""
    if against == SlipBaseline.APPROVED:
        return milestone.baseline_end
    return milestone.original_baseline_end or milestone.baseline_end


def is_slipped(milestone: Dated, against: str = SlipBaseline.ORIGINAL) -> bool:
    return slips(yardstick(milestone, against), milestone.forecast_end)


def days_slipped(milestone: Dated, against: str = SlipBaseline.ORIGINAL) -> int:
    """How many days the forecast end is past the yardstick (0 when it has not slipped)."""
    baseline = yardstick(milestone, against)
    if baseline is None or milestone.forecast_end is None:
        return 0
    return max((milestone.forecast_end - baseline).days, 0)


def schedule_of(
    milestone: Dated, on: datetime.date, against: str = SlipBaseline.ORIGINAL
) -> MilestoneSchedule:
    """Where a milestone stands against its dates on `on`, slips measured `against` a
    baseline (`MilestoneQuerySet.with_schedule` annotates the same)."""
    if milestone.status == WorkStatus.COMPLETE:
        return MilestoneSchedule.COMPLETE
    if milestone.status == WorkStatus.CANCELLED:
        return MilestoneSchedule.CANCELLED
    if is_overdue(milestone, on):
        return MilestoneSchedule.OVERDUE
    if is_slipped(milestone, against):
        return MilestoneSchedule.SLIPPED
    return MilestoneSchedule.ON_TRACK


# ------------------------------------------------------------------------------ in SQL


def due_expression() -> Coalesce:
    return Coalesce("forecast_end", "baseline_end")


def overdue_q(on: datetime.date) -> models.Q:
    """Open milestones past their due date (the status is tested first by `schedule_case`)."""
    return models.Q(forecast_end__lt=on) | models.Q(forecast_end__isnull=True, baseline_end__lt=on)


def yardstick_expression(against: str = SlipBaseline.ORIGINAL) -> models.F | Coalesce:
    if against == SlipBaseline.APPROVED:
        return models.F("baseline_end")
    return Coalesce("original_baseline_end", "baseline_end")


def slipped_q(against: str = SlipBaseline.ORIGINAL) -> models.Q:
    return models.Q(forecast_end__gt=yardstick_expression(against))


def schedule_case(on: datetime.date, against: str = SlipBaseline.ORIGINAL) -> models.Case:
    """`schedule_of` as an SQL expression."""
    return models.Case(
        models.When(status=WorkStatus.COMPLETE, then=models.Value(MilestoneSchedule.COMPLETE)),
        models.When(status=WorkStatus.CANCELLED, then=models.Value(MilestoneSchedule.CANCELLED)),
        models.When(overdue_q(on), then=models.Value(MilestoneSchedule.OVERDUE)),
        models.When(slipped_q(against), then=models.Value(MilestoneSchedule.SLIPPED)),
        default=models.Value(MilestoneSchedule.ON_TRACK),
        output_field=models.CharField(),
    )
