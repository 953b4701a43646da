"""The dashboard's Measures panel: success measures by Best Value theme, on target, off target
or without a reading, as of the dashboard's day.

A measure counts from the day it was proposed; its readings count from their own days, so the
panel as of an earlier day shows what the readings said then (`Measure.standing_on`, the one
rule). Each figure links to the list of the measures it counts.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from interventions.choices import OFF_TARGET, MeasureStanding
from interventions.kit.as_of import AS_OF
from interventions.kit.charts import Series, StackedBarChart
from interventions.measures.filters import OFF_TARGET_CHOICE
from interventions.models import Intervention, Measure, Theme

NO_THEME = "No Best Value theme"

# (label, colour, the list's `standing` filter value)
SERIES = [
    ("On target", "#00703c", MeasureStanding.ON_TRACK.value),
    ("Off target", "#d4351c", OFF_TARGET_CHOICE),
    ("No reading", "#505a5f", MeasureStanding.NO_READING.value),
]


def bucket(rag: str) -> int:
    """The panel's column for a measure's RAG: on target, off target (amber or red), none."""
    if rag == MeasureStanding.ON_TRACK:
        return 0
    return 1 if rag in OFF_TARGET else 2


def measures_panel(intervention: Intervention, on: datetime.date) -> dict[str, object]:
    """The figures and chart of the panel as of `on`: the measures, their readings and the
    themes (three queries whatever their number; one when there are none)."""
    measures = (
        Measure.objects.filter(intervention=intervention, proposed_on__lte=on)
        .select_related("theme")
        .prefetch_related("readings")
    )
    counts: dict[int | None, list[int]] = {}
    for measure in measures:
        standing = measure.standing_on(on, list(measure.readings.all()))
        row = counts.setdefault(measure.theme_id, [0, 0, 0])
        row[bucket(standing.rag)] += 1
    base = reverse("interventions:measure_list", kwargs={"slug": intervention.slug})

    def link(**params: object) -> str:
        return f"{base}?{urlencode({**params, AS_OF: on.isoformat()})}"

    categories, values, urls, totals = [], [], [], []
    for theme in Theme.objects.all() if counts else []:
        if theme.pk in counts:
            categories.append(theme.name)
            values.append(counts[theme.pk])
            urls.append([link(theme=theme.pk, standing=value) for _, _, value in SERIES])
            totals.append(link(theme=theme.pk))
    if None in counts:
        # The list cannot filter on "no theme"; the figure links to every measure instead.
        categories.append(NO_THEME)
        values.append(counts[None])
        urls.append(["" for _ in SERIES])
        totals.append("")
    chart = StackedBarChart(
        title=f"Success measures by Best Value theme on {on.strftime('%-d %b %Y')}",
        unit="measures",
        category_heading="Best Value theme",
        key="chart-measures-by-theme",
        categories=categories,
        series=[Series(label, colour) for label, colour, _ in SERIES],
        values=values,
        urls=urls,
        total_urls=totals,
    )
    return {
        "total": sum(sum(row) for row in values),
        "chart": chart,
        "url": link(),
    }
