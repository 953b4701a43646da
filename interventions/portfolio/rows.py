"""One row per intervention: where each stood on a day, by the same rules as its dashboard.

The figures of every row are read together, a few queries for all the interventions (the sets
of Directions and the Directions in force, the programmes, the measures and their readings,
the issued reports); only the deadline engine runs once per intervention
(`interventions.dashboard.figures.deadlines_part`), in the fixed number of queries it takes
whatever the intervention's size. So the page's queries grow by a small constant for each
intervention, never with the data inside it.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse

from directions.choices import Compliance
from directions.models import Direction, DirectionSet
from interventions.choices import RAG, MeasureStanding
from interventions.dashboard.figures import DueReport, deadlines_part
from interventions.kit.as_of import AS_OF
from interventions.models import Intervention, Measure, Programme
from interventions.models.valid_time import records_as_of
from reports.models import Report

# The benchmark's synthetic interventions (`manage.py benchmark`, its `synthetic-N` slugs) are
# copies of real data: the portfolio says so, so that nobody takes them for a council.
SYNTHETIC_SLUG_PREFIX = "synthetic-"


@dataclass(frozen=True)
class SetInForce:
    """A set of Directions in force on the day: its title and the day it was made."""

    title: str
    made_on: datetime.date
    made_on_text: str


@dataclass(frozen=True)
class DirectionCompliance:
    """One Direction in force on the day and its compliance as it stood then."""

    reference: str
    compliance: str

    @property
    def label(self) -> str:
        return str(Compliance(self.compliance).label)


@dataclass
class PortfolioRow:
    """Where one intervention stood on `on`."""

    intervention: Intervention
    on: datetime.date
    today: datetime.date
    sets_in_force: list[SetInForce] = field(default_factory=list)
    directions: list[DirectionCompliance] = field(default_factory=list)
    overdue: int = 0
    next_reports: list[DueReport] = field(default_factory=list)
    next_report_due: datetime.date | None = None
    last_report: Report | None = None
    rag: Counter[str] = field(default_factory=Counter)
    measures_total: int = 0
    measures_on_target: int = 0

    # What the page shows and the table sorts by.
    @property
    def title(self) -> str:
        return self.intervention.title

    @property
    def authority(self) -> str:
        return self.intervention.authority.name

    @property
    def model(self) -> str:
        return self.intervention.get_model_display()

    @property
    def synthetic(self) -> bool:
        return self.intervention.slug.startswith(SYNTHETIC_SLUG_PREFIX)

    @property
    def dashboard_url(self) -> str:
        url = reverse("interventions:dashboard", kwargs={"slug": self.intervention.slug})
        if self.on != self.today:
            url += "?" + urlencode({AS_OF: self.on.isoformat()})
        return url

    @property
    def directions_made_on(self) -> datetime.date:
        """The latest set's date, for sorting (the earliest day when none is in force)."""
        return max((s.made_on for s in self.sets_in_force), default=datetime.date.min)

    @property
    def sets_text(self) -> str:
        return "; ".join(f"{s.title} ({s.made_on_text})" for s in self.sets_in_force)

    @property
    def compliance_counts(self) -> list[tuple[str, str, int]]:
        """(value, label, how many) of each compliance the Directions in force have."""
        counts = Counter(d.compliance for d in self.directions)
        return [(c.value, str(c.label), counts[c.value]) for c in Compliance if counts[c.value]]

    @property
    def compliance_text(self) -> str:
        """Each Direction in force and its compliance: "a: Met; b: Not met"."""
        return "; ".join(f"{d.reference}: {d.label}" for d in self.directions)

    @property
    def not_met(self) -> int:
        return sum(1 for d in self.directions if d.compliance == Compliance.NOT_MET)

    @property
    def next_report_text(self) -> str:
        return "; ".join(due.occurrence.what for due in self.next_reports)

    @property
    def next_report_sort(self) -> datetime.date:
        return self.next_report_due or datetime.date.max

    @property
    def last_report_on(self) -> datetime.date | None:
        return self.last_report.issued_on if self.last_report else None

    @property
    def last_report_sort(self) -> datetime.date:
        return self.last_report_on or datetime.date.min

    @property
    def last_report_text(self) -> str:
        return self.last_report.title if self.last_report else ""

    @property
    def rag_counts(self) -> list[tuple[str, str, int]]:
        """(value, label, how many) of each RAG, in the vocabulary's order, zeros left out."""
        return [(r.value, str(r.label), self.rag[r.value]) for r in RAG if self.rag[r.value]]

    @property
    def rag_text(self) -> str:
        return ", ".join(f"{label} {n}" for _, label, n in self.rag_counts)

    @property
    def red(self) -> int:
        return self.rag[RAG.RED.value]

    @property
    def measures_text(self) -> str:
        if not self.measures_total:
            return ""
        return f"{self.measures_on_target} of {self.measures_total}"


def _directions(rows: dict[int, PortfolioRow], on: datetime.date) -> None:
    """The sets of Directions and the Directions in force on `on` (`directions.in_force`), each
    with its compliance, as the dashboard and the Directions list count them: two queries for
    every intervention."""
    sets = DirectionSet.objects.filter(intervention_id__in=list(rows)).in_force_on(on)
    for direction_set in sets.order_by("made_on", "pk"):
        rows[direction_set.intervention_id].sets_in_force.append(
            SetInForce(direction_set.title, direction_set.made_on, direction_set.made_on_text)
        )
    directions = (
        Direction.objects.filter(direction_set__intervention_id__in=list(rows))
        .in_force_on(on)
        .top_level()
        .select_related("direction_set")
        .order_by("direction_set__made_on", "direction_set_id", "position", "pk")
    )
    for direction in directions:
        row = rows[direction.direction_set.intervention_id]
        reference = direction.ref
        if len(row.sets_in_force) > 1:
            reference = f"{direction.direction_set.title} {direction.ref}"
        row.directions.append(DirectionCompliance(reference, direction.compliance))


def _programmes(rows: dict[int, PortfolioRow], on: datetime.date, today: datetime.date) -> None:
    """The programmes in the plan on `on` by RAG, as the dashboard counts them: today's rows
    today, the history as now known for another day (one query)."""
    if on == today:
        counts = (
            Programme.objects.filter(intervention_id__in=list(rows))
            .open_on(on)
            .order_by()
            .values_list("intervention_id", "rag")
            .annotate(n=Count("pk"))
        )
        for intervention_id, rag, n in counts:
            rows[intervention_id].rag[rag] += n
        return
    for record in records_as_of(Programme, on, intervention_id__in=list(rows)):
        if (record.opened_on is None or record.opened_on <= on) and (
            record.closed_on is None or record.closed_on > on
        ):
            rows[record.intervention_id].rag[record.rag] += 1


def _measures(rows: dict[int, PortfolioRow], on: datetime.date) -> None:
    """Measures proposed by `on` and how many were on target then (`Measure.standing_on`, the
    dashboard's rule): two queries."""
    measures = Measure.objects.filter(
        intervention_id__in=list(rows), proposed_on__lte=on
    ).prefetch_related("readings")
    for measure in measures:
        row = rows[measure.intervention_id]
        row.measures_total += 1
        standing = measure.standing_on(on, list(measure.readings.all()))
        if standing.rag == MeasureStanding.ON_TRACK:
            row.measures_on_target += 1


def _last_reports(rows: dict[int, PortfolioRow], on: datetime.date) -> None:
    """The last report each intervention issued by `on` (one query): issued reports are
    what every reader of the intervention may read."""
    for report in Report.objects.issued().filter(intervention_id__in=list(rows)):
        issued_on = report.issued_on
        if issued_on is None or issued_on > on:
            continue
        row = rows[report.intervention_id]
        current = row.last_report
        if current is None or (issued_on, report.pk) > (current.issued_on, current.pk):
            row.last_report = report


def _deadlines(rows: Iterable[PortfolioRow], on: datetime.date, today: datetime.date) -> None:
    """Overdue deadlines and the next statutory report, as the dashboard reads them."""
    for row in rows:
        part = deadlines_part(row.intervention, on, today)
        row.overdue = int(part["overdue"])  # type: ignore[call-overload]
        row.next_reports = list(part["next_reports"])  # type: ignore[call-overload]
        next_due = part["next_report_due"]
        row.next_report_due = next_due if isinstance(next_due, datetime.date) else None


def portfolio_rows(
    interventions: Sequence[Intervention], on: datetime.date, today: datetime.date
) -> list[PortfolioRow]:
    """A row for each of `interventions` (which the caller has checked the user may see), as
    things stood on `on`."""
    rows = {i.pk: PortfolioRow(intervention=i, on=on, today=today) for i in interventions}
    if rows:
        _directions(rows, on)
        _programmes(rows, on, today)
        _measures(rows, on)
        _last_reports(rows, on)
        _deadlines(rows.values(), on, today)
    return list(rows.values())
