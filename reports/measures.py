"""The reports' section on success measures: each measure by Best Value theme, with its trend
and its RAG against target as of the report's date (`Measure.standing_on`, the rule the pages
use), read from the audit trail as the rest of the report is (`records_as_of`), so that the
same date rebuilds the same section.
"""

from __future__ import annotations

import datetime
from typing import Any

from interventions.choices import MeasureAgreement, MeasureStanding
from interventions.measures.charts import MeasureTrendChart
from interventions.models import Intervention, Measure, MeasureReading, Person, Theme
from interventions.models.measures import agreed_on, format_figure, standing_on
from interventions.models.valid_time import records_as_of

NO_THEME = "No Best Value theme"

# The PDF's tag classes (static/css/report-pdf.css) for each standing.
TAG_VALUES = {
    MeasureStanding.ON_TRACK: "green",
    MeasureStanding.SLIGHTLY_BEHIND: "amber",
    MeasureStanding.OFF_TRACK: "red",
    MeasureStanding.NO_READING: "not_started",
}


def measures_section(
    intervention: Intervention,
    as_of: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> dict[str, Any]:
    """The measures proposed by `as_of`, grouped by theme in the themes' order, each with its
    RAG against target, gap, agreement (as it stood then) and trend chart."""
    measures = [
        m
        for m in records_as_of(Measure, as_of, known_on=known_on, intervention_id=intervention.pk)
        if m.proposed_on <= as_of
    ]
    readings: dict[int, list[Any]] = {}
    if measures:
        for reading in records_as_of(
            MeasureReading, as_of, known_on=known_on, measure_id__in=[m.id for m in measures]
        ):
            readings.setdefault(reading.measure_id, []).append(reading)
    owners = (
        {p.pk: p for p in Person.objects.filter(pk__in={m.owner_id for m in measures})}
        if measures
        else {}
    )
    themes = {t.pk: t.name for t in Theme.objects.all()} if measures else {}
    order = list(themes)
    groups: dict[int | None, list[dict[str, Any]]] = {}
    words = intervention.words
    for m in sorted(measures, key=lambda m: (m.title, m.id)):
        points = sorted(readings.get(m.id, []), key=lambda r: r.taken_on)
        standing = standing_on(m, as_of, points)
        agreed = agreed_on(m)
        owner = owners.get(m.owner_id)
        groups.setdefault(m.theme_id, []).append(
            {
                "measure": m,
                # The readings behind the trend and the standing (the report's sources).
                "readings": points,
                "owner": (owner.name or owner.post) if owner else "",
                "baseline": format_figure(m.baseline_value, m.unit),
                "target": format_figure(m.target_value, m.unit),
                "latest": format_figure(standing.reading.value, m.unit) if standing.reading else "",
                "latest_on": standing.reading.taken_on if standing.reading else None,
                "gap": format_figure(standing.gap, m.unit, 1) if standing.gap is not None else "",
                "target_met": standing.gap is not None and standing.gap <= 0,
                "rag": TAG_VALUES[MeasureStanding(standing.rag)],
                "rag_label": standing.label,
                "agreed": agreed is not None,
                "agreement": (
                    f"Agreed {agreed.day} {agreed:%B %Y}"
                    if agreed
                    else str(MeasureAgreement.PROPOSED.label)
                ),
                "chart": MeasureTrendChart(
                    title=f"Trend: {m.title}",
                    measure=m,
                    points=[(r.taken_on, float(r.value)) for r in points],
                    key=f"report-measure-{m.id}",
                ),
            }
        )
    return {
        "themes": [
            {"name": themes[pk] if pk is not None else NO_THEME, "measures": groups[pk]}
            for pk in [*order, None]
            if pk in groups
        ],
        "total": len(measures),
        "oversight": words.oversight_plural,
        "board": words.main_board,
    }
