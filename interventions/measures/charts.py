"""A success measure's trend, drawn on the server: its readings over time against the straight
line from its baseline to its target (the trajectory), for pages and PDF reports alike.

Like the dashboard's charts (`interventions.kit.charts`), it is an SVG with a title and a
description, says in words what it shows (`text_alternative`), and gives its figures as rows
of a table (`rows`); neither colour nor line style alone carries meaning, since the legend and
the table name every line.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils.html import escape

from interventions.kit.charts import AXIS, BLUE, FONT, GRID, TEXT, WIDTH, Chart
from interventions.models.measures import format_figure, trajectory

TRAJECTORY = "#505a5f"
TARGET = "#00703c"


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _text(x: float, y: float, content: str, **attrs: object) -> str:
    merged: dict[str, object] = {"font_family": FONT, "font_size": "13", "fill": TEXT, **attrs}
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in merged.items())
    return f'<text x="{x:.1f}" y="{y:.1f}"{extra}>{escape(content)}</text>'


@dataclass(frozen=True)
class TrendRow:
    """One reading in the chart's table: its date, figure and the trajectory's then."""

    day: datetime.date
    reading: str
    trajectory: str


@dataclass
class MeasureTrendChart(Chart):
    """Readings of one measure (`points`: (day, value), oldest first) against its trajectory.

    `measure` is a row or a history record (reports draw from the snapshot's records)."""

    measure: Any = None
    points: list[tuple[datetime.date, float]] = field(default_factory=list)

    def _figure(self, value: float, places: int = 4) -> str:
        return format_figure(value, self.measure.unit, places)

    def rows(self) -> list[TrendRow]:
        return [
            TrendRow(day, self._figure(value), self._figure(trajectory(self.measure, day), 1))
            for day, value in self.points
        ]

    def _figures_sentence(self) -> str:
        m = self.measure
        start = (
            f"From a baseline of {self._figure(m.baseline_value)} on {_day(m.baseline_on)} "
            f"to a target of {self._figure(m.target_value)} by {_day(m.target_on)}"
            f" ({'higher' if m.direction == 'higher' else 'lower'} is better)."
        )
        if not self.points:
            return f"{start} No readings yet."
        readings = "; ".join(
            f"{_day(day)}: {self._figure(value)} (trajectory {self._figure(trajectory(m, day))})"
            for day, value in self.points
        )
        return f"{start} Readings: {readings}."

    def _body(self) -> tuple[list[str], int]:
        m = self.measure
        left, right, top, plot_h = 76, 24, 40, 180
        plot_w = WIDTH - left - right
        bottom = top + plot_h
        days = [m.baseline_on, m.target_on, *(day for day, _ in self.points)]
        first, last = min(days), max(days)
        span = max(1, (last - first).days)
        values = [float(m.baseline_value), float(m.target_value), *(v for _, v in self.points)]
        low, high = min(values), max(values)
        if high == low:
            low, high = low - 1, high + 1
        pad = (high - low) * 0.1
        low, high = low - pad, high + pad

        def x(day: datetime.date) -> float:
            return left + plot_w * (day - first).days / span

        def y(value: float) -> float:
            return bottom - plot_h * (value - low) / (high - low)

        parts = [self._legend()]
        for i in range(5):
            value = low + (high - low) * i / 4
            ty = y(value)
            parts.append(
                f'<line x1="{left}" y1="{ty:.1f}" x2="{WIDTH - right}" y2="{ty:.1f}"'
                f' stroke="{GRID if i else AXIS}" stroke-width="1"/>'
                + _text(left - 6, ty + 4, self._figure(value, 1), text_anchor="end", font_size="11")
            )
        parts.append(
            f'<line x1="{x(m.baseline_on):.1f}" y1="{y(float(m.baseline_value)):.1f}"'
            f' x2="{x(m.target_on):.1f}" y2="{y(float(m.target_value)):.1f}"'
            f' stroke="{TRAJECTORY}" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<rect x="{x(m.target_on) - 6:.1f}" y="{y(float(m.target_value)) - 6:.1f}"'
            f' width="12" height="12" fill="{TARGET}"/>'
        )
        if self.points:
            path = " ".join(f"{x(day):.1f},{y(value):.1f}" for day, value in self.points)
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{BLUE}" stroke-width="3"/>'
            )
            for day, value in self.points:
                parts.append(f'<circle cx="{x(day):.1f}" cy="{y(value):.1f}" r="5" fill="{BLUE}"/>')
        labels = {first: "start", m.target_on: "end", last: "end"}
        for day, where in labels.items():
            anchor = "start" if where == "start" and day == first else "end"
            if day != first and day != last:
                anchor = "middle"
            parts.append(_text(x(day), bottom + 18, _day(day), text_anchor=anchor, font_size="12"))
        return parts, bottom + 30

    def _legend(self) -> str:
        items = [
            (
                f'<line x1="0" y1="14" x2="24" y2="14" stroke="{BLUE}" stroke-width="3"/>',
                "Readings",
            ),
            (
                f'<line x1="0" y1="14" x2="24" y2="14" stroke="{TRAJECTORY}" stroke-width="2"'
                ' stroke-dasharray="6 4"/>',
                "Trajectory from baseline to target",
            ),
            (f'<rect x="6" y="8" width="12" height="12" fill="{TARGET}"/>', "Target"),
        ]
        parts, offset = [], 0.0
        for mark, label in items:
            parts.append(
                f'<g transform="translate({offset:.1f},4)">{mark}' + _text(30, 18, label) + "</g>"
            )
            offset += 30 + len(label) * 7.2 + 24
        return "".join(parts)
