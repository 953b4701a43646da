"""Reading the record as it stood on a day: the two times of every fact.

Every change is recorded with the moment it was recorded (`history_date`, the audit trail) and
the day it took effect (`valid_from`, empty when that is the day it was recorded). Two
questions follow, and each has one function here:

- **What was true on a day, as now known** (`records_as_of(model, day)`): of the changes that
  had taken effect by that day, the one recorded last, whenever that was. A meeting entered
  the day after it was held, or a Direction imported in 2026 but made in 2025, counts from its
  own date. This is what pages and reports "as of" a day show.
- **What the record said on a day** (`records_as_of(model, day, known_on=day)`): only what had
  been recorded by the end of that day: the audit view, used for "what changed" and for what a
  report said at the time.

Some facts carry their own date in the row (a milestone's actual end, a meeting's date, the
day a response was made): a model may say how its row stood on a day before such a fact
(`as_it_stood`, a class method given a record and a day), so that a completion dated 31 May
does not show on 30 May, however it was entered.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone

# The day from which facts that have no date of their own count (people, authorities): long
# before any intervention, so that a report of any date finds them.
ALWAYS = datetime.date(1900, 1, 1)


def end_of(day: datetime.date) -> datetime.datetime:
    """The end of a day in UK time, as an aware datetime: what was recorded by then counts."""
    start_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start_next) - datetime.timedelta(microseconds=1)


def effective_day(record: Any) -> datetime.date:
    """The day a history record's change took effect."""
    valid_from: datetime.date | None = record.valid_from
    return valid_from or timezone.localdate(record.history_date)


def recorded_late(record: Any) -> datetime.date | None:
    """The day a record was entered, when that was after the day it took effect."""
    recorded = timezone.localdate(record.history_date)
    return recorded if record.valid_from and recorded > record.valid_from else None


def records_as_of(
    model: type[models.Model],
    day: datetime.date,
    *,
    known_on: datetime.date | datetime.datetime | None = None,
    **filters: Any,
) -> list[Any]:
    """For each row, the history record that gives its state on `day` (deleted rows left out),
    read in one query; `filters` narrow the history table (e.g. intervention_id=…).

    As now known unless `known_on` is given: then only what had been recorded by the end of
    that day (or by that moment, for a datetime such as the moment a report was issued)
    counts. The records are of `model`'s history class, which has no static type."""
    history: Any = model.history.model  # type: ignore[attr-defined]  # added by simple-history
    end = end_of(day)
    records = history.objects.filter(**filters).filter(
        Q(valid_from__lte=day) | Q(valid_from__isnull=True, history_date__lte=end)
    )
    if isinstance(known_on, datetime.datetime):
        records = records.filter(history_date__lte=known_on)
    elif known_on is not None:
        records = records.filter(history_date__lte=end_of(known_on))
    # The latest recorded of the changes in effect by then: a correction entered later, with
    # an earlier date, replaces what was recorded before it from its own date on.
    latest = {record.id: record for record in records.order_by("history_date", "history_id")}
    as_it_stood = getattr(model, "as_it_stood", None)
    rows = [record for record in latest.values() if record.history_type != "-"]
    if as_it_stood is not None:
        rows = [as_it_stood(record, day) for record in rows]
    return rows
