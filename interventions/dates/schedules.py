"""The schedules of recurring duties: the due dates of a duty that recurs every few months, with
its changes of interval, up to the end of the intervention's period.

The deadline engine (`interventions.deadlines.engine`) and a Direction's own page both count
dates here, so that they always agree.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from interventions.dates.fuzzy import add_months

# An intervention with no end date is shown this far past the as-of date, so that recurring
# duties stop somewhere.
OPEN_ENDED_HORIZON_MONTHS = 12


class HasScheduledEnd(Protocol):
    @property
    def scheduled_end(self) -> datetime.date | None: ...


def occurrence_dates(
    first: datetime.date,
    interval_months: int | None,
    variations: Iterable[tuple[datetime.date, int | None]],
    until: datetime.date,
) -> list[datetime.date]:
    """The due dates of a recurring duty from `first` up to `until` (inclusive).

    `variations` are (effective_from, interval_months) pairs: from that date on, the duty
    recurs at the new interval, counted from the last occurrence before the change; the first
    occurrence under the new interval falls on or after `effective_from`. An interval of None
    (not yet agreed) stops the recurrence until a later variation sets one. Dates are counted
    from an anchor in whole multiples of the interval, so a duty first due on 31 January falls
    on 30 April and 31 July, never drifting to the 28th.
    """
    interval = interval_months
    pending: list[tuple[datetime.date, int | None]] = []
    for effective_from, months in sorted(variations, key=lambda variation: variation[0]):
        if effective_from <= first:
            interval = months
        else:
            pending.append((effective_from, months))
    if first > until:
        return []
    dates = [first]
    anchor, starts = first, first
    for index in range(len(pending) + 1):
        stops = pending[index][0] if index < len(pending) else None
        if interval:
            step = 1
            while True:
                due = add_months(anchor, step * interval)
                step += 1
                if due > until or (stops is not None and due >= stops):
                    break
                if due >= starts:
                    dates.append(due)
        if stops is None:
            break
        starts, interval = pending[index]
        anchor = dates[-1]
    return dates


def period_end(intervention: HasScheduledEnd, as_of: datetime.date) -> datetime.date:
    """The last day deadlines are computed for: the end of the intervention's period."""
    return intervention.scheduled_end or add_months(as_of, OPEN_ENDED_HORIZON_MONTHS)
