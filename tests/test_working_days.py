"""Working-day arithmetic over England and Wales bank holidays."""

import datetime

import pytest

from interventions.dates.working_days import add_working_days, is_working_day, working_days_between

D = datetime.date


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        # An ordinary week: Monday + 4 is Friday, + 5 the next Monday.
        (D(2025, 6, 2), 4, D(2025, 6, 6)),
        (D(2025, 6, 2), 5, D(2025, 6, 9)),
        # Christmas and Boxing Day 2025 (Thu, Fri), the weekend, then New Year's Day 2026 (Thu).
        (D(2025, 12, 24), 1, D(2025, 12, 29)),
        (D(2025, 12, 24), 4, D(2026, 1, 2)),
        (D(2025, 12, 19), 10, D(2026, 1, 7)),
        # Good Friday 18 April and Easter Monday 21 April 2025.
        (D(2025, 4, 17), 1, D(2025, 4, 22)),
        (D(2025, 4, 14), 10, D(2025, 4, 30)),
        # Early May bank holiday, 5 May 2025.
        (D(2025, 5, 2), 1, D(2025, 5, 6)),
        # Starting on a weekend or a holiday: that day never counts.
        (D(2025, 4, 18), 1, D(2025, 4, 22)),
        (D(2025, 6, 7), 1, D(2025, 6, 9)),
        (D(2025, 6, 2), 0, D(2025, 6, 2)),
        # Backwards over Easter.
        (D(2025, 4, 22), -1, D(2025, 4, 17)),
    ],
)
def test_it_adds_working_days_skipping_weekends_and_bank_holidays(start, n, expected):
    assert add_working_days(start, n) == expected


def test_bank_holidays_are_not_working_days():
    assert not is_working_day(D(2025, 12, 25))
    assert not is_working_day(D(2025, 4, 21))
    assert not is_working_day(D(2025, 6, 7))  # a Saturday
    assert is_working_day(D(2025, 4, 22))


def test_it_counts_working_days_between_two_dates():
    assert working_days_between(D(2025, 12, 24), D(2026, 1, 2)) == 4
    assert working_days_between(D(2026, 1, 2), D(2025, 12, 24)) == -4
    assert working_days_between(D(2025, 6, 2), D(2025, 6, 2)) == 0


@pytest.mark.parametrize("n", [0, 1, 5, 20, 60])
def test_counting_undoes_adding(n):
    start = D(2025, 12, 15)
    assert working_days_between(start, add_working_days(start, n)) == n
