"""An officer's work: what they may update, what is late or due, and each programme's
update for a reporting period.

`my_work(user, today)` gathers, across every intervention, the programmes and milestones the
user may update (the rules are `permissions`'), in a fixed number of queries. `today` is a
parameter so that tests can say which day it is; pages pass `timezone.localdate()`.

A programme has one update per reporting period. Only the current period and the one before
it are open for writing: once the Board has had a quarter's report, its update is the record.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypedDict

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, Exists, F, Max, OuterRef, When, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from interventions.access import permissions
from interventions.dates.periods import ReportingPeriod
from interventions.kit.changes import FieldChange, display
from interventions.kit.saving import StaleEdit, save_versioned
from interventions.models import Intervention, Milestone, Programme, ProgrammeUpdate
from interventions.models.base import set_change_reason
from interventions.schedule import CLOSED_STATUSES

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account
    from django_stubs_ext import WithAnnotations

    User = Account | AnonymousUser
    MyProgramme = WithAnnotations[Programme, "UpdateState"]
    MyMilestone = WithAnnotations[Milestone, "Listed"]

# What an officer writes in a period update; the rest (programme, period, author) is given.
UPDATE_FIELDS = ["rag", "status", "summary", "next_steps", "risks", "decisions_needed"]

# How many overdue, and how many due soon, My work lists for each intervention; the rest are
# counted and linked to (a user in the improvement team of ten interventions may update a
# thousand milestones: docs/performance.md).
MILESTONES_SHOWN = 10

# Reporting periods in URLs: "2025-q2" is Q2 of 2025/26 (July to September 2025).
PERIOD_SLUG = re.compile(r"(?P<year>\d{4})-q(?P<quarter>[1-4])")


def period_slug(period: ReportingPeriod) -> str:
    return f"{period.financial_year}-q{period.quarter}"


def period_from_slug(slug: str) -> ReportingPeriod:
    """The period a URL names; ValueError if it names none."""
    match = PERIOD_SLUG.fullmatch(slug)
    if match is None:
        raise ValueError(f"{slug!r} is not a reporting period like 2025-q2.")
    year, quarter = int(match["year"]), int(match["quarter"])
    month = 3 * quarter + 1  # Q1 starts in April … Q4 in January of the next year
    if month > 12:
        year, month = year + 1, month - 12
    return ReportingPeriod(datetime.date(year, month, 1))


def open_periods(today: datetime.date) -> list[ReportingPeriod]:
    """The periods whose updates may still be written: the current one and the one before."""
    current = ReportingPeriod.containing(today)
    return [current, current.previous()]


def update_edit_url(programme: Programme, period: ReportingPeriod) -> str:
    return reverse(
        "interventions:programme_update_edit",
        kwargs={
            "slug": programme.intervention.slug,
            "number": programme.number,
            "period": period_slug(period),
        },
    )


def updates_url(programme: Programme) -> str:
    return reverse(
        "interventions:programme_updates",
        kwargs={"slug": programme.intervention.slug, "number": programme.number},
    )


# My work


class Listed(TypedDict):
    """What `my_open_milestones` annotates on each milestone."""

    due: datetime.date
    late: bool
    place: int
    listed: int


class UpdateState(TypedDict):
    """What `my_programmes` annotates on each programme."""

    has_current_update: bool
    latest_period_start: datetime.date | None


@dataclass
class InterventionWork:
    """One intervention's share of a user's work."""

    intervention: Intervention
    programmes: list[Programme] = field(default_factory=list)
    needs_update: list[Programme] = field(default_factory=list)
    overdue: list[Milestone] = field(default_factory=list)
    due_soon: list[Milestone] = field(default_factory=list)
    # How many are overdue and due soon: more than are listed when the lists are cut short.
    overdue_count: int = 0
    due_soon_count: int = 0

    @property
    def more_overdue(self) -> int:
        return self.overdue_count - len(self.overdue)

    @property
    def more_due_soon(self) -> int:
        return self.due_soon_count - len(self.due_soon)


@dataclass
class MyWork:
    today: datetime.date
    period: ReportingPeriod
    may_update: bool
    interventions: list[InterventionWork]

    @property
    def due_by(self) -> datetime.date:
        return self.today + datetime.timedelta(days=settings.DUE_SOON_DAYS)


def my_programmes(user: User, today: datetime.date) -> list[MyProgramme]:
    """The programmes the user may update, each with `has_current_update` and
    `latest_period_start` (their newest update's period, or None)."""
    current = ReportingPeriod.containing(today)
    return list(
        permissions.programmes_editable_by(user, on=today)
        .select_related("intervention", "sro")
        .annotate(
            has_current_update=Exists(
                ProgrammeUpdate.objects.filter(programme=OuterRef("pk"), period_start=current.start)
            ),
            latest_period_start=Max("updates__period_start"),
        )
        .order_by("intervention__title", "intervention_id", "number")
    )


def my_open_milestones(
    user: User, today: datetime.date, shown: int | None = None
) -> list[MyMilestone]:
    """The user's milestones that are overdue or due within settings.DUE_SOON_DAYS, soonest first,
    each with `due` (forecast end, else baseline end), `late` (overdue) and `listed` (how many
    of the user's milestones in its intervention are as late, or as soon due, as it is).

    `shown` keeps only the first so many overdue, and so many due soon, of each intervention:
    chosen in the database (a window over each intervention's list), so that a user who may
    update a thousand milestones is not sent a thousand rows."""
    order = [F("due").asc(), F("programme__number").asc(), F("position").asc()]
    milestones = (
        permissions.milestones_editable_by(user, on=today)
        .exclude(status__in=CLOSED_STATUSES)
        .with_due()
        .filter(due__lte=today + datetime.timedelta(days=settings.DUE_SOON_DAYS))
        .annotate(late=Case(When(due__lt=today, then=True), default=False))
    )
    each_list = [F("programme__intervention_id"), F("late")]
    milestones = milestones.annotate(
        place=Window(RowNumber(), partition_by=each_list, order_by=order),
        listed=Window(Count("pk"), partition_by=each_list),
    )
    if shown is not None:
        milestones = milestones.filter(place__lte=shown)
    return list(milestones.select_related("programme__intervention").order_by(*order))


def my_work(user: User, today: datetime.date, shown: int | None = MILESTONES_SHOWN) -> MyWork:
    """Everything the user may update, grouped by intervention: what is overdue, what is
    due soon (the first `shown` of each, with how many there are) and which programmes still
    need this period's update. Three queries after the user's roles are known, whatever the
    number of rows."""
    period = ReportingPeriod.containing(today)
    programmes = my_programmes(user, today)
    milestones = my_open_milestones(user, today, shown)
    groups: dict[int, InterventionWork] = {}

    def group(intervention: Intervention) -> InterventionWork:
        return groups.setdefault(intervention.pk, InterventionWork(intervention))

    for programme in programmes:
        work = group(programme.intervention)
        work.programmes.append(programme)
        if not programme.has_current_update and programme.status not in CLOSED_STATUSES:
            work.needs_update.append(programme)
    for milestone in milestones:
        work = group(milestone.programme.intervention)
        if milestone.late:
            work.overdue.append(milestone)
            work.overdue_count = milestone.listed
        else:
            work.due_soon.append(milestone)
            work.due_soon_count = milestone.listed
    may_update = bool(programmes) or permissions.milestones_editable_by(user, on=today).exists()
    ordered = sorted(groups.values(), key=lambda w: (w.intervention.title, w.intervention.pk))
    return MyWork(today=today, period=period, may_update=may_update, interventions=ordered)


# Period updates


def save_period_update(
    programme: Programme,
    period: ReportingPeriod,
    data: dict[str, Any],
    *,
    by: Any,
    expected_version: int,
) -> ProgrammeUpdate:
    """Write the programme's update for the period from the form's `data`, and with it the
    programme's RAG and status (`ProgrammeUpdate.carry_to_programme`): the update is the one
    place they are set.

    `expected_version` is the version the form was opened at; 0 means there was no update
    yet. If someone else saved (or created) the update since, raises StaleEdit listing what
    they wrote, and saves nothing.
    """
    reason = f"Update for {period.label}"
    if expected_version == 0:
        update = ProgrammeUpdate(
            programme=programme, period_start=period.start, author=by, version=1, **data
        )
        set_change_reason(update, reason)
        try:
            with transaction.atomic():
                update.save()
                update.carry_to_programme()
        except IntegrityError:
            # Someone else wrote this period's update after the form was opened.
            current = ProgrammeUpdate.objects.get(programme=programme, period_start=period.start)
            raise StaleEdit(current, as_written(current)) from None
        return update
    update = ProgrammeUpdate.objects.get(programme=programme, period_start=period.start)
    for name, value in data.items():
        setattr(update, name, value)
    update.author = by
    with transaction.atomic():
        save_versioned(update, expected_version, reason=reason)
        update.carry_to_programme()
    return update


def as_written(update: ProgrammeUpdate) -> list[FieldChange]:
    """Each field of an update that someone else wrote, as a change from nothing."""
    result = []
    for name in UPDATE_FIELDS:
        model_field = ProgrammeUpdate._meta.get_field(name)
        assert isinstance(model_field, models.Field)  # each is a column, not a relation
        text = display(model_field, getattr(update, name), {})
        if text:
            label = str(model_field.verbose_name)
            result.append(FieldChange(name, label[:1].upper() + label[1:], "", text))
    return result


def writable_change(change: FieldChange) -> bool:
    """Whether a change is one a reader of the stale-edit message needs (the author is
    named separately, and the version is bookkeeping)."""
    return change.field in UPDATE_FIELDS


def period_updates_context(
    user: User, programme: Programme, today: datetime.date | None = None
) -> dict[str, Any]:
    """What templates/includes/period_updates.html needs for one programme: its latest
    update, the current period and whether the user may write its update. Two queries
    (plus the user's roles, once per request)."""
    today = today or timezone.localdate()
    current = ReportingPeriod.containing(today)
    latest = (
        ProgrammeUpdate.objects.filter(programme=programme)
        .select_related("author")
        .order_by("-period_start")
        .first()
    )
    may_update = permissions.programmes_editable_by(user, on=today).filter(pk=programme.pk).exists()
    has_current = latest is not None and latest.period_start >= current.start
    return {
        "programme": programme,
        "latest": latest,
        "current_period": current,
        "has_current": has_current,
        "may_update": may_update,
        "updates_url": updates_url(programme),
        "current_edit_url": update_edit_url(programme, current),
    }
