"""The intervention dashboard: where the intervention stands on a day, and how it has moved.

Every figure comes with the address of the list page that shows the rows it counts, built
from the same filters that list page applies, so the figure and the page always agree. Each
part is one or two aggregate queries, whatever the size of the intervention; the deadlines
part runs the deadline engine, whose queries do not grow with the data either.

The charts are drawn by `*_chart` functions from plain counts, so that a PDF report, which
counts the rows of its as-of snapshot rather than today's, draws the same chart
(`reports.context`).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.dateformat import format as format_date

from boards.choices import BoardKind, MeetingStatus
from boards.models import Meeting, Recommendation, response_overdue
from directions.charts import directions_by_compliance_chart
from directions.in_force import direction_in_force
from directions.models import Direction
from interventions.choices import RAG, SlipBaseline
from interventions.deadlines.engine import (
    OPEN_STATES,
    Occurrence,
    Source,
    State,
    deadlines_for,
    next_due,
)
from interventions.deadlines.filters import PER_PAGE as DEADLINES_PER_PAGE
from interventions.kit.as_of import AS_OF
from interventions.kit.charts import (
    BLUE,
    Bar,
    BarChart,
    StackedBarChart,
    StackedColumnChart,
)
from interventions.kit.lists import DATE_FORMAT
from interventions.kit.routing import address
from interventions.models import Intervention, Milestone, Programme, Theme
from interventions.models.valid_time import end_of, records_as_of
from interventions.plan.charts import (
    milestones_by_schedule_chart,
    programmes_by_rag_chart,
    rag_series,
)

TREND_MONTHS = 12


@dataclass
class Links:
    """Addresses of an intervention's list pages, filtered; `on` is added unless it is today."""

    slug: str
    on: datetime.date
    today: datetime.date

    def url(self, name: str, dated: bool = False, **params: object) -> str:
        if dated and self.on != self.today:
            params[AS_OF] = self.on.isoformat()
        base = address(name, slug=self.slug)
        return f"{base}?{urlencode(params)}" if params else base


def directions_part(intervention: Intervention, links: Links) -> dict[str, object]:
    """Directions and sub-items in force on the dashboard's day, by compliance."""
    directions = Direction.objects.for_intervention(intervention).in_force_on(links.on)
    totals = directions.aggregate(
        directions=Count("pk", filter=Q(parent__isnull=True)),
        items=Count("pk", filter=Q(parent__isnull=False)),
    )
    counts = dict(directions.order_by().values_list("compliance").annotate(n=Count("pk")))
    chart = directions_by_compliance_chart(
        counts,
        lambda value: links.url("directions:direction_list", dated=True, compliance=value),
    )
    return {
        "totals": totals,
        "chart": chart,
        "url": links.url("directions:direction_list", dated=True),
    }


def programmes_by_rag(intervention: Intervention, links: Links) -> BarChart:
    """The programmes in the plan on the dashboard's day by RAG: the RAG their latest update
    had set by then (`ProgrammeUpdate`), as now known. Today's bars link to the programme
    list, which shows today's RAGs; a past day's bars cannot, so they link nowhere."""
    if links.on == links.today:
        programmes = Programme.objects.filter(intervention=intervention).open_on(links.on)
        counts = dict(programmes.order_by().values_list("rag").annotate(n=Count("pk")))
        return programmes_by_rag_chart(
            counts, url_for=lambda value: links.url("interventions:programme_list", rag=value)
        )
    records = records_as_of(Programme, links.on, intervention_id=intervention.pk)
    counts = Counter(
        record.rag
        for record in records
        if (record.opened_on is None or record.opened_on <= links.on)
        and (record.closed_on is None or record.closed_on > links.on)
    )
    return programmes_by_rag_chart(counts, when=f"on {format_date(links.on, DATE_FORMAT)}")


def _months_to(on: datetime.date, first: datetime.date) -> list[datetime.date]:
    """The first days of the months from `first`'s to `on`'s, at most the last twelve."""
    months: list[datetime.date] = []
    month = on.replace(day=1)
    while month >= first.replace(day=1) and len(months) < TREND_MONTHS:
        months.append(month)
        month = (month - datetime.timedelta(days=1)).replace(day=1)
    return months[::-1]


def rag_trend(intervention: Intervention, on: datetime.date) -> StackedColumnChart:
    """How many programmes stood at each RAG at the end of each month, as now known: a RAG
    entered late counts from the day it took effect (`interventions.models.valid_time`).

    The last column is the day `on` itself. Months before any programme was in the plan are
    left out: the record cannot say what it did not hold.
    """
    records = [
        (pk, rag, kind, valid_from or timezone.localdate(recorded), closed_on)
        for pk, rag, kind, recorded, valid_from, closed_on in Programme.history.filter(
            Q(valid_from__lte=on) | Q(valid_from__isnull=True, history_date__lte=end_of(on)),
            intervention_id=intervention.pk,
        )
        .order_by("history_date", "history_id")
        .values_list("id", "rag", "history_type", "history_date", "valid_from", "closed_on")
    ]
    title = "Programmes by RAG, month by month"
    if not records:
        return StackedColumnChart(
            title,
            unit="programmes",
            category_heading="Month",
            description="No programme was in the plan by then.",
            series=rag_series(),
        )
    first = min(record[3] for record in records)
    categories, values = [], []
    for month in _months_to(on, first):
        next_month = (month + datetime.timedelta(days=32)).replace(day=1)
        last_day = min(next_month - datetime.timedelta(days=1), on)
        # The latest recorded of the changes in effect by the month's last day, per programme;
        # a programme closed (or merged) by then is no longer in the plan.
        rags: dict[int, str] = {}
        for pk, rag, kind, effective, closed_on in records:
            if effective <= last_day:
                closed = closed_on is not None and closed_on <= last_day
                rags[pk] = "" if kind == "-" or closed else rag
        counts = Counter(rag for rag in rags.values() if rag)
        categories.append(format_date(month, "M Y"))
        values.append([counts.get(rag.value, 0) for rag in RAG])
    return StackedColumnChart(
        title,
        unit="programmes",
        category_heading="Month",
        description=(
            "Each column counts the programmes at each RAG at the end of the month, as now "
            f"known; the last column is {format_date(on, DATE_FORMAT)}. The plan's record "
            f"begins on {format_date(first, DATE_FORMAT)}."
        ),
        categories=categories,
        series=rag_series(),
        values=values,
    )


def milestones_by_schedule(
    intervention: Intervention,
    on: datetime.date,
    links: Links,
    against: str = SlipBaseline.ORIGINAL,
) -> BarChart:
    """Milestones against their dates on `on`, slips measured `against` a baseline; each bar
    links to the milestone list filtered the same way."""
    milestones = Milestone.objects.filter(programme__intervention=intervention).with_schedule(
        on, against
    )
    counts = dict(milestones.order_by().values_list("schedule").annotate(n=Count("pk")))
    asked = {} if against == SlipBaseline.ORIGINAL else {"against": against}
    return milestones_by_schedule_chart(
        counts,
        on,
        lambda value: links.url(
            "interventions:milestone_list", dated=True, schedule=value, **asked
        ),
        against=against,
    )


def recommendations_part(
    intervention: Intervention, on: datetime.date, links: Links
) -> dict[str, object]:
    unanswered = Q(responded_on__isnull=True)
    counts = Recommendation.objects.filter(intervention=intervention).aggregate(
        awaiting=Count("pk", filter=unanswered),
        overdue=Count("pk", filter=response_overdue(on)),
    )
    return {
        **counts,
        "awaiting_url": links.url("boards:recommendation_list", answered="false"),
        "overdue_url": links.url("boards:recommendation_list", dated=True, overdue="true"),
    }


def next_board_meeting(intervention: Intervention, on: datetime.date) -> Meeting | None:
    """The next meeting of the main board (the Transformation and Assurance Board, the
    Improvement and Recovery Board …, whatever the model calls it) on or after `on`. A sub-board
    is never the main board, whatever its kind says."""
    return (
        Meeting.objects.filter(
            board__intervention=intervention,
            board__kind=BoardKind.TRANSFORMATION_ASSURANCE,
            board__parent__isnull=True,
            date__gte=on,
        )
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
        .order_by("date")
        .first()
    )


@dataclass(frozen=True)
class DueReport:
    """A reporting deadline on the dashboard, with the address of the deadline list's page
    (filtered to reports) that shows its row."""

    occurrence: Occurrence
    url: str


def deadlines_part(
    intervention: Intervention, on: datetime.date, today: datetime.date
) -> dict[str, object]:
    """The next reporting deadline open on `on` (with any other report due the same day) and
    how many deadlines had been missed by then, each linking to the deadline pages."""
    items = deadlines_for(intervention, on)
    as_of = {} if on == today else {AS_OF: on.isoformat()}
    reports = [item for item in items if item.source == Source.REPORT]
    first = next_due(reports)
    # The deadline list keeps the engine's order (by due date), so a row's place among the
    # reports gives its page.
    due = [
        DueReport(
            item,
            _deadline_url(
                intervention,
                "interventions:deadline_list",
                source=Source.REPORT.value,
                **as_of,
                page=index // DEADLINES_PER_PAGE + 1,
            ),
        )
        for index, item in enumerate(reports)
        # Two duties can fall due the same day (a Board and a Secretary of State report).
        if first is not None and item.due == first.due and item.state in OPEN_STATES
    ]
    return {
        "next_reports": due,
        "next_report_due": first.due if first else None,
        "reports_url": _deadline_url(
            intervention, "interventions:deadline_list", source=Source.REPORT.value, **as_of
        ),
        "overdue": sum(1 for item in items if item.state == State.MISSED),
        "overdue_url": _deadline_url(intervention, "interventions:deadline_overdue", **as_of),
    }


def _deadline_url(intervention: Intervention, name: str, **params: object) -> str:
    if params.get("page") == 1:
        del params["page"]
    base = address(name, slug=intervention.slug)
    return f"{base}?{urlencode(params)}" if params else base


def themes_part(intervention: Intervention, links: Links) -> dict[str, object]:
    themes = list(Theme.objects.all())
    programme_counts = {
        (theme_id, rag): n
        for theme_id, rag, n in Programme.themes.through.objects.filter(
            programme__in=Programme.objects.filter(intervention=intervention).open_on(
                timezone.localdate()
            )
        )
        .values_list("theme_id", "programme__rag")
        .annotate(n=Count("programme_id"))
    }
    # Only the Directions in force on the dashboard's day.
    direction_counts = dict(
        Direction.themes.through.objects.filter(
            direction_in_force(links.on, "direction__"),
            direction__direction_set__intervention=intervention,
        )
        .values_list("theme_id")
        .annotate(n=Count("direction_id"))
    )
    programmes = StackedBarChart(
        "Programmes by Best Value theme and RAG",
        unit="programmes",
        category_heading="Best Value theme",
        description="A programme serving several themes is counted under each.",
        categories=[theme.name for theme in themes],
        series=rag_series(),
        values=[
            [programme_counts.get((theme.pk, rag.value), 0) for rag in RAG] for theme in themes
        ],
        urls=[
            [
                links.url("interventions:programme_list", theme=theme.pk, rag=rag.value)
                for rag in RAG
            ]
            for theme in themes
        ],
        total_urls=[links.url("interventions:programme_list", theme=theme.pk) for theme in themes],
    )
    directions = BarChart(
        "Directions and sub-items by Best Value theme",
        unit="Directions and sub-items",
        category_heading="Best Value theme",
        description="A Direction mapped to several themes is counted under each.",
        bars=[
            Bar(
                theme.name,
                direction_counts.get(theme.pk, 0),
                BLUE,
                links.url("directions:direction_list", dated=True, theme=theme.pk),
            )
            for theme in themes
        ],
    )
    return {"programmes": programmes, "directions": directions}


def dashboard_context(
    intervention: Intervention, on: datetime.date, against: str = SlipBaseline.ORIGINAL
) -> dict[str, object]:
    """Everything the dashboard shows for the day `on`, slips measured `against` a baseline."""
    today = timezone.localdate()
    links = Links(intervention.slug, on, today)
    return {
        "directions": directions_part(intervention, links),
        "programmes_by_rag": programmes_by_rag(intervention, links),
        "rag_trend": rag_trend(intervention, on),
        "milestones": milestones_by_schedule(intervention, on, links, against),
        "recommendations": recommendations_part(intervention, on, links),
        "next_meeting": next_board_meeting(intervention, on),
        "deadlines": deadlines_part(intervention, on, today),
        "themes": themes_part(intervention, links),
    }
