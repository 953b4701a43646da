"""The intervention as it stood at a moment, rebuilt from the audit trail.

Every tracked row keeps django-simple-history records. A row's state at a moment is its latest
record at or before that moment, unless that record is a deletion. Rows carried in from
documents by `import_intervention` are recorded when the file is imported, which is often long
after the dates the documents describe: an imported row's first record therefore stands for
the row from the start, until the first change made after it. Rows that have their own dates
(meetings, recommendations, period updates) are also limited by those dates.

Each kind of row is read with one query for the whole intervention (not one per row), so the
number of queries does not grow with the data.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q

from boards.choices import RecommendationStatus
from boards.models import Board, Meeting, Recommendation
from directions.models import Direction, DirectionSet
from interventions import schedule
from interventions.choices import WorkStatus
from interventions.models import (
    Authority,
    Intervention,
    Milestone,
    Person,
    Plan,
    Programme,
    ProgrammeUpdate,
    StrategicAim,
    Theme,
)

IMPORT_REASON_PREFIX = "Imported from"
CLOSED_RECOMMENDATION = {RecommendationStatus.CLOSED, RecommendationStatus.IMPLEMENTED}


def rows_as_of(model: type[models.Model], at: datetime.datetime, **filters: Any) -> list[Any]:
    """The history records that give each row's state at `at` (deleted rows left out), read
    in one query; `filters` narrow the history table (e.g. intervention_id=…)."""
    history = model.history.model  # type: ignore[attr-defined]
    records = (
        history.objects.filter(**filters)
        .filter(
            Q(history_date__lte=at)
            | Q(history_type="+", history_change_reason__startswith=IMPORT_REASON_PREFIX)
        )
        .order_by("history_date", "history_id")
    )
    latest: dict[Any, Any] = {}
    imported: dict[Any, Any] = {}
    for record in records:
        if record.history_date <= at:
            latest[record.id] = record
        else:
            imported.setdefault(record.id, record)
    chosen = {**imported, **latest}
    return [record for record in chosen.values() if record.history_type != "-"]


def m2m_as_of(model: type[models.Model], name: str, records: Iterable[Any]) -> dict[Any, set]:
    """For each row (by id), the ids linked through its many-to-many field `name`, as saved
    with the given history records; one query."""
    through = next(
        m2m_model
        for m2m_field, m2m_model in model._history_records.m2m_models.items()  # type: ignore[attr-defined]
        if m2m_field.name == name and m2m_field.model is model
    )
    by_history = {record.history_id: record.id for record in records}
    target = model._meta.get_field(name).related_model._meta.model_name  # type: ignore[union-attr]
    links: dict[Any, set] = defaultdict(set)
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
    title: str = ""
    authority_name: str = ""
    plan: Any | None = None
    aims: list[Any] = field(default_factory=list)
    programmes: list[Any] = field(default_factory=list)
    milestones: list[Any] = field(default_factory=list)
    direction_sets: list[Any] = field(default_factory=list)
    directions: list[Any] = field(default_factory=list)
    boards: list[Any] = field(default_factory=list)
    meetings: list[Any] = field(default_factory=list)
    recommendations: list[Any] = field(default_factory=list)
    updates: list[Any] = field(default_factory=list)
    people: dict[Any, Any] = field(default_factory=dict)
    themes: list[Theme] = field(default_factory=list)
    programme_themes: dict[Any, set] = field(default_factory=dict)
    direction_themes: dict[Any, set] = field(default_factory=dict)

    def person(self, pk: Any) -> str:
        person = self.people.get(pk)
        if person is None:
            return ""
        return person.name or f"{person.post} (vacant)"

    def milestones_of(self, programme: Any) -> list[Any]:
        return [m for m in self.milestones if m.programme_id == programme.id]

    def programme(self, pk: Any) -> Any | None:
        return next((p for p in self.programmes if p.id == pk), None)

    def top_level_directions(self) -> list[Any]:
        return [d for d in self.directions if d.parent_id is None]

    def items_of(self, direction: Any) -> list[Any]:
        return [d for d in self.directions if d.parent_id == direction.id]

    def reference(self, direction: Any) -> str:
        if direction.parent_id is None:
            return direction.ref
        parent = next((d for d in self.directions if d.id == direction.parent_id), None)
        return f"{parent.ref}.{direction.ref}" if parent else direction.ref


def take(intervention: Intervention, as_of: datetime.date) -> Snapshot:
    """The intervention's record as it stood at the end of `as_of`, UK time."""
    from reports.models import snapshot_moment

    at = snapshot_moment(as_of)
    snap = Snapshot(intervention=intervention, at=at, as_of=as_of)
    # The names on the cover, as they were then (an authority or intervention may be renamed).
    records = rows_as_of(Intervention, at, id=intervention.pk)
    snap.title = records[0].title if records else intervention.title
    authorities = rows_as_of(Authority, at, id=intervention.authority_id)
    snap.authority_name = authorities[0].name if authorities else intervention.authority.name
    plans = rows_as_of(Plan, at, intervention_id=intervention.pk)
    snap.plan = plans[0] if plans else None
    snap.aims = sorted(rows_as_of(StrategicAim, at, intervention_id=intervention.pk), key=_number)
    snap.programmes = sorted(
        rows_as_of(Programme, at, intervention_id=intervention.pk), key=_number
    )
    programme_ids = [p.id for p in snap.programmes]
    positions = {p.id: p.number for p in snap.programmes}
    snap.milestones = sorted(
        rows_as_of(Milestone, at, programme_id__in=programme_ids),
        key=lambda m: (positions.get(m.programme_id, 0), m.position),
    )
    snap.programme_themes = m2m_as_of(Programme, "themes", snap.programmes)
    snap.people = {p.id: p for p in rows_as_of(Person, at, intervention_id=intervention.pk)}
    snap.direction_sets = sorted(
        rows_as_of(DirectionSet, at, intervention_id=intervention.pk),
        key=lambda s: (s.made_on, s.id),
    )
    set_order = {s.id: i for i, s in enumerate(snap.direction_sets)}
    directions = rows_as_of(Direction, at, direction_set_id__in=list(set_order))
    by_id = {d.id: d for d in directions}

    def reading_order(d: Any) -> tuple:
        parent = by_id.get(d.parent_id)
        top = parent or d
        return (
            set_order.get(d.direction_set_id, 0),
            top.position,
            top.id,
            parent is not None,
            d.position,
        )

    snap.directions = sorted(directions, key=reading_order)
    snap.direction_themes = m2m_as_of(Direction, "themes", snap.directions)
    snap.boards = sorted(
        rows_as_of(Board, at, intervention_id=intervention.pk), key=lambda b: (b.kind, b.name)
    )
    board_ids = [b.id for b in snap.boards]
    # Meetings after the as-of date are kept: as the schedule then stood, they are the next
    # period's.
    snap.meetings = sorted(
        rows_as_of(Meeting, at, board_id__in=board_ids), key=lambda m: (m.date, m.id)
    )
    snap.recommendations = sorted(
        (
            r
            for r in rows_as_of(Recommendation, at, intervention_id=intervention.pk)
            if r.made_on <= as_of
        ),
        key=lambda r: (r.made_on, r.reference),
    )
    snap.updates = sorted(
        (
            u
            for u in rows_as_of(ProgrammeUpdate, at, programme_id__in=programme_ids)
            if u.period_start <= as_of
        ),
        key=lambda u: (positions.get(u.programme_id, 0), u.period_start),
    )
    snap.themes = list(Theme.objects.order_by("position"))
    return snap


def _number(row: Any) -> tuple:
    return (row.number, row.id)


# ---------------------------------------------------------------------------------- movement


@dataclass
class Movement:
    """What moved between two snapshots: the previous report's and this one's."""

    since: datetime.date | None
    rag_changes: list[dict[str, Any]] = field(default_factory=list)
    completed: list[Any] = field(default_factory=list)
    slipped: list[dict[str, Any]] = field(default_factory=list)
    recommendations_made: list[Any] = field(default_factory=list)
    recommendations_answered: list[Any] = field(default_factory=list)
    recommendations_closed: list[Any] = field(default_factory=list)

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


def movement(current: Snapshot, previous: Snapshot | None) -> Movement:
    """RAG changes, milestones completed, slips against baseline and recommendations made,
    answered and closed since `previous` (or since the start, when there is none)."""
    since = previous.as_of if previous else None
    result = Movement(since=since)
    before_programmes = {p.id: p for p in previous.programmes} if previous else {}
    before_milestones = {m.id: m for m in previous.milestones} if previous else {}
    if previous is not None:
        for programme in current.programmes:
            old = before_programmes.get(programme.id)
            if old is not None and old.rag != programme.rag:
                result.rag_changes.append(
                    {
                        "label": f"Programme {programme.number}",
                        "title": programme.title,
                        "old": old.rag,
                        "new": programme.rag,
                    }
                )
        for milestone in current.milestones:
            old = before_milestones.get(milestone.id)
            if old is not None and old.rag != milestone.rag:
                result.rag_changes.append(
                    {
                        "label": f"Milestone {milestone.number or milestone.position}",
                        "title": milestone.title,
                        "old": old.rag,
                        "new": milestone.rag,
                    }
                )
    for milestone in current.milestones:
        old = before_milestones.get(milestone.id)
        if milestone.status == WorkStatus.COMPLETE and (
            old is None or old.status != WorkStatus.COMPLETE
        ):
            result.completed.append(milestone)
        if schedule.is_slipped(milestone):
            moved = (
                old is None
                or old.forecast_end != milestone.forecast_end
                or not schedule.is_slipped(old)
            )
            if previous is None or moved:
                result.slipped.append(
                    {
                        "milestone": milestone,
                        "days": (milestone.forecast_end - milestone.baseline_end).days,
                    }
                )
    before_recommendations = {r.id: r for r in previous.recommendations} if previous else {}
    for rec in current.recommendations:
        old = before_recommendations.get(rec.id)
        if old is None:
            result.recommendations_made.append(rec)
        if rec.responded_on and (old is None or not old.responded_on):
            result.recommendations_answered.append(rec)
        if rec.status in CLOSED_RECOMMENDATION and (
            old is None or old.status not in CLOSED_RECOMMENDATION
        ):
            result.recommendations_closed.append(rec)
    return result
