"""Dates as plans write them: "Jan 2025", "Sept 2025", "Autumn 2025", "Q2 2025/26", "TBC".

A plan's start and end are kept exactly as written; `parse_period` turns the text into the
range of days it can mean, or None when it names no date ("Ongoing", "TBC", "when in post").
"""

import calendar
import datetime
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number in range(1, 13)
    for name in {
        calendar.month_name[number].lower(),
        calendar.month_abbr[number].lower(),
    }
}
MONTHS["sept"] = 9

# Meteorological seasons, as councils use them: first and last month (winter spans the new year).
SEASONS = {
    "spring": (3, 5),
    "summer": (6, 8),
    "autumn": (9, 11),
    "fall": (9, 11),
    "winter": (12, 2),
}
PARTS_OF_YEAR = {"early": (1, 4), "mid": (5, 8), "late": (9, 12)}


@dataclass(frozen=True)
class Period:
    """The first and last day a written date can mean."""

    start: datetime.date
    end: datetime.date


def last_day(year: int, month: int) -> datetime.date:
    return datetime.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` calendar months later, clamped to the end of a shorter month."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _months(year: int, first: int, last: int) -> Period:
    end_year = year + 1 if last < first else year
    return Period(datetime.date(year, first, 1), last_day(end_year, last))


def parse_period(text: str) -> Period | None:
    """The range of days a written date means, or None when it names no date."""
    try:
        return _parse(text)
    except ValueError:  # a day that does not exist, e.g. "30 February 2025"
        return None


def _parse(text: str) -> Period | None:
    words = re.sub(r"[(),]", " ", text.strip().lower()).split()
    if not words:
        return None
    joined = " ".join(words)

    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", joined):
        day = datetime.date(int(m[1]), int(m[2]), int(m[3]))
        return Period(day, day)
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)? ([a-z]+) (\d{4})", joined)
    if m and m[2] in MONTHS:
        day = datetime.date(int(m[3]), MONTHS[m[2]], int(m[1]))
        return Period(day, day)
    if m := re.fullmatch(r"([a-z]+) (\d{4})", joined):
        word, year = m[1], int(m[2])
        if word in MONTHS:
            return _months(year, MONTHS[word], MONTHS[word])
        if word in SEASONS:
            return _months(year, *SEASONS[word])
        if word in PARTS_OF_YEAR:
            return _months(year, *PARTS_OF_YEAR[word])
    if m := re.fullmatch(r"q([1-4]) (\d{4})/(\d{2,4})", joined):
        # Financial-year quarter: Q1 of 2025/26 is April to June 2025.
        quarter, year = int(m[1]), int(m[2])
        first = 4 + 3 * (quarter - 1)
        if first > 12:
            first, year = first - 12, year + 1
        return _months(year, first, first + 2)
    if m := re.fullmatch(r"(\d{4})/(\d{2,4})", joined):
        year = int(m[1])
        return Period(datetime.date(year, 4, 1), datetime.date(year + 1, 3, 31))
    if m := re.fullmatch(r"(\d{4})", joined):
        year = int(m[1])
        return Period(datetime.date(year, 1, 1), datetime.date(year, 12, 31))
    return None
