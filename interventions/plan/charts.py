"""Charts of the plan: programmes by RAG and milestones against their dates.

Drawn from plain counts, so that the dashboard (today's rows) and a PDF report (the rows of its
as-of snapshot) draw the same chart.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping

from django.utils.dateformat import format as format_date

from interventions.choices import RAG, MilestoneSchedule, SlipBaseline
from interventions.kit.charts import RAG_CHART_COLOURS, Bar, BarChart, Series, UrlFor, no_url
from interventions.kit.lists import DATE_FORMAT

SCHEDULE_COLOURS = {
    MilestoneSchedule.COMPLETE: RAG_CHART_COLOURS[RAG.COMPLETE],
    MilestoneSchedule.ON_TRACK: RAG_CHART_COLOURS[RAG.GREEN],
    MilestoneSchedule.SLIPPED: RAG_CHART_COLOURS[RAG.AMBER],
    MilestoneSchedule.OVERDUE: RAG_CHART_COLOURS[RAG.RED],
    MilestoneSchedule.CANCELLED: RAG_CHART_COLOURS[RAG.NOT_STARTED],
}


def rag_series() -> list[Series]:
    return [Series(rag.label, RAG_CHART_COLOURS[rag]) for rag in RAG]


def programmes_by_rag_chart(
    counts: Mapping[str, int], *, when: str = "now", url_for: UrlFor = no_url
) -> BarChart:
    """Programmes by RAG; `counts` by `RAG` value, `when` ends the title ("now", "on 1 May")."""
    return BarChart(
        f"Programmes by RAG {when}",
        unit="programmes",
        category_heading="RAG",
        bars=[
            Bar(rag.label, counts.get(rag.value, 0), RAG_CHART_COLOURS[rag], url_for(rag.value))
            for rag in RAG
        ],
    )


SLIPPED_AGAINST = {
    SlipBaseline.ORIGINAL: "the forecast end is later than the original baseline end (the "
    "first end agreed; approving a slip does not move it)",
    SlipBaseline.APPROVED: "the forecast end is later than the baseline end last approved "
    "through change control",
}


def milestones_by_schedule_chart(
    counts: Mapping[str, int],
    on: datetime.date,
    url_for: UrlFor = no_url,
    *,
    against: str = SlipBaseline.ORIGINAL,
) -> BarChart:
    """Milestones against their dates on `on`; `counts` by `MilestoneSchedule` value, slips
    measured `against` a baseline (which the description says)."""
    return BarChart(
        f"Milestones against their dates on {format_date(on, DATE_FORMAT)}",
        unit="milestones",
        category_heading="Against its dates",
        description=(
            "Overdue: past the forecast end (or the baseline end when there is no forecast) "
            f"and not complete. Slipped: {SLIPPED_AGAINST[SlipBaseline(against)]}."
        ),
        bars=[
            Bar(
                state.label,
                counts.get(state.value, 0),
                SCHEDULE_COLOURS[state],
                url_for(state.value),
            )
            for state in MilestoneSchedule
        ],
    )
