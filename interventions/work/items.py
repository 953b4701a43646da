"""Each programme's update for a reporting period. (What a person has to do across their
interventions, My work, is `interventions.inbox`.)

A programme has one update per reporting period. Only the current period and the one before
it are open for writing: once the Board has had a quarter's report, its update is the record.
"""

from __future__ import annotations

import datetime
import re
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone

from interventions.access import permissions
from interventions.dates.periods import ReportingPeriod
from interventions.kit.changes import FieldChange, display
from interventions.kit.saving import StaleEdit, save_versioned
from interventions.models import Programme, ProgrammeUpdate
from interventions.models.base import set_change_reason

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account

    User = Account | AnonymousUser

# What an officer writes in a period update; the rest (programme, period, author) is given.
UPDATE_FIELDS = ["rag", "status", "summary", "next_steps", "risks", "decisions_needed"]

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
