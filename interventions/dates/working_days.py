"""Working days in England and Wales: weekdays that are not bank holidays.

Deadlines such as "respond within 20 working days" count from the day after the start date,
skipping Saturdays, Sundays and the bank holidays of England and Wales. The holidays come from
the data the govuk-bank-holidays package ships (2012 to about two years ahead); no network is
used. A date outside that data counts only weekends.
"""

from __future__ import annotations

import datetime
from functools import cache

from govuk_bank_holidays.bank_holidays import BankHolidays


@cache
def bank_holidays() -> frozenset[datetime.date]:
    """England and Wales bank holidays, from the data the package ships."""
    calendar = BankHolidays(use_cached_holidays=True)
    holidays = calendar.get_holidays(division=BankHolidays.ENGLAND_AND_WALES)
    return frozenset(holiday["date"] for holiday in holidays)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in bank_holidays()


def add_working_days(start: datetime.date, n: int) -> datetime.date:
    """The `n`th working day after `start` (before it when `n` is negative).

    `start` itself never counts, whether or not it is a working day: one working day after
    Christmas Eve 2025 (a Wednesday) is Monday 29 December. `n == 0` gives `start`.
    """
    step = 1 if n >= 0 else -1
    day, remaining = start, abs(n)
    while remaining:
        day += datetime.timedelta(days=step)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: datetime.date, end: datetime.date) -> int:
    """How many working days come after `start` up to and including `end` (negative when
    `end` is before `start`), so that `add_working_days(start, n)` is on or before `end`
    exactly when `n <= working_days_between(start, end)`."""
    if end < start:
        return -working_days_between(end, start)
    count, day = 0, start
    while day < end:
        day += datetime.timedelta(days=1)
        count += is_working_day(day)
    return count
