"""The intervention as it stood at a moment, rebuilt from the audit trail.

Every tracked row keeps django-simple-history records, each with the day its change took
effect as well as the moment it was recorded (`interventions.models.valid_time`). A report
shows what was true on its as-of date as now known: a meeting entered the day after it was
held counts from its date, and a Direction imported long after it was made counts from the
day it was made. The movement since the previous report compares with what the record said
on that report's date (`known_on`), so a late correction shows as a movement. Rows that have
their own dates (meetings, recommendations, period updates) are also limited by those dates.

Each kind of row is read with one query for the whole intervention (not one per row), so the
number of queries does not grow with the data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from django.db import models

from boards.choices import RecommendationStatus
from boards.models import Action, Attendance, Board, Meeting, Recommendation
from directions import in_force
from directions.models import Direction, DirectionSet, ReportingDuty
from interventions import schedule
from interventions.choices import SlipBaseline, WorkStatus
from interventions.models import (
    Authority,
    Evidence,
    Intervention,
    Milestone,
    Person,
    Plan,
    Programme,
    ProgrammeUpdate,
    StrategicAim,
    Theme,
)
from interventions.models.intervention import as_precise
from interventions.models.valid_time import end_of, records_as_of

CLOSED_RECOMMENDATION = {RecommendationStatus.CLOSED, RecommendationStatus.IMPLEMENTED}


# ------------------------------------------------------------------------- the rows it holds
#
# A snapshot holds django-simple-history records, not the models themselves: simple-history
# builds each record class (`Programme.history.model`) when Django starts, so no type checker
# can name it. Each Protocol below lists what the reports (this module, reports.context, the
# templates under templates/reports/pdf and interventions.schedule) read from one kind of row;
# a record carries every field of its model, so it has all of them.


class Record(Protocol):
    """Any history record: the row's own id, and the id of the record itself."""

    id: int
    history_id: int


class PersonRow(Record, Protocol):
    name: str
    post: str


class PlanRow(Record, Protocol):
    title: str
    mission: str
    agreed_on: datetime.date | None


class AimRow(Record, Protocol):
    number: int
    title: str
    opened_on: datetime.date | None
    closed_on: datetime.date | None


class ProgrammeRow(Record, Protocol):
    aim_id: int
    number: int
    title: str
    required_by_directions: bool
    phase: str
    status: str
    rag: str
    sponsor_id: int | None
    sro_id: int | None
    lead_member_id: int | None
    opened_on: datetime.date | None
    closed_on: datetime.date | None
    merged_into_id: int | None


class MilestoneRow(Record, Protocol):
    programme_id: int
    position: int
    number: str
    title: str
    end_as_written: str
    planned_end: datetime.date | None
    baseline_end: datetime.date | None
    original_baseline_end: datetime.date | None
    forecast_end: datetime.date | None
    actual_end: datetime.date | None
    status: str
    rag: str

    def get_status_display(self) -> str: ...


class DirectionSetRow(Record, Protocol):
    key: str
    title: str
    made_on: datetime.date
    made_on_precision: str
    status: str
    status_changed_on: datetime.date | None
    expires_on: datetime.date | None


class DirectionRow(Record, Protocol):
    direction_set_id: int
    parent_id: int | None
    ref: str
    position: int
    short_title: str
    text: str
    deadline_as_written: str
    compliance: str
    met_on: datetime.date | None
    met_on_precision: str
    compliance_source: str
    evidence: str
    status: str
    status_changed_on: datetime.date | None
    expires_on: datetime.date | None


class BoardRow(Record, Protocol):
    name: str
    kind: str


class MeetingRow(Record, Protocol):
    board_id: int
    date: datetime.date
    title: str
    status: str
    summary: str

    def get_kind_display(self) -> str: ...

    def get_status_display(self) -> str: ...


class RecommendationRow(Record, Protocol):
    reference: str
    source: str
    title: str
    made_on: datetime.date
    made_on_precision: str
    response_due: datetime.date | None
    response: str
    responded_on: datetime.date | None
    published_on: datetime.date | None
    status: str

    def get_source_display(self) -> str: ...

    def get_status_display(self) -> str: ...


class UpdateRow(Record, Protocol):
    """A programme's update for one quarter (a `ProgrammeUpdate` record)."""

    programme_id: int
    period_start: datetime.date
    rag: str
    status: str
    summary: str
    next_steps: str
    risks: str
    decisions_needed: str


class AttendanceRow(Record, Protocol):
    meeting_id: int
    person_id: int
    status: str
    note: str

    def get_status_display(self) -> str: ...


class ActionRow(Record, Protocol):
    """An item of a board's action log (an `Action` record)."""

    meeting_id: int
    text: str
    owner_id: int | None
    due_on: datetime.date | None
    status: str

    def get_status_display(self) -> str: ...


class EvidenceRow(Record, Protocol):
    programme_id: int
    milestone_id: int | None
    kind: str
    title: str
    url: str
    original_name: str
    created: datetime.datetime


class DutyRow(Record, Protocol):
    """A reporting duty (a `ReportingDuty` record): the kind of report that discharges it."""

    report_kind: str
    title: str
    direction_id: int | None
    as_written: str


def days_late(milestone: MilestoneRow, against: str = SlipBaseline.ORIGINAL) -> int:
    """How many days a slipped milestone's forecast end is past the baseline it is measured
    against (the original one unless the report asks for the last approved one)."""
    return schedule.days_slipped(milestone, against)


# ------------------------------------------------------------------------------ reading them


def m2m_as_of(
    model: type[models.Model], name: str, records: Iterable[Record]
) -> dict[int, set[int]]:
    """For each row (by id), the ids linked through its many-to-many field `name`, as saved
    with the given history records; one query."""
    m2m_models = model._history_records.m2m_models  # type: ignore[attr-defined]  # set by `History`
    through = next(
        m2m_model
        for m2m_field, m2m_model in m2m_models.items()
        if m2m_field.name == name and m2m_field.model is model
    )
    by_history = {record.history_id: record.id for record in records}
    related = model._meta.get_field(name).related_model
    assert isinstance(related, type)  # the model it links to, once the app registry is ready
    target = related._meta.model_name
    links: dict[int, set[int]] = defaultdict(set)
    for history_id, target_id in through.objects.filter(history_id__in=by_history).values_list(
        "history_id", f"{target}_id"
    ):
        links[by_history[history_id]].add(target_id)
    return links


@dataclass
class Snapshot:
    """What the intervention's record said at `at`."""

    intervention: Intervention
    at: datetime.datetime
    as_of: datetime.date
    # Empty: as now known. A day (or a moment): as the record said at the end of it.
    known_on: datetime.date | datetime.datetime | None = None
    title: str = ""
    authority_name: str = ""
    plan: PlanRow | None = None
    aims: list[AimRow] = field(default_factory=list)
    programmes: list[ProgrammeRow] = field(default_factory=list)
    milestones: list[MilestoneRow] = field(default_factory=list)
    direction_sets: list[DirectionSetRow] = field(default_factory=list)
    directions: list[DirectionRow] = field(default_factory=list)
    boards: list[BoardRow] = field(default_factory=list)
    meetings: list[MeetingRow] = field(default_factory=list)
    recommendations: list[RecommendationRow] = field(default_factory=list)
    updates: list[UpdateRow] = field(default_factory=list)
    attendance: list[AttendanceRow] = field(default_factory=list)
    actions: list[ActionRow] = field(default_factory=list)
    evidence: list[EvidenceRow] = field(default_factory=list)
    duties: list[DutyRow] = field(default_factory=list)
    people: dict[int, PersonRow] = field(default_factory=dict)
    # Themes are not audited: they are the Best Value themes as they are today.
    themes: list[Theme] = field(default_factory=list)
    programme_themes: dict[int, set[int]] = field(default_factory=dict)
    direction_themes: dict[int, set[int]] = field(default_factory=dict)

    def person(self, pk: int | None) -> str:
        """The name of the person in a role (`programme.sro_id`…), "" when nobody is named."""
        person = self.people.get(pk) if pk is not None else None
        if person is None:
            return ""
        return person.name or f"{person.post} (vacant)"

    def milestones_of(self, programme: ProgrammeRow) -> list[MilestoneRow]:
        return [m for m in self.milestones if m.programme_id == programme.id]

    def programme(self, pk: int) -> ProgrammeRow | None:
        return next((p for p in self.programmes if p.id == pk), None)

    def top_level_directions(self) -> list[DirectionRow]:
        return [d for d in self.directions if d.parent_id is None]

    def items_of(self, direction: DirectionRow) -> list[DirectionRow]:
        return [d for d in self.directions if d.parent_id == direction.id]

    @property
    def several_sets(self) -> bool:
        """More than one set holds the Directions listed: each reference then names its set."""
        return len({d.direction_set_id for d in self.directions}) > 1

    def set_label(self, direction: DirectionRow) -> str:
        """The set of a Direction as lists name it: its key and the date it was made."""
        found = next((s for s in self.direction_sets if s.id == direction.direction_set_id), None)
        if found is None:
            return ""
        return f"{found.key}, made {as_precise(found.made_on, found.made_on_precision)}"

    def reference(self, direction: DirectionRow) -> str:
        if direction.parent_id is None:
            return direction.ref
        parent = next((d for d in self.directions if d.id == direction.parent_id), None)
        return f"{parent.ref}.{direction.ref}" if parent else direction.ref


def take(
    intervention: Intervention,
    as_of: datetime.date,
    *,
    known_on: datetime.date | datetime.datetime | None = None,
) -> Snapshot:
    """The intervention as it stood at the end of `as_of`, UK time: as now known, or as the
    record said at the end of `known_on` (a day, or a moment) when that is given (the audit
    view)."""
    snap = Snapshot(intervention=intervention, at=end_of(as_of), as_of=as_of, known_on=known_on)

    def rows_as_of(model: type[models.Model], **filters: Any) -> list[Any]:
        return records_as_of(model, as_of, known_on=known_on, **filters)

    # The names on the cover, as they were then (an authority or intervention may be renamed).
    records = rows_as_of(Intervention, id=intervention.pk)
    snap.title = records[0].title if records else intervention.title
    # The foreign key's column, not `.authority`, so that no query is made for it.
    authorities = rows_as_of(Authority, id=intervention.authority_id)
    snap.authority_name = authorities[0].name if authorities else intervention.authority.name
    plans = rows_as_of(Plan, intervention_id=intervention.pk)
    snap.plan = plans[0] if plans else None
    snap.aims = sorted(
        _in_plan(rows_as_of(StrategicAim, intervention_id=intervention.pk), as_of), key=_number
    )
    snap.programmes = sorted(
        _in_plan(rows_as_of(Programme, intervention_id=intervention.pk), as_of), key=_number
    )
    programme_ids = [p.id for p in snap.programmes]
    positions = {p.id: p.number for p in snap.programmes}
    snap.milestones = sorted(
        rows_as_of(Milestone, programme_id__in=programme_ids),
        key=lambda m: (positions.get(m.programme_id, 0), m.position),
    )
    snap.programme_themes = m2m_as_of(Programme, "themes", snap.programmes)
    snap.people = {p.id: p for p in rows_as_of(Person, intervention_id=intervention.pk)}
    snap.direction_sets = sorted(
        rows_as_of(DirectionSet, intervention_id=intervention.pk),
        key=lambda s: (s.made_on, s.id),
    )
    set_order = {s.id: i for i, s in enumerate(snap.direction_sets)}
    directions = rows_as_of(Direction, direction_set_id__in=list(set_order))
    # Looked up with a direction's parent_id, which a top-level direction has as None.
    by_id: dict[int | None, DirectionRow] = {d.id: d for d in directions}

    def reading_order(d: DirectionRow) -> tuple[int, int, int, bool, int]:
        parent = by_id.get(d.parent_id)
        top = parent or d
        return (
            set_order.get(d.direction_set_id, 0),
            top.position,
            top.id,
            parent is not None,
            d.position,
        )

    # Only the Directions in force on the as-of day, by the rule the pages use.
    sets_by_id = {s.id: s for s in snap.direction_sets}
    directions = [
        d
        for d in directions
        if d.direction_set_id in sets_by_id
        and in_force.direction_holds(
            d,
            by_id.get(d.parent_id) if d.parent_id is not None else None,
            sets_by_id[d.direction_set_id],
            as_of,
        )
    ]
    snap.directions = sorted(directions, key=reading_order)
    snap.direction_themes = m2m_as_of(Direction, "themes", snap.directions)
    snap.boards = sorted(
        rows_as_of(Board, intervention_id=intervention.pk), key=lambda b: (b.kind, b.name)
    )
    board_ids = [b.id for b in snap.boards]
    # Meetings after the as-of date are kept: as the schedule then stood, they are the next
    # period's.
    snap.meetings = sorted(
        rows_as_of(Meeting, board_id__in=board_ids), key=lambda m: (m.date, m.id)
    )
    meeting_ids = [m.id for m in snap.meetings if m.date <= as_of]
    snap.attendance = rows_as_of(Attendance, meeting_id__in=meeting_ids)
    snap.actions = sorted(
        rows_as_of(Action, meeting_id__in=meeting_ids), key=lambda a: (a.meeting_id, a.id)
    )
    # Evidence has no date of its own: it counts from the day it was added.
    snap.evidence = sorted(
        rows_as_of(Evidence, intervention_id=intervention.pk),
        key=lambda e: (positions.get(e.programme_id, 0), e.created, e.id),
    )
    snap.duties = rows_as_of(ReportingDuty, intervention_id=intervention.pk)
    snap.recommendations = sorted(
        (
            r
            for r in rows_as_of(Recommendation, intervention_id=intervention.pk)
            if r.made_on <= as_of
        ),
        key=lambda r: (r.made_on, r.reference),
    )
    snap.updates = sorted(
        (
            u
            for u in rows_as_of(ProgrammeUpdate, programme_id__in=programme_ids)
            if u.period_start <= as_of
        ),
        key=lambda u: (positions.get(u.programme_id, 0), u.period_start),
    )
    snap.themes = list(Theme.objects.order_by("position"))
    return snap


def _number(row: AimRow | ProgrammeRow) -> tuple[int, int]:
    return (row.number, row.id)


def _in_plan[R: AimRow | ProgrammeRow](rows: list[R], day: datetime.date) -> list[R]:
    """The aims or programmes that were part of the plan on `day`: opened by then and not
    closed (or merged) on or before it."""
    return [
        row
        for row in rows
        if (row.opened_on is None or row.opened_on <= day)
        and (row.closed_on is None or row.closed_on > day)
    ]


# ---------------------------------------------------------------------------------- movement


@dataclass
class Movement:
    """What moved between two snapshots: the previous report's and this one's."""

    since: datetime.date | None
    rag_changes: list[dict[str, Any]] = field(default_factory=list)
    completed: list[MilestoneRow] = field(default_factory=list)
    slipped: list[dict[str, Any]] = field(default_factory=list)
    recommendations_made: list[RecommendationRow] = field(default_factory=list)
    recommendations_answered: list[RecommendationRow] = field(default_factory=list)
    recommendations_closed: list[RecommendationRow] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (
                self.rag_changes,
                self.completed,
                self.slipped,
                self.recommendations_made,
                self.recommendations_answered,
                self.recommendations_closed,
            )
        )


def movement(
    current: Snapshot, previous: Snapshot | None, against: str = SlipBaseline.ORIGINAL
) -> Movement:
    """RAG changes, milestones completed, slips (measured `against` a baseline) and
    recommendations made, answered and closed since `previous` (or since the start, when
    there is none)."""
    since = previous.as_of if previous else None
    result = Movement(since=since)
    before_programmes = {p.id: p for p in previous.programmes} if previous else {}
    before_milestones = {m.id: m for m in previous.milestones} if previous else {}
    if previous is not None:
        for programme in current.programmes:
            old_programme = before_programmes.get(programme.id)
            if old_programme is not None and old_programme.rag != programme.rag:
                result.rag_changes.append(
                    {
                        "record": programme,
                        "label": f"Programme {programme.number}",
                        "title": programme.title,
                        "old": old_programme.rag,
                        "new": programme.rag,
                    }
                )
        for milestone in current.milestones:
            old_milestone = before_milestones.get(milestone.id)
            if old_milestone is not None and old_milestone.rag != milestone.rag:
                result.rag_changes.append(
                    {
                        "record": milestone,
                        "label": f"Milestone {milestone.number or milestone.position}",
                        "title": milestone.title,
                        "old": old_milestone.rag,
                        "new": milestone.rag,
                    }
                )
    for milestone in current.milestones:
        old_milestone = before_milestones.get(milestone.id)
        if milestone.status == WorkStatus.COMPLETE and (
            old_milestone is None or old_milestone.status != WorkStatus.COMPLETE
        ):
            result.completed.append(milestone)
        if schedule.is_slipped(milestone, against):
            moved = (
                old_milestone is None
                or old_milestone.forecast_end != milestone.forecast_end
                or not schedule.is_slipped(old_milestone, against)
            )
            if previous is None or moved:
                result.slipped.append(
                    {"milestone": milestone, "days": days_late(milestone, against)}
                )
    before_recommendations = {r.id: r for r in previous.recommendations} if previous else {}
    for rec in current.recommendations:
        old_rec = before_recommendations.get(rec.id)
        if old_rec is None:
            result.recommendations_made.append(rec)
        if rec.responded_on and (old_rec is None or not old_rec.responded_on):
            result.recommendations_answered.append(rec)
        if rec.status in CLOSED_RECOMMENDATION and (
            old_rec is None or old_rec.status not in CLOSED_RECOMMENDATION
        ):
            result.recommendations_closed.append(rec)
    return result
