"""Reporting periods: the quarters of the financial year in which the Board receives reports.

Q1 of 2025/26 runs from 1 April to 30 June 2025; Q4 from 1 January to 31 March 2026.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from interventions.dates.fuzzy import add_months


@dataclass(frozen=True, order=True)
class ReportingPeriod:
    """One quarter of a financial year, named as reports name it ("Q2 2025/26")."""

    start: datetime.date

    @classmethod
    def containing(cls, day: datetime.date) -> ReportingPeriod:
        # Financial quarters start in April, July, October and January: calendar quarters.
        return cls(datetime.date(day.year, (day.month - 1) // 3 * 3 + 1, 1))

    @property
    def end(self) -> datetime.date:
        return add_months(self.start, 3) - datetime.timedelta(days=1)

    @property
    def quarter(self) -> int:
        return (self.start.month - 4) % 12 // 3 + 1

    @property
    def financial_year(self) -> int:
        """The calendar year in which the financial year starts (2025 for 2025/26)."""
        return self.start.year if self.start.month >= 4 else self.start.year - 1

    @property
    def label(self) -> str:
        year = self.financial_year
        return f"Q{self.quarter} {year}/{(year + 1) % 100:02d}"

    def next(self) -> ReportingPeriod:
        return ReportingPeriod(add_months(self.start, 3))

    def previous(self) -> ReportingPeriod:
        return ReportingPeriod(add_months(self.start, -3))

    def __str__(self) -> str:
        return self.label
