"""The one rule for when a set of Directions, or a Direction, is in force.

A set is in force from the day it was made (`made_on`) to the day before its status changed to
superseded, revoked or expired (`status_changed_on`), and never after its own `expires_on`
("up to and including 30 April 2028"). A set still only proposed is never in force; a set
recorded as ended without a date is not shown as in force on any day, since the record cannot
say until when it was.

A Direction follows its set, and its own status and dates can end it earlier by the same rule
(it cannot start before its set was made). A sub-item (a.i) follows its Direction.

The rule is written once, as the fields it reads (`Window`). `q` turns it into a database
filter for a queryset; `holds` applies it to a row in memory, whether a model instance or a
django-simple-history record of one (reports read those). Both read the same `Window`s, so
a page, a count and a report always agree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from directions.choices import DirectionStatus

ENDED = (DirectionStatus.SUPERSEDED, DirectionStatus.REVOKED, DirectionStatus.EXPIRED)


@dataclass(frozen=True)
class Window:
    """The fields of one row that bound the days it is in force: its status, the day that
    status took effect, and its last day in force, if it has one."""

    status: str
    status_changed_on: datetime.date | None
    expires_on: datetime.date | None

    def holds(self, day: datetime.date) -> bool:
        """In force on `day`, as far as this row's own fields go."""
        if self.status == DirectionStatus.PROPOSED:
            return False
        if self.status in ENDED and (
            self.status_changed_on is None or self.status_changed_on <= day
        ):
            return False
        return self.expires_on is None or day <= self.expires_on

    @staticmethod
    def q(day: datetime.date, prefix: str = "") -> Q:
        """`holds` as a database filter on the row reached through `prefix` (e.g. "parent__")."""

        def f(lookup: str, value: Any) -> Q:
            return Q(**{f"{prefix}{lookup}": value})

        return (
            ~f("status", DirectionStatus.PROPOSED)
            & (~f("status__in", ENDED) | f("status_changed_on__gt", day))
            & (f("expires_on__isnull", True) | f("expires_on__gte", day))
        )

    @classmethod
    def of(cls, row: Any) -> Window:
        return cls(row.status, row.status_changed_on, row.expires_on)

    def last_day(self, made_on: datetime.date) -> datetime.date | None:
        """The last day in force, None while it has no end. An end without a date is taken as
        the day before it was made: the record cannot say it was in force on any day."""
        ends: list[datetime.date] = []
        if self.status == DirectionStatus.PROPOSED:
            ends.append(made_on - datetime.timedelta(days=1))
        if self.status in ENDED:
            changed = self.status_changed_on or made_on
            ends.append(changed - datetime.timedelta(days=1))
        if self.expires_on is not None:
            ends.append(self.expires_on)
        return min(ends, default=None)


def set_in_force(day: datetime.date, prefix: str = "") -> Q:
    """The sets of Directions in force on `day`, as a filter on the set reached by `prefix`."""
    return Q(**{f"{prefix}made_on__lte": day}) & Window.q(day, prefix)


def direction_in_force(day: datetime.date, prefix: str = "") -> Q:
    """The Directions and sub-items in force on `day`: the set in force, and the Direction
    itself (for a sub-item, its parent) not ended by its own fields."""
    return set_in_force(day, f"{prefix}direction_set__") & (
        (Q(**{f"{prefix}parent__isnull": True}) & Window.q(day, prefix))
        | (Q(**{f"{prefix}parent__isnull": False}) & Window.q(day, f"{prefix}parent__"))
    )


def set_holds(direction_set: Any, day: datetime.date) -> bool:
    """`set_in_force` for one set in memory (a model instance or a history record)."""
    return direction_set.made_on <= day and Window.of(direction_set).holds(day)


def direction_holds(
    direction: Any, parent: Any | None, direction_set: Any, day: datetime.date
) -> bool:
    """`direction_in_force` for one row in memory: the row, its parent (None for a Direction)
    and its set, each a model instance or a history record."""
    own = parent if parent is not None else direction
    return set_holds(direction_set, day) and Window.of(own).holds(day)


def direction_last_day(
    direction: Any, parent: Any | None, direction_set: Any
) -> datetime.date | None:
    """The last day a Direction (or sub-item) is in force, by the same fields: the earliest end
    of its set and its own; None while neither has one."""
    own = parent if parent is not None else direction
    made_on = direction_set.made_on
    ends = [
        day
        for day in (Window.of(direction_set).last_day(made_on), Window.of(own).last_day(made_on))
        if day is not None
    ]
    return min(ends, default=None)
