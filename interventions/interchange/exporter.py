"""Export of a whole intervention in the YAML format of `interchange.schema`.

Export reads the database into the schema classes: each field of a class is read from the row's
attribute of the same name, and only what the file writes differently from the database (keys
and references in place of rows, theme slugs, the as-written dates of milestones, a deadline's
fields) is written out here. So whatever is exported imports again, and export → import into an
empty database → export gives the identical file.

Each row entered or changed in Stocktake also carries its history, as dated `versions` read from
its history records by the same rule (docs/data-format.md, *History of changes*), so that a
report as of any day reads the same after the round trip. Stored files are described by their
identifier and stored name; their contents never enter the file.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from itertools import pairwise
from types import SimpleNamespace
from typing import Any

import yaml
from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from pydantic import BaseModel, ValidationError

from boards.models import Board, Meeting, Recommendation
from directions.models import Direction, DirectionSet, ReportingDuty
from interventions.interchange import schema as s
from interventions.interchange.importer import IMPORTED_FROM
from interventions.models import (
    Appointment,
    Intervention,
    Measure,
    Milestone,
    Plan,
    Programme,
    Risk,
    Theme,
)
from interventions.models.valid_time import effective_day
from reports.models import ExitJudgement, Expectation, Report

# The reason of the last version of a row changed without a history record.
UNRECORDED = "The row as it was when exported: this change had no history record"

# The values of a part's fields that are not the row's attribute of the same name (a person's
# key in place of the row it names), read from a row or from one of its history records.
type Values = Callable[[Any], dict[str, Any]]


def _read[Model: BaseModel](
    schema_class: type[Model], row: object, values: Values | None = None, **computed: Any
) -> Model:
    """`schema_class` from a database row: each field not given in `computed` (or by
    `values(row)`) is the row's attribute of that name; a part audited in Stocktake gets the
    row's `versions`, each read by the same rule from one of its history records.

    Rather than `model_validate(row, from_attributes=True)`, whose default silently fills a
    field the row lacks: the round trip would not notice a field always exported at its
    default, whereas here a field with no attribute of its name fails at once.
    """
    if values is not None:
        # Values only a version holds (a programme's aim) are not fields of the part.
        own = {k: v for k, v in values(row).items() if k in schema_class.model_fields}
        computed = {**own, **computed}
    versions: list[s.VersionIn] = []
    if issubclass(schema_class, s.Versioned) and isinstance(row, models.Model):
        versions = computed.pop("versions", None) or _versions(schema_class, row, values)
    names = schema_class.model_fields.keys() - computed - {"versions"}
    fields = {name: getattr(row, name) for name in names}
    part = schema_class.model_validate({**fields, **computed})
    if not versions:
        return part
    try:
        return schema_class.model_validate({**fields, **computed, "versions": versions})
    except ValidationError:
        # A past state today's rules refuse is still part of the record: written as it is,
        # for import to name the problem, rather than lost or refusing the whole export.
        return part.model_copy(update={"versions": versions})


def _state(schema_class: type[s.Versioned], record: Any, values: Values | None) -> dict[str, Any]:
    """What one history record says of the fields a version may change."""
    computed = values(record) if values is not None else {}
    state = {}
    for name in [*s.scalar_fields(schema_class), *sorted(schema_class.VERSION_EXTRAS)]:
        value = computed[name] if name in computed else getattr(record, name)
        state[name] = value.strip() if isinstance(value, str) else value
    return state


def _versions(
    schema_class: type[s.Versioned], row: models.Model, values: Values | None
) -> list[s.VersionIn]:
    """The row's recorded changes, as the file's `versions` (docs/data-format.md, *History of
    changes*).

    A row that only ever came from a file (every record's reason is "Imported from …") has
    none: import dates it again from the file. Any other row has all its records, so that the
    days its states took effect and were recorded come back as they were. A record that
    changes nothing the file holds is left out where that changes no answer to "as of a day":
    when it takes effect no earlier than the record before it.
    """
    history: Any = type(row).history  # type: ignore[attr-defined]  # added by simple-history
    records = list(history.filter(id=row.pk).order_by("history_date", "history_id"))
    kept: list[tuple[Any, dict[str, Any]]] = []
    for record in records:
        state = _state(schema_class, record, values)
        if kept and state == kept[-1][1] and effective_day(record) >= effective_day(kept[-1][0]):
            continue
        kept.append((record, state))
    if all((record.history_change_reason or "").startswith(IMPORTED_FROM) for record, _ in kept):
        return []
    now = _state(schema_class, row, values)
    if kept and now != kept[-1][1]:
        # The row was changed without a history record (a bulk update): the file ends with
        # the row as it is, recorded when the row was last saved, so the versions end there.
        marker = SimpleNamespace(
            history_date=max(
                getattr(row, "updated", None) or timezone.now(),
                kept[-1][0].history_date + datetime.timedelta(microseconds=1),
            ),
            valid_from=None,
            history_user_id=None,
            history_change_reason=UNRECORDED,
        )
        kept.append((marker, now))
    changed = {
        name
        for (_, before), (_, after) in pairwise(kept)
        for name in after
        if after[name] != before[name]
    }
    users = get_user_model().objects.filter(pk__in={record.history_user_id for record, _ in kept})
    usernames = dict(users.values_list("pk", "username"))
    versions = []
    for k, (record, state) in enumerate(kept):
        before = kept[k - 1][1] if k else None
        versions.append(
            s.VersionIn(
                recorded_at=record.history_date.astimezone(datetime.UTC),
                valid_from=record.valid_from,
                by=usernames.get(record.history_user_id, ""),
                reason=record.history_change_reason or "",
                fields={
                    name: value
                    for name, value in state.items()
                    if (name in changed if before is None else value != before[name])
                },
            )
        )
    return versions


def _slug(theme: Theme | None) -> str | None:
    return theme.slug if theme else None


def _slugs(themes: Iterable[Theme]) -> list[str]:
    return [theme.slug for theme in sorted(themes, key=lambda theme: theme.position)]


def _numbers(programmes: Iterable[Programme]) -> list[int]:
    return sorted(programme.number for programme in programmes)


def _set_ref(direction: Direction) -> str:
    return f"{direction.direction_set.key}/{direction.reference}"


class _Refs:
    """What the file writes in place of a row: a person's key, a user's username, a theme's
    slug, a set's key, a Direction's `SET/REF`, a programme's or aim's number, a board's key.
    Looked up by primary key, so that history records (whose links are only ids) read the
    same way as rows."""

    def __init__(self, intervention: Intervention) -> None:
        self.people = list(intervention.people.order_by("pk"))
        self.keys = {person.pk: person.key for person in self.people}
        self.usernames = dict(get_user_model().objects.values_list("pk", "username"))
        self.themes = dict(Theme.objects.values_list("pk", "slug"))
        self.sets = dict(intervention.direction_sets.values_list("pk", "key"))
        directions = Direction.objects.filter(direction_set__intervention=intervention)
        self.directions = {
            direction.pk: _set_ref(direction)
            for direction in directions.select_related("direction_set", "parent")
        }
        self.programmes = dict(intervention.programmes.values_list("pk", "number"))
        self.aims = dict(intervention.aims.values_list("pk", "number"))
        self.boards = dict(intervention.boards.values_list("pk", "key"))

    def __call__(self, person_id: int | None) -> str | None:
        return self.keys[person_id] if person_id else None

    def user(self, user_id: int | None) -> str | None:
        return self.usernames[user_id] if user_id else None

    def theme(self, theme_id: int | None) -> str | None:
        return self.themes[theme_id] if theme_id else None

    def direction(self, direction_id: int | None) -> str | None:
        return self.directions[direction_id] if direction_id else None


def _stored(record: Any, refs: _Refs) -> dict[str, Any]:
    """A stored file's fields: its identifier and stored name, never its contents."""
    return {
        "uuid": str(record.uuid),
        "stored_as": str(record.file or ""),
        "added_by": refs.user(record.added_by_id),
    }


def build(intervention: Intervention) -> s.InterventionFile:
    """The intervention as schema objects, in the order the file lists them."""
    refs = _Refs(intervention)
    appointments = (
        Appointment.objects.filter(person__intervention=intervention)
        .select_related("theme")
        .order_by("pk")
    )
    direction_sets = intervention.direction_sets.order_by("made_on", "pk").prefetch_related(
        "directions__themes", "directions__programmes", "directions__variations"
    )
    boards = (
        intervention.boards.order_by("pk")
        .select_related("parent")
        .prefetch_related(
            "memberships__theme",
            "meetings__agenda_items__programmes",
            "meetings__agenda_items__directions",
            "meetings__papers",
            "meetings__attendance",
            "meetings__actions",
            "requirements__theme",
            "requirements__direction__parent",
            "requirements__direction__direction_set",
        )
    )
    recommendations = (
        intervention.recommendations.order_by("made_on", "reference")
        .select_related("meeting__board")
        .prefetch_related(
            "directions__direction_set",
            "directions__parent",
            "programmes",
            "milestones__programme",
        )
    )
    duties = (
        intervention.reporting_duties.order_by("pk")
        .select_related("direction__direction_set", "direction__parent")
        .prefetch_related("variations")
    )
    # Only reports issued elsewhere: one issued here is its stored PDF, not a file entry.
    reports = intervention.reports.filter(issued_elsewhere=True).order_by("issued_on_date", "pk")
    measures = (
        Measure.objects.filter(intervention=intervention)
        .order_by("proposed_on", "pk")
        .prefetch_related("readings")
    )
    risks = (
        Risk.objects.filter(intervention=intervention)
        .order_by("raised_on", "pk")
        .prefetch_related("mitigations")
    )
    # Only those of reports issued elsewhere, the reports the file holds.
    expectations = (
        Expectation.objects.filter(intervention=intervention, report__issued_elsewhere=True)
        .select_related("report", "judged_in")
        .prefetch_related("programmes", "themes")
        .order_by("report__issued_on_date", "report_id", "pk")
    )
    # Oldest first; judgements of one day in the order they were made, which import keeps,
    # so that the later one of a theme on a day is still its latest.
    exit_judgements = ExitJudgement.objects.filter(intervention=intervention).order_by(
        "judged_on", "pk"
    )
    plan = Plan.objects.filter(intervention=intervention).first()
    # Each part is validated as it is read, but the file's rules between parts are not run:
    # the database holds what the application allowed, and an export that import would refuse
    # (import then names the problem) is still a copy of the data, where a refused export
    # would be none.
    return s.InterventionFile.model_construct(
        format=s.FORMAT_NAME,
        version=s.FORMAT_VERSION,
        authority=_read(s.AuthorityIn, intervention.authority),
        intervention=_read(s.InterventionIn, intervention),
        people=[
            _read(s.PersonIn, person, lambda r: {"user": refs.user(r.user_id)})
            for person in refs.people
        ],
        appointments=[
            _read(
                s.AppointmentIn,
                appointment,
                lambda r: {"person": refs(r.person_id), "theme": refs.theme(r.theme_id)},
            )
            for appointment in appointments
        ],
        direction_sets=[
            _build_direction_set(direction_set, refs) for direction_set in direction_sets
        ],
        plan=None if plan is None else _build_plan(plan, intervention, refs),
        boards=[_build_board(board, refs) for board in boards],
        recommendations=[_build_recommendation(rec, refs) for rec in recommendations],
        reporting_duties=[_build_reporting_duty(duty, refs) for duty in duties],
        reports_issued=[
            _read(
                s.ReportIssuedIn,
                report,
                lambda r: {
                    "issued_on": r.issued_on_date,
                    "as_of": None if r.as_of == r.issued_on_date else r.as_of,
                },
            )
            for report in reports
        ],
        measures=[_build_measure(measure, refs) for measure in measures],
        risks=[_build_risk(risk, refs) for risk in risks],
        expectations=[_build_expectation(expectation, refs) for expectation in expectations],
        exit_judgements=[
            _read(
                s.ExitJudgementIn,
                judgement,
                lambda r: {"theme": refs.theme(r.theme_id), "judged_by": refs(r.judged_by_id)},
            )
            for judgement in exit_judgements
        ],
    )


def _build_plan(plan: Plan, intervention: Intervention, refs: _Refs) -> s.PlanIn:
    aims = intervention.aims.order_by("number").prefetch_related(
        "programmes__themes",
        "programmes__co_sponsors",
        "programmes__milestones__change_requests",
        "programmes__milestones__comments",
        "programmes__milestones__evidence",
        "programmes__milestones__delegations",
        "programmes__updates",
        "programmes__comments",
        "programmes__evidence",
        "programmes__delegations",
        "programmes__merged_into",
    )
    return _read(
        s.PlanIn,
        plan,
        aims=[
            _read(
                s.AimIn,
                aim,
                programmes=[
                    _build_programme(programme, refs)
                    for programme in sorted(aim.programmes.all(), key=lambda p: p.number)
                ],
            )
            for aim in aims
        ],
    )


def _build_programme(programme: Programme, refs: _Refs) -> s.ProgrammeIn:
    def values(r: Any) -> dict[str, Any]:
        return {
            "sponsor": refs(r.sponsor_id),
            "sro": refs(r.sro_id),
            "lead_member": refs(r.lead_member_id),
            "merged_into": refs.programmes.get(r.merged_into_id),
            "aim": refs.aims.get(r.aim_id),
        }

    own = _programme_parts(programme.comments.all(), programme.evidence.all(), refs, None)
    return _read(
        s.ProgrammeIn,
        programme,
        values,
        co_sponsors=sorted(refs.keys[person.pk] for person in programme.co_sponsors.all()),
        themes=_slugs(programme.themes.all()),
        milestones=[
            _build_milestone(milestone, refs)
            for milestone in sorted(programme.milestones.all(), key=lambda m: m.position)
        ],
        updates=[
            _read(s.ProgrammeUpdateIn, update, lambda r: {"author": refs.user(r.author_id)})
            for update in sorted(programme.updates.all(), key=lambda u: u.period_start)
        ],
        delegations=_delegations(programme.delegations.all(), refs, None),
        **own,
    )


def _build_milestone(milestone: Milestone, refs: _Refs) -> s.MilestoneIn:
    return _read(
        s.MilestoneIn,
        milestone,
        lambda r: {
            "start": r.start_as_written,
            "end": r.end_as_written,
            "programme": refs.programmes.get(r.programme_id),
            "position": r.position,
        },
        change_requests=[
            _read(
                s.ChangeRequestIn,
                change,
                lambda r: {
                    "requested_by": refs.user(r.requested_by_id),
                    "decided_by": refs.user(r.decided_by_id),
                    "decided_at": r.decided_at.astimezone(datetime.UTC) if r.decided_at else None,
                },
            )
            for change in sorted(milestone.change_requests.all(), key=lambda c: (c.created, c.pk))
        ],
        delegations=_delegations(milestone.delegations.all(), refs, milestone.pk),
        **_programme_parts(milestone.comments.all(), milestone.evidence.all(), refs, milestone.pk),
    )


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    return moment.astimezone(datetime.UTC) if moment else None


def _comments(comments: Iterable[Any], refs: _Refs, milestone_id: int | None) -> list[Any]:
    """The comments and challenges on a milestone (or the programme as a whole), each
    challenge with its thread of replies (rows of the same list, with a parent)."""
    ordered = sorted(comments, key=lambda c: (c.created, c.pk))
    replies: dict[int, list[Any]] = {}
    for comment in ordered:
        if comment.parent_id is not None:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [
        _read(
            s.CommentIn,
            comment,
            lambda r: {
                "author": refs.user(r.author_id),
                "answered_by": refs.user(r.answered_by_id),
                "answered_at": _utc(r.answered_at),
                "resolved_by": refs.user(r.resolved_by_id),
                "resolved_at": _utc(r.resolved_at),
            },
            replies=[
                _read(s.ReplyIn, reply, lambda r: {"author": refs.user(r.author_id)})
                for reply in replies.get(comment.pk, [])
            ],
        )
        for comment in ordered
        if comment.milestone_id == milestone_id and comment.parent_id is None
    ]


def _programme_parts(
    comments: Iterable[Any], evidence: Iterable[Any], refs: _Refs, milestone_id: int | None
) -> dict[str, Any]:
    """Comments and evidence on a milestone, or on its programme as a whole (no milestone)."""
    return {
        "comments": _comments(comments, refs, milestone_id),
        "evidence": [
            _read(s.EvidenceIn, item, lambda r: _stored(r, refs))
            for item in sorted(evidence, key=lambda e: (e.created, e.pk))
            if item.milestone_id == milestone_id
        ],
    }


def _delegations(
    delegations: Iterable[Any], refs: _Refs, milestone_id: int | None
) -> list[s.DelegationIn]:
    return [
        _read(
            s.DelegationIn,
            delegation,
            lambda r: {"person": refs(r.person_id), "granted_by": refs.user(r.granted_by_id)},
        )
        for delegation in sorted(delegations, key=lambda d: (d.starts_on, d.pk))
        if delegation.milestone_id == milestone_id
    ]


def _build_direction_set(direction_set: DirectionSet, refs: _Refs) -> s.DirectionSetIn:
    directions = sorted(direction_set.directions.all(), key=lambda d: d.position)
    items: dict[int, list[Direction]] = {}
    for direction in directions:
        if direction.parent_id:
            items.setdefault(direction.parent_id, []).append(direction)
    return _read(
        s.DirectionSetIn,
        direction_set,
        lambda r: {"superseded_by": refs.sets.get(r.superseded_by_id)},
        directions=[
            _build_direction(direction, items.get(direction.pk, []), refs)
            for direction in directions
            if direction.parent_id is None
        ],
    )


def _build_direction(direction: Direction, items: list[Direction], refs: _Refs) -> s.DirectionIn:
    return _read(
        s.DirectionIn,
        direction,
        lambda r: {"superseded_by": refs.direction(r.superseded_by_id) or ""},
        themes=_slugs(direction.themes.all()),
        # The database keeps a deadline's fields on the Direction, under names of their own.
        deadline=_read(
            s.DeadlineIn,
            direction,
            kind=direction.deadline_kind,
            as_written=direction.deadline_as_written,
            months=direction.offset_months,
            days=direction.offset_days,
            varied=[
                _read(s.IntervalVariationIn, variation)
                for variation in sorted(direction.variations.all(), key=lambda v: v.effective_from)
            ],
        ),
        programmes=_numbers(direction.programmes.all()),
        items=[
            _read(
                s.DirectionItemIn,
                item,
                themes=_slugs(item.themes.all()),
                programmes=_numbers(item.programmes.all()),
            )
            for item in items
        ],
    )


def _build_board(board: Board, refs: _Refs) -> s.BoardIn:
    return _read(
        s.BoardIn,
        board,
        lambda r: {"parent": refs.boards.get(r.parent_id)},
        requirements=[
            _read(
                s.RequirementIn,
                requirement,
                lambda r: {
                    "direction": refs.direction(r.direction_id),
                    "theme": refs.theme(r.theme_id),
                },
            )
            for requirement in sorted(board.requirements.all(), key=lambda r: r.position)
        ],
        members=[
            _read(
                s.MembershipIn,
                membership,
                lambda r: {"person": refs(r.person_id), "theme": refs.theme(r.theme_id)},
            )
            for membership in sorted(board.memberships.all(), key=lambda m: m.pk)
        ],
        meetings=[
            _build_meeting(meeting, refs)
            for meeting in sorted(board.meetings.all(), key=lambda m: m.date)
        ],
    )


def _build_meeting(meeting: Meeting, refs: _Refs) -> s.MeetingIn:
    agenda = sorted(meeting.agenda_items.all(), key=lambda item: (item.position, item.pk))
    positions = {item.pk: item.position for item in agenda}
    return _read(
        s.MeetingIn,
        meeting,
        agenda=[
            _read(
                s.AgendaItemIn,
                item,
                lambda r: {"presenter": refs(r.presenter_id)},
                programmes=_numbers(item.programmes.all()),
                directions=sorted(_set_ref(direction) for direction in item.directions.all()),
            )
            for item in agenda
        ],
        papers=[
            _read(
                s.PaperIn,
                paper,
                lambda r: {**_stored(r, refs), "agenda_item": positions.get(r.agenda_item_id)},
            )
            for paper in sorted(meeting.papers.all(), key=lambda p: (p.created, p.pk))
        ],
        attendance=[
            _read(s.AttendanceIn, entry, lambda r: {"person": refs(r.person_id)})
            for entry in sorted(meeting.attendance.all(), key=lambda a: a.pk)
        ],
        actions=[
            _read(s.ActionIn, action, lambda r: {"owner": refs(r.owner_id)})
            for action in sorted(meeting.actions.all(), key=lambda a: a.pk)
        ],
    )


def _build_recommendation(rec: Recommendation, refs: _Refs) -> s.RecommendationIn:
    return _read(
        s.RecommendationIn,
        rec,
        lambda r: {"owner": refs(r.owner_id)},
        meeting=s.MeetingRef(board=rec.meeting.board.key, date=rec.meeting.date)
        if rec.meeting
        else None,
        directions=sorted(_set_ref(direction) for direction in rec.directions.all()),
        programmes=_numbers(rec.programmes.all()),
        milestones=[
            f"{milestone.programme.number}/{milestone.position}"
            for milestone in sorted(
                rec.milestones.all(), key=lambda m: (m.programme.number, m.position)
            )
        ],
    )


def _build_reporting_duty(duty: ReportingDuty, refs: _Refs) -> s.ReportingDutyIn:
    return _read(
        s.ReportingDutyIn,
        duty,
        lambda r: {
            "report": r.report_kind,
            "direction": refs.direction(r.direction_id) or "",
            "responsible": refs(r.responsible_id),
        },
        varied=[_read(s.IntervalVariationIn, variation) for variation in duty.variations.all()],
    )


def _build_measure(measure: Measure, refs: _Refs) -> s.MeasureIn:
    return _read(
        s.MeasureIn,
        measure,
        lambda r: {
            "aim": refs.aims[r.aim_id] if r.aim_id else None,
            "programme": refs.programmes[r.programme_id] if r.programme_id else None,
            "theme": refs.theme(r.theme_id),
            "owner": refs(r.owner_id),
            "oversight_agreed_by": refs(r.oversight_agreed_by_id),
        },
        readings=[
            _read(s.MeasureReadingIn, reading)
            for reading in sorted(measure.readings.all(), key=lambda r: r.taken_on)
        ],
    )


def _build_risk(risk: Risk, refs: _Refs) -> s.RiskIn:
    return _read(
        s.RiskIn,
        risk,
        lambda r: {
            "programme": refs.programmes[r.programme_id] if r.programme_id else None,
            "depends_on_programme": (
                refs.programmes[r.depends_on_programme_id] if r.depends_on_programme_id else None
            ),
            "owner": refs(r.owner_id),
        },
        mitigations=[
            _read(s.MitigationIn, mitigation, lambda r: {"owner": refs(r.owner_id)})
            for mitigation in sorted(
                risk.mitigations.all(), key=lambda m: (m.due_on or datetime.date.max, m.pk)
            )
        ],
    )


def _report_ref(report: Report | None) -> str | None:
    """A report issued elsewhere as the file names it, `KIND/ISSUED_ON`; None for any other
    (a report issued here is its stored PDF, not a file entry)."""
    if report is None or not report.issued_elsewhere:
        return None
    return f"{report.kind}/{report.issued_on_date}"


def _build_expectation(expectation: Expectation, refs: _Refs) -> s.ExpectationIn:
    reports = {expectation.report_id: expectation.report}
    if expectation.judged_in is not None:
        reports[expectation.judged_in.pk] = expectation.judged_in
    return _read(
        s.ExpectationIn,
        expectation,
        lambda r: {
            "report": _report_ref(reports.get(r.report_id)),
            "owner": refs(r.owner_id),
            "judged_by": refs(r.judged_by_id),
            "judged_in": _report_ref(reports.get(r.judged_in_id)),
        },
        programmes=_numbers(expectation.programmes.all()),
        themes=_slugs(expectation.themes.all()),
    )


class _Dumper(yaml.SafeDumper):
    """Block style for text with line breaks, so long passages stay readable in the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


def _represent_time(dumper: yaml.SafeDumper, value: datetime.time) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value.isoformat("minutes"))


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(datetime.time, _represent_time)


def dump(data: s.InterventionFile) -> str:
    """The file's text: fields left at their default are omitted."""
    document = _versions_last(data.model_dump(mode="python", exclude_defaults=True))
    # `format` and `version` always lead, even though they cannot take other values.
    document = {"format": s.FORMAT_NAME, "version": s.FORMAT_VERSION, **document}
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def _versions_last(value: Any) -> Any:
    """Each part's `versions` after its own fields, so that a row reads as it is now first."""
    if isinstance(value, list):
        return [_versions_last(item) for item in value]
    if isinstance(value, dict):
        moved = {key: _versions_last(item) for key, item in value.items() if key != "versions"}
        if "versions" in value:
            moved["versions"] = _versions_last(value["versions"])
        return moved
    return value


def export_intervention(intervention: Intervention) -> str:
    """The intervention's whole file, as text."""
    return dump(build(intervention))
