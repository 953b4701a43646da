"""Every dated obligation of an intervention, as occurrences with a due date and a state.

The sources are:

- Directions with a relative or fixed deadline ("within three months of the date of these
  Directions"), counted in calendar months from the date of their set of Directions;
- recurring duties to report, each occurrence met by an issued report of its kind
  (`directions.ReportingDuty`): the quarterly report to the Board (Direction g), the six-monthly
  report to the Secretary of State (Direction j), the oversight's stocktake; a recurring Direction
  with no reporting duty is listed too, met only by its recorded compliance;
- milestone ends, the baseline (agreed) end and a forecast end that differs from it;
- responses to recommendations that have a response date;
- board meetings, met when held.

`deadlines_for(intervention, as_of)` computes them all in a fixed number of queries, whatever
the size of the intervention. The state of each occurrence is as it stood on `as_of`: anything
done after that day does not count yet.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from django.conf import settings
from django.db import models
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from boards.choices import MeetingStatus, RecommendationSource
from boards.models import Meeting, Recommendation
from directions.choices import Compliance, DeadlineKind
from directions.models import Direction, ReportingDuty
from interventions.choices import WorkStatus
from interventions.dates.fuzzy import add_months
from interventions.dates.schedules import occurrence_dates, period_end
from interventions.kit.kept import Kept
from interventions.models import Intervention, Milestone, Person, Programme, Theme
from interventions.models.data_version import current_version
from interventions.models.valid_time import records_as_of
from reports.models import Report


class State(models.TextChoices):
    """Where an occurrence stands on the as-of date."""

    UPCOMING = "upcoming", "Upcoming"
    DUE_SOON = "due_soon", "Due soon"
    MET_ON_TIME = "met_on_time", "Met on time"
    MET_LATE = "met_late", "Met late"
    MET = "met", "Met (date not recorded)"
    MISSED = "missed", "Missed"


STATE_TAG_COLOURS = {
    State.UPCOMING: "grey",
    State.DUE_SOON: "yellow",
    State.MET_ON_TIME: "green",
    State.MET_LATE: "orange",
    State.MET: "turquoise",
    State.MISSED: "red",
}

# What needs someone's attention on the as-of date.
OPEN_STATES = (State.UPCOMING, State.DUE_SOON, State.MISSED)


class Source(models.TextChoices):
    """What kind of record sets the obligation."""

    DIRECTION = "direction", "Direction"
    REPORT = "report", "Report"
    MILESTONE = "milestone", "Milestone"
    RECOMMENDATION = "recommendation", "Recommendation response"
    MEETING = "meeting", "Board meeting"


def report_what(intervention: Intervention, kind: str) -> str:
    """What meets a reporting duty of this kind, in the words of the intervention's model
    ("an issued Envoys' stocktake report"): `interventions.vocabulary`."""
    return intervention.words.report_what(kind)


@dataclass(frozen=True)
class Occurrence:
    """One dated obligation: when it is due, what it is, what meets it and where it stands."""

    uid: str  # stable across runs: the source row and the occurrence's number or role
    due: datetime.date
    what: str
    source: Source
    reference: str  # "Direction b", "Milestone 2.1", "Recommendation EY-2025-1" …
    url: str
    satisfied_by: str  # what meets it, in words: "an issued report to the Secretary of State"
    satisfied_on: datetime.date | None  # when it was met, if it was by the as-of date
    satisfied_note: str  # which record met it, e.g. the report's title
    state: State
    as_of: datetime.date
    responsible: Person | None = None
    themes: tuple[Theme, ...] = field(default=())
    # The paper it rests on: where the date it was met, or its due date, is recorded.
    basis: str = ""

    @property
    def state_label(self) -> str:
        return self.state.label

    @property
    def is_overdue(self) -> bool:
        return self.state == State.MISSED

    @property
    def days_left(self) -> int:
        """Days from the as-of date to the due date (negative once it has passed)."""
        return (self.due - self.as_of).days

    @property
    def theme_names(self) -> str:
        return ", ".join(theme.name for theme in self.themes)


def state_of(
    due: datetime.date,
    as_of: datetime.date,
    satisfied_on: datetime.date | None,
    *,
    met_undated: bool = False,
    due_soon_days: int | None = None,
) -> State:
    """The state of an obligation due on `due`, as it stood on `as_of`.

    `satisfied_on` after `as_of` does not count: on that day it had not happened yet.
    """
    if satisfied_on is not None and satisfied_on <= as_of:
        return State.MET_ON_TIME if satisfied_on <= due else State.MET_LATE
    if met_undated:
        return State.MET
    if due < as_of:
        return State.MISSED
    if (due - as_of).days <= (due_soon_days or settings.DUE_SOON_DAYS):
        return State.DUE_SOON
    return State.UPCOMING


# -------------------------------------------------------------------------------- sources


class _DirectionDetails(TypedDict):
    """What each occurrence of a Direction says about the Direction."""

    source: Source
    reference: str
    url: str
    themes: tuple[Theme, ...]


class _Builder:
    def __init__(self, intervention: Intervention, as_of: datetime.date, due_soon_days: int | None):
        self.intervention = intervention
        self.slug = intervention.slug
        self.as_of = as_of
        self.due_soon_days = due_soon_days or settings.DUE_SOON_DAYS
        self.until = period_end(intervention, as_of)
        self.items: list[Occurrence] = []
        # With more than one set of Directions, "Direction a" says which set it belongs to.
        self.several_sets = False

    def add(
        self,
        *,
        uid: str,
        due: datetime.date,
        what: str,
        source: Source,
        reference: str,
        url: str,
        satisfied_by: str,
        satisfied_on: datetime.date | None = None,
        met_undated: bool = False,
        satisfied_note: str = "",
        responsible: Person | None = None,
        themes: tuple[Theme, ...] = (),
        basis: str = "",
        met_basis: str = "",
    ) -> None:
        if satisfied_on is not None and satisfied_on > self.as_of:
            satisfied_on, satisfied_note = None, ""
        if satisfied_on is not None or met_undated:
            basis = "; ".join(part for part in (basis, met_basis) if part)
        state = state_of(
            due,
            self.as_of,
            satisfied_on,
            met_undated=met_undated,
            due_soon_days=self.due_soon_days,
        )
        self.items.append(
            Occurrence(
                uid=uid,
                due=due,
                what=what,
                source=source,
                reference=reference,
                url=url,
                satisfied_by=satisfied_by,
                satisfied_on=satisfied_on,
                satisfied_note=satisfied_note,
                state=state,
                as_of=self.as_of,
                responsible=responsible,
                themes=themes,
                basis=basis,
            )
        )

    def reference(self, direction: Direction) -> str:
        if self.several_sets:
            return f"Direction {direction.reference} ({direction.direction_set.label})"
        return f"Direction {direction.reference}"

    def window(self, direction: Direction) -> datetime.date | None:
        """The last day a Direction's duties can fall due: the end of the period, or the day
        before the Direction (or its set) stopped being in force. None when it had not been
        made by the as-of date: as things stood then, it did not exist."""
        if direction.direction_set.made_on > self.as_of:
            return None
        last = direction.last_day_in_force()
        return self.until if last is None else min(self.until, last)

    def met(self, direction: Direction, *counted: str) -> tuple[datetime.date | None, bool]:
        """When a Direction's recorded compliance (one of `counted`) met it, as things stood on
        the as-of date: from its `met_on` when recorded; with no date, "met (date not
        recorded)" only from the day that compliance was first recorded."""
        if direction.compliance not in counted:
            return None, False
        if direction.met_on is not None:
            return direction.met_on, False
        known = direction.compliance_known_on()
        return None, known is not None and known <= self.as_of

    # Directions ---------------------------------------------------------------------------

    def directions(self, directions: Iterable[Direction], with_duty: set[int]) -> None:
        for direction in directions:
            until = self.window(direction)
            first = direction.first_deadline()
            if first is None or until is None:
                continue
            common: _DirectionDetails = {
                "source": Source.DIRECTION,
                "reference": self.reference(direction),
                "url": direction.get_absolute_url(),
                "themes": tuple(direction.themes.all()),
            }
            source = direction.compliance_source
            if direction.deadline_kind == DeadlineKind.RECURRING:
                if direction.pk in with_duty:
                    continue  # listed with its reports, below
                met_on, undated = self.met(direction, Compliance.MET, Compliance.ONGOING)
                variations = [
                    (v.effective_from, v.interval_months) for v in direction.variations.all()
                ]
                dates = occurrence_dates(first, direction.interval_months, variations, until)
                for number, due in enumerate(dates, start=1):
                    self.add(
                        uid=f"direction-{direction.pk}-{number}",
                        due=due,
                        what=f"{direction.short_title or direction.reference} ({_ordinal(number)})",
                        satisfied_by="compliance with the Direction recorded as met",
                        satisfied_on=met_on,
                        met_undated=undated,
                        satisfied_note="Compliance recorded" if met_on else "",
                        basis=direction.first_due_source if number == 1 else "",
                        met_basis=source,
                        **common,
                    )
            elif first <= until:
                met_on, undated = self.met(direction, Compliance.MET)
                self.add(
                    uid=f"direction-{direction.pk}",
                    due=first,
                    what=direction.short_title or direction.text[:120],
                    satisfied_by="compliance with the Direction recorded as met",
                    satisfied_on=met_on,
                    met_undated=undated,
                    satisfied_note="Met" if met_on else "",
                    met_basis=source,
                    **common,
                )

    # Reports --------------------------------------------------------------------------------

    def duties(self, duties: Iterable[ReportingDuty], reports: Sequence[Report]) -> None:
        for duty in duties:
            direction = duty.direction
            until: datetime.date | None = self.until
            basis = ""
            if direction is not None:
                first = direction.first_deadline()
                interval = direction.interval_months
                variations = list(direction.variations.all())
                reference = self.reference(direction)
                url = direction.get_absolute_url()
                themes = tuple(direction.themes.all())
                # A duty tied to a Direction stops with it.
                until = self.window(direction)
                basis = direction.first_due_source
            else:
                first = add_months(self.intervention.directions_date, duty.first_due_months or 0)
                interval = duty.interval_months
                variations = list(duty.variations.all())
                reference = self.intervention.words.report_label(duty.report_kind)
                url = reverse("interventions:deadline_schedules", kwargs={"slug": self.slug})
                themes = ()
            if first is None or until is None:
                continue
            dates = occurrence_dates(
                first, interval, [(v.effective_from, v.interval_months) for v in variations], until
            )
            mine = [
                report
                for report in reports
                if report.kind == duty.report_kind
                and report.issued_on is not None
                and report.issued_on <= self.as_of
            ]
            previous = datetime.date.min
            for number, due in enumerate(dates, start=1):
                report = _report_for(mine, previous, due)
                previous = due
                self.add(
                    uid=f"duty-{duty.pk}-{number}",
                    due=due,
                    what=f"{duty.title} ({_ordinal(number)})",
                    source=Source.REPORT,
                    reference=reference,
                    url=url,
                    satisfied_by=report_what(self.intervention, duty.report_kind),
                    satisfied_on=report.issued_on if report else None,
                    satisfied_note=report.title if report else "",
                    responsible=duty.responsible,
                    themes=themes,
                    basis=basis if number == 1 else "",
                )

    # Milestones -----------------------------------------------------------------------------

    def milestones(self, milestones: Iterable[Milestone]) -> None:
        for milestone in milestones:
            programme = milestone.programme
            complete = milestone.status == WorkStatus.COMPLETE
            ends = [("baseline", "baseline end", milestone.baseline_end)]
            if milestone.forecast_end and milestone.forecast_end != milestone.baseline_end:
                ends.append(("forecast", "forecast end", milestone.forecast_end))
            for role, label, due in ends:
                if due is None:
                    continue
                self.add(
                    uid=f"milestone-{milestone.pk}-{role}",
                    due=due,
                    what=f"{milestone.title} ({label})",
                    source=Source.MILESTONE,
                    reference=f"Milestone {milestone.label}",
                    url=milestone.get_absolute_url(),
                    satisfied_by="the milestone completed",
                    satisfied_on=milestone.actual_end if complete else None,
                    met_undated=complete and milestone.actual_end is None,
                    satisfied_note="Completed" if complete else "",
                    responsible=programme.sro,
                    themes=tuple(programme.themes.all()),
                )

    # Recommendations ------------------------------------------------------------------------

    def recommendations(self, recommendations: Iterable[Recommendation]) -> None:
        for rec in recommendations:
            if rec.response_due is None:
                continue  # `deadlines_for` asks only for those with a response date
            # Direction h: the Board's recommendations are answered in public.
            in_public = rec.source == RecommendationSource.BOARD
            themes = {theme.pk: theme for p in rec.programmes.all() for theme in p.themes.all()}
            self.add(
                uid=f"recommendation-{rec.pk}",
                due=rec.response_due,
                what=f"Respond to: {rec.title}",
                source=Source.RECOMMENDATION,
                reference=f"Recommendation {rec.reference}",
                url=rec.get_absolute_url(),
                satisfied_by="a response published" if in_public else "a response made",
                satisfied_on=rec.published_on if in_public else rec.responded_on,
                satisfied_note="Response published" if in_public else "Response made",
                responsible=rec.owner,
                themes=tuple(sorted(themes.values(), key=lambda t: t.position)),
            )

    # Meetings -------------------------------------------------------------------------------

    def meetings(self, meetings: Iterable[Meeting]) -> None:
        held = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
        for meeting in meetings:
            board = meeting.board
            self.add(
                uid=f"meeting-{meeting.pk}",
                due=meeting.date,
                what=f"{board.name}: {meeting.title or meeting.get_kind_display()}",
                source=Source.MEETING,
                reference=f"Meeting of {board.name}",
                url=reverse("boards:board_detail", kwargs={"slug": self.slug, "key": board.key}),
                satisfied_by="the meeting held",
                satisfied_on=meeting.date if meeting.status in held else None,
                satisfied_note="Held" if meeting.status in held else "",
            )


def _report_for(
    reports: Sequence[Report], after: datetime.date, due: datetime.date
) -> Report | None:
    """The report that answers an occurrence: the first issued of those whose as-of date falls
    in the period the occurrence covers (after the previous one's due date, up to its own)."""
    candidates = [report for report in reports if after < report.as_of <= due]
    return min(candidates, key=lambda r: (r.issued_on, r.pk), default=None)


def _ordinal(number: int) -> str:
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


# ------------------------------------------------------------------------------ the engine


# Worked out once for each intervention, day and version of the data (interventions.kit.kept):
# the dashboard and the deadline pages each read them, and a change is rarer than a reading.
_KEPT = Kept()


def deadlines_for(
    intervention: Intervention,
    as_of: datetime.date | None = None,
    *,
    due_soon_days: int | None = None,
) -> list[Occurrence]:
    """Every dated obligation of the intervention, by due date, as things stood on `as_of`
    (today, UK time, unless given). Makes the same number of queries at any size, and one
    while nothing has changed since it was last worked out for the same day."""
    today = timezone.localdate()
    as_of = as_of or today
    days = due_soon_days or settings.DUE_SOON_DAYS
    key = (intervention.pk, as_of, today, days)
    kept = _KEPT.get(key, current_version(), lambda: tuple(_work_out(intervention, as_of, days)))
    return list(kept)


def _work_out(
    intervention: Intervention, as_of: datetime.date, due_soon_days: int
) -> list[Occurrence]:
    builder = _Builder(intervention, as_of, due_soon_days)

    duties = list(
        ReportingDuty.objects.filter(intervention=intervention)
        .select_related("direction__direction_set__intervention", "responsible")
        .prefetch_related("variations", "direction__variations", "direction__themes")
    )
    directions = list(
        Direction.objects.filter(
            direction_set__intervention=intervention,
            parent__isnull=True,
            deadline_kind__in=[DeadlineKind.RELATIVE, DeadlineKind.RECURRING, DeadlineKind.FIXED],
        )
        .select_related("direction_set__intervention")
        .prefetch_related("themes", "variations")
        .with_compliance_recorded_on()
    )
    sets = {d.direction_set_id for d in directions}
    sets |= {duty.direction.direction_set_id for duty in duties if duty.direction is not None}
    builder.several_sets = len(sets) > 1
    builder.directions(directions, {duty.direction_id for duty in duties if duty.direction_id})
    # A corrected copy reissues a report that already discharged its duty: not a new report.
    reports = list(
        Report.objects.issued()
        .filter(intervention=intervention, corrects__isnull=True)
        .order_by("as_of")
    )
    builder.duties(duties, reports)
    builder.milestones(_milestones_as_of(intervention, as_of))
    builder.recommendations(
        Recommendation.objects.filter(intervention=intervention, response_due__isnull=False)
        .select_related("intervention", "owner")
        .prefetch_related("programmes__themes")
    )
    builder.meetings(
        Meeting.objects.filter(board__intervention=intervention)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
    )
    return sorted(builder.items, key=lambda o: (o.due, o.source, o.reference, o.uid))


def _milestones_as_of(intervention: Intervention, as_of: datetime.date) -> list[Milestone]:
    """The intervention's milestones with their dates and status as they stood on `as_of`, as
    now known: a milestone re-baselined today keeps, for a past day, the end it had then, and
    one completed after that day is not complete yet. Cancelled ones are left out."""
    # Each programme read once and shared by its milestones (joined to every milestone, a
    # programme, its intervention and SRO were built again for each of them).
    programmes = Programme.objects.select_related("intervention", "sro").prefetch_related("themes")
    milestones = list(
        Milestone.objects.filter(programme__intervention=intervention).prefetch_related(
            Prefetch("programme", queryset=programmes)
        )
    )
    if as_of < timezone.localdate():
        then = {
            record.id: record
            for record in records_as_of(
                Milestone, as_of, programme_id__in={m.programme_id for m in milestones}
            )
        }
        stood = []
        for milestone in milestones:
            record = then.get(milestone.pk)
            if record is None:
                continue  # not in the plan yet on that day
            for name in ("baseline_end", "forecast_end", "actual_end", "status", "title"):
                setattr(milestone, name, getattr(record, name))
            stood.append(milestone)
        milestones = stood
    return [m for m in milestones if m.status != WorkStatus.CANCELLED]


def next_due(items: Iterable[Occurrence], source: Source | None = None) -> Occurrence | None:
    """The first occurrence not yet met and not yet past, of one source if given: "the next
    reporting deadline" is `next_due(items, Source.REPORT)`."""
    return next(
        (
            item
            for item in items
            if item.state in (State.DUE_SOON, State.UPCOMING)
            and (source is None or item.source == source)
        ),
        None,
    )
