"""Export of a whole intervention in the YAML format of `interchange.schema`.

Export reads the database into the schema classes: each field of a class is read from the row's
attribute of the same name, and only what the file writes differently from the database (keys
and references in place of rows, theme slugs, the as-written dates of milestones, a deadline's
fields) is written out here. So whatever is exported imports again, and export → import into an
empty database → export gives the identical file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml
from pydantic import BaseModel

from boards.models import Board, Recommendation
from directions.models import Direction, DirectionSet, ReportingDuty
from interventions.interchange import schema as s
from interventions.models import Appointment, Intervention, Plan, Programme, Theme


def _read[Model: BaseModel](schema_class: type[Model], row: object, **computed: Any) -> Model:
    """`schema_class` from a database row: each field not given in `computed` is the row's
    attribute of that name.

    Rather than `model_validate(row, from_attributes=True)`, whose default silently fills a
    field the row lacks: the round trip would not notice a field always exported at its
    default, whereas here a field with no attribute of its name fails at once.
    """
    fields = {name: getattr(row, name) for name in schema_class.model_fields.keys() - computed}
    return schema_class.model_validate({**fields, **computed})


def _slug(theme: Theme | None) -> str | None:
    return theme.slug if theme else None


def _slugs(themes: Iterable[Theme]) -> list[str]:
    return [theme.slug for theme in sorted(themes, key=lambda theme: theme.position)]


def _numbers(programmes: Iterable[Programme]) -> list[int]:
    return sorted(programme.number for programme in programmes)


def _set_ref(direction: Direction) -> str:
    return f"{direction.direction_set.key}/{direction.reference}"


class _Keys:
    """People's keys by primary key: the file names a person by key, the database by row."""

    def __init__(self, intervention: Intervention) -> None:
        self.people = list(intervention.people.order_by("pk"))
        self.by_pk = {person.pk: person.key for person in self.people}

    def __call__(self, person_id: int | None) -> str | None:
        return self.by_pk[person_id] if person_id else None


def build(intervention: Intervention) -> s.InterventionFile:
    """The intervention as schema objects, in the order the file lists them."""
    keys = _Keys(intervention)
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
            "meetings",
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
        people=[_read(s.PersonIn, person) for person in keys.people],
        appointments=[
            _read(
                s.AppointmentIn,
                appointment,
                person=keys(appointment.person_id),
                theme=_slug(appointment.theme),
            )
            for appointment in appointments
        ],
        direction_sets=[_build_direction_set(direction_set) for direction_set in direction_sets],
        plan=None if plan is None else _build_plan(plan, intervention, keys),
        boards=[_build_board(board, keys) for board in boards],
        recommendations=[_build_recommendation(rec, keys) for rec in recommendations],
        reporting_duties=[_build_reporting_duty(duty, keys) for duty in duties],
        reports_issued=[
            _read(
                s.ReportIssuedIn,
                report,
                issued_on=report.issued_on_date,
                as_of=None if report.as_of == report.issued_on_date else report.as_of,
            )
            for report in reports
        ],
    )


def _build_plan(plan: Plan, intervention: Intervention, keys: _Keys) -> s.PlanIn:
    aims = intervention.aims.order_by("number").prefetch_related(
        "programmes__themes",
        "programmes__co_sponsors",
        "programmes__milestones",
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
                    _build_programme(programme, keys)
                    for programme in sorted(aim.programmes.all(), key=lambda p: p.number)
                ],
            )
            for aim in aims
        ],
    )


def _build_programme(programme: Programme, keys: _Keys) -> s.ProgrammeIn:
    return _read(
        s.ProgrammeIn,
        programme,
        sponsor=keys(programme.sponsor_id),
        sro=keys(programme.sro_id),
        lead_member=keys(programme.lead_member_id),
        co_sponsors=sorted(keys.by_pk[person.pk] for person in programme.co_sponsors.all()),
        themes=_slugs(programme.themes.all()),
        merged_into=programme.merged_into.number if programme.merged_into else None,
        milestones=[
            _read(
                s.MilestoneIn,
                milestone,
                start=milestone.start_as_written,
                end=milestone.end_as_written,
            )
            for milestone in sorted(programme.milestones.all(), key=lambda m: m.position)
        ],
    )


def _build_direction_set(direction_set: DirectionSet) -> s.DirectionSetIn:
    directions = sorted(direction_set.directions.all(), key=lambda d: d.position)
    items: dict[int, list[Direction]] = {}
    for direction in directions:
        if direction.parent_id:
            items.setdefault(direction.parent_id, []).append(direction)
    later = direction_set.superseded_by
    return _read(
        s.DirectionSetIn,
        direction_set,
        superseded_by=later.key if later else None,
        directions=[
            _build_direction(direction, items.get(direction.pk, []))
            for direction in directions
            if direction.parent_id is None
        ],
    )


def _build_direction(direction: Direction, items: list[Direction]) -> s.DirectionIn:
    return _read(
        s.DirectionIn,
        direction,
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
        superseded_by=_set_ref(direction.superseded_by) if direction.superseded_by else "",
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


def _build_board(board: Board, keys: _Keys) -> s.BoardIn:
    return _read(
        s.BoardIn,
        board,
        parent=board.parent.key if board.parent else None,
        requirements=[
            _read(
                s.RequirementIn,
                requirement,
                direction=_set_ref(requirement.direction) if requirement.direction else None,
                theme=_slug(requirement.theme),
            )
            for requirement in sorted(board.requirements.all(), key=lambda r: r.position)
        ],
        members=[
            _read(
                s.MembershipIn,
                membership,
                person=keys(membership.person_id),
                theme=_slug(membership.theme),
            )
            for membership in sorted(board.memberships.all(), key=lambda m: m.pk)
        ],
        meetings=[
            _read(s.MeetingIn, meeting)
            for meeting in sorted(board.meetings.all(), key=lambda m: m.date)
        ],
    )


def _build_recommendation(rec: Recommendation, keys: _Keys) -> s.RecommendationIn:
    return _read(
        s.RecommendationIn,
        rec,
        meeting=s.MeetingRef(board=rec.meeting.board.key, date=rec.meeting.date)
        if rec.meeting
        else None,
        owner=keys(rec.owner_id),
        directions=sorted(_set_ref(direction) for direction in rec.directions.all()),
        programmes=_numbers(rec.programmes.all()),
        milestones=[
            f"{milestone.programme.number}/{milestone.position}"
            for milestone in sorted(
                rec.milestones.all(), key=lambda m: (m.programme.number, m.position)
            )
        ],
    )


def _build_reporting_duty(duty: ReportingDuty, keys: _Keys) -> s.ReportingDutyIn:
    return _read(
        s.ReportingDutyIn,
        duty,
        report=duty.report_kind,
        direction=_set_ref(duty.direction) if duty.direction else "",
        responsible=keys(duty.responsible_id),
        varied=[_read(s.IntervalVariationIn, variation) for variation in duty.variations.all()],
    )


class _Dumper(yaml.SafeDumper):
    """Block style for text with line breaks, so long passages stay readable in the file."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(data: s.InterventionFile) -> str:
    """The file's text: fields left at their default are omitted."""
    document = data.model_dump(mode="python", exclude_defaults=True)
    # `format` and `version` always lead, even though they cannot take other values.
    document = {"format": s.FORMAT_NAME, "version": s.FORMAT_VERSION, **document}
    return yaml.dump(
        document, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, indent=2
    )


def export_intervention(intervention: Intervention) -> str:
    """The intervention's whole file, as text."""
    return dump(build(intervention))
