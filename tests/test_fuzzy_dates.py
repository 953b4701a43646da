"""Dates as plans write them: the range of days each written date can mean.

The contract is docs/data-format.md, "Dates as written": a month, season, part of a year,
financial-year quarter, financial year, calendar year or day means that range; anything else
(`Ongoing`, `TBC`, `when in post` …) names no date and gives None.
"""

import datetime

import pytest

from interventions.dates.fuzzy import Period, add_months, parse_period


def day(text: str) -> datetime.date:
    return datetime.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("Jan 2025", "2025-01-01", "2025-01-31"),
        ("Feb 2024", "2024-02-01", "2024-02-29"),
        ("Feb 2025", "2025-02-01", "2025-02-28"),
        ("Sept 2025", "2025-09-01", "2025-09-30"),
        ("Sep 2025", "2025-09-01", "2025-09-30"),
        ("July 2025", "2025-07-01", "2025-07-31"),
        ("December 2025", "2025-12-01", "2025-12-31"),
    ],
)
def test_a_month_means_every_day_of_that_month(written, first, last):
    assert parse_period(written) == Period(day(first), day(last))


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("Spring 2026", "2026-03-01", "2026-05-31"),
        ("Summer 2025", "2025-06-01", "2025-08-31"),
        ("Autumn 2025", "2025-09-01", "2025-11-30"),
        ("Fall 2025", "2025-09-01", "2025-11-30"),
        ("Winter 2025", "2025-12-01", "2026-02-28"),
        ("Winter 2023", "2023-12-01", "2024-02-29"),
    ],
)
def test_a_season_means_its_meteorological_months(written, first, last):
    assert parse_period(written) == Period(day(first), day(last))


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("Early 2026", "2026-01-01", "2026-04-30"),
        ("Mid 2026", "2026-05-01", "2026-08-31"),
        ("Late 2026", "2026-09-01", "2026-12-31"),
    ],
)
def test_early_mid_and_late_split_the_year_in_thirds(written, first, last):
    assert parse_period(written) == Period(day(first), day(last))


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [
        ("Q1 2025/26", "2025-04-01", "2025-06-30"),
        ("Q2 2025/26", "2025-07-01", "2025-09-30"),
        ("Q3 2025/26", "2025-10-01", "2025-12-31"),
        ("Q4 2025/26", "2026-01-01", "2026-03-31"),
        ("Q4 2025/2026", "2026-01-01", "2026-03-31"),
    ],
)
def test_a_quarter_is_of_the_financial_year_starting_in_april(written, first, last):
    assert parse_period(written) == Period(day(first), day(last))


def test_a_financial_year_runs_from_april_to_march():
    assert parse_period("2025/26") == Period(day("2025-04-01"), day("2026-03-31"))


def test_a_bare_year_is_the_calendar_year():
    assert parse_period("2025") == Period(day("2025-01-01"), day("2025-12-31"))


@pytest.mark.parametrize("written", ["22 January 2025", "22nd Jan 2025", "2025-01-22"])
def test_a_day_means_only_that_day(written):
    assert parse_period(written) == Period(day("2025-01-22"), day("2025-01-22"))


@pytest.mark.parametrize("written", ["  sept 2025 ", "SEPT 2025", "Sept, 2025", "(Sept 2025)"])
def test_case_spaces_commas_and_brackets_do_not_matter(written):
    assert parse_period(written) == Period(day("2025-09-01"), day("2025-09-30"))


@pytest.mark.parametrize(
    "written",
    ["Ongoing", "TBC", "when in post", "", "   ", "Dec 2025 onwards", "Smarch 2025", "Q5 2025/26"],
)
def test_text_that_names_no_date_it_understands_gives_none(written):
    assert parse_period(written) is None


@pytest.mark.parametrize("written", ["30 February 2025", "2025-02-30", "31 Apr 2025"])
def test_an_impossible_day_names_no_date_instead_of_crashing(written):
    # The documented contract is "anything else: no date". A ValueError here escapes
    # Milestone.save and the importer, which promises errors that name the file and path.
    assert parse_period(written) is None


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-01-22", 1, "2025-02-22"),
        ("2025-01-22", 3, "2025-04-22"),
        ("2025-01-22", 6, "2025-07-22"),
        ("2025-01-22", 12, "2026-01-22"),
        ("2025-01-22", 36, "2028-01-22"),
        ("2025-01-22", 0, "2025-01-22"),
        ("2025-01-31", 1, "2025-02-28"),
        ("2024-01-31", 1, "2024-02-29"),
        ("2025-08-31", 1, "2025-09-30"),
        ("2025-11-15", 2, "2026-01-15"),
    ],
)
def test_add_months_keeps_the_day_clamped_to_the_end_of_a_shorter_month(start, months, expected):
    assert add_months(day(start), months) == day(expected)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        ("2025-04-22", -3, "2025-01-22"),
        ("2025-01-22", -1, "2024-12-22"),
        ("2025-03-31", -1, "2025-02-28"),
        ("2024-03-31", -1, "2024-02-29"),
        ("2025-01-22", -13, "2023-12-22"),
    ],
)
def test_add_months_counts_backwards_for_negative_months(start, months, expected):
    assert add_months(day(start), months) == day(expected)
