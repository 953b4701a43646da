"""The 5×5 heat map of a RAID log and its top risks, for the risk pages, the dashboard and the
reports alike.

The map is a real table, drawn on the server: impact down the side (severe at the top),
likelihood along the foot, each cell counting the open risks with that likelihood and impact
and naming its RAG band in words (`band_for`), so that neither colour nor position alone
carries the meaning. It works on rows or on history records (the reports draw from the audit
trail as of their date), read only for their scores, kind and reference.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from interventions.models.risks import (
    IMPACT_LABELS,
    LIKELIHOOD_LABELS,
    RISK_BAND_TAG_COLOURS,
    SCALE,
    band_for,
    band_label,
)

# How many risks "the top risks" lists.
TOP = 5


def caption(day: datetime.date, which: str = "residual", month: str = "%b") -> str:
    """The heat map's caption: what it counts, and on which day."""
    return (
        f"Open risks, issues and dependencies by {which} likelihood and impact"
        f" on {day.day} {day.strftime(month)} {day.year}"
    )


@dataclass(frozen=True)
class Cell:
    likelihood: int
    impact: int
    count: int
    url: str = ""

    @property
    def score(self) -> int:
        return self.likelihood * self.impact

    @property
    def band(self) -> str:
        return band_for(self.score)

    @property
    def band_name(self) -> str:
        """The band's word: Red, Amber, Green."""
        return band_label(self.band).split(" ")[0]

    @property
    def colour(self) -> str:
        return RISK_BAND_TAG_COLOURS[self.band]


@dataclass(frozen=True)
class Row:
    impact: int
    label: str
    cells: list[Cell]


@dataclass
class HeatMap:
    """Open risks counted by likelihood and impact: `rows` from impact 5 down to 1, each with
    a cell per likelihood from 1 to 5."""

    caption: str
    rows: list[Row] = field(default_factory=list)
    total: int = 0
    which: str = "residual"

    @property
    def likelihoods(self) -> list[str]:
        return [LIKELIHOOD_LABELS[n] for n in SCALE]

    @property
    def by_band(self) -> list[tuple[str, str, int]]:
        """(band word, colour, count) for each band, red first: the map's summary in words."""
        counts: dict[str, int] = {}
        for row in self.rows:
            for cell in row.cells:
                counts[cell.band] = counts.get(cell.band, 0) + cell.count
        return [
            (band_label(band).split(" ")[0], colour, counts.get(band, 0))
            for band, colour in RISK_BAND_TAG_COLOURS.items()
        ]


def heat_map(
    risks: Iterable[Any],
    caption: str,
    *,
    which: str = "residual",
    url: Callable[[int, int], str] | None = None,
) -> HeatMap:
    """The heat map of `risks` (rows or history records; only open ones are counted) by
    their `which` ("residual" or "inherent") likelihood and impact; `url(likelihood,
    impact)` links each cell that counts any."""
    counts: dict[tuple[int, int], int] = {}
    total = 0
    for risk in risks:
        if risk.status != "open":
            continue
        key = (getattr(risk, f"{which}_likelihood"), getattr(risk, f"{which}_impact"))
        counts[key] = counts.get(key, 0) + 1
        total += 1
    rows = [
        Row(
            impact,
            IMPACT_LABELS[impact],
            [
                Cell(
                    likelihood,
                    impact,
                    counts.get((likelihood, impact), 0),
                    url(likelihood, impact) if url and counts.get((likelihood, impact)) else "",
                )
                for likelihood in SCALE
            ],
        )
        for impact in reversed(SCALE)
    ]
    return HeatMap(caption=caption, rows=rows, total=total, which=which)


def top_risks(risks: Iterable[Any], n: int = TOP) -> list[Any]:
    """The `n` open risks with the highest residual score (then the highest impact, then the
    oldest raised): the order the log's own list uses."""
    open_risks = [r for r in risks if r.status == "open"]
    return sorted(
        open_risks,
        key=lambda r: (
            -(r.residual_likelihood * r.residual_impact),
            -r.residual_impact,
            r.raised_on,
            r.id,
        ),
    )[:n]
