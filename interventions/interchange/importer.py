"""Import of a whole intervention from the YAML format of `interchange.schema`.

Import is all-or-nothing: the file is parsed and validated against the schema (which includes
its rules on internal references), and only then is everything written in one transaction.
Every error names the file, the path of the bad field and what was expected. An intervention
whose slug already exists is refused: nothing is changed (see `ImportRefused`).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import models, transaction
from pydantic import ValidationError

from boards.models import Board, BoardMembership, BoardRequirement, Meeting, Recommendation
from directions.models import Direction, DirectionSet, IntervalVariation, ReportingDuty
from interventions.interchange import schema as s
from interventions.models import (
    Appointment,
    Authority,
    Intervention,
    Milestone,
    Person,
    Plan,
    Programme,
    StrategicAim,
    Theme,
)
from interventions.models.base import create_with_links, set_change_reason, set_effective_date
from interventions.models.valid_time import ALWAYS
from reports.choices import ReportStatus
from reports.models import Report

# How every history record an import writes begins its reason: "Imported from <file>".
IMPORTED_FROM = "Imported from"


class ImportFailed(Exception):
    """The file is not a valid intervention file. Nothing was written."""

    def __init__(self, errors: list[str]) -> None:
        self.errors = errors
        super().__init__("\n".join(errors))


class ImportRefused(Exception):
    """The file is valid but cannot be imported here. Nothing was written."""


class InterventionExists(ImportRefused):
    """An intervention with the file's slug is already in the database."""


# ---------------------------------------------------------------------------------- reading


def _shorten(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _messages(exc: ValidationError, name: str) -> list[str]:
    """One line per problem: `NAME: PATH: MESSAGE`, with the value found when there was one."""
    messages: list[str] = []
    for error in exc.errors():
        if error["type"] == s.REFERENCE_ERROR:
            # The value a reference rule saw is a whole part of the file: its message says
            # what was found, so none is appended.
            messages.extend(
                f"{name}: {s.dotted((*error['loc'], *at))}: {message}"
                for at, message in error["ctx"]["problems"]
            )
            continue
        message = error["msg"].removeprefix("Value error, ")
        found = "" if error["type"] == "missing" else f" (found {_shorten(error['input'])})"
        messages.append(f"{name}: {s.dotted(error['loc'])}: {message}{found}")
    return messages


def parse(text: str, *, name: str) -> s.InterventionFile:
    """Validate a file's text; raise ImportFailed listing every problem found."""
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "(unknown place)"
        problem = getattr(exc, "problem", None) or str(exc)
        raise ImportFailed([f"{name}: {where}: not valid YAML: {problem}"]) from exc
    if not isinstance(raw, dict):
        raise ImportFailed(
            [f"{name}: (top level): expected a mapping with `format: {s.FORMAT_NAME}`"]
        )
    try:
        return s.InterventionFile.model_validate(raw)
    except ValidationError as exc:
        raise ImportFailed(_messages(exc, name)) from exc


def read(path: Path) -> s.InterventionFile:
    """Read and validate the file at `path`; raise ImportFailed listing every problem found."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot be read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{path}: is not UTF-8 text"]) from exc
    return parse(text, name=str(path))


# ---------------------------------------------------------------------------------- writing


def import_intervention(
    data: s.InterventionFile, *, reason: str, name: str = "(file)"
) -> Intervention:
    """Write a validated file to the database in one transaction; refuse an existing slug.

    A value the schema let through but a model field refuses (e.g. text too long for its
    column) raises ImportFailed naming its path, and the transaction leaves nothing behind.
    """
    with transaction.atomic():
        return _Writer(data, reason, name).write()


class _Writer:
    def __init__(self, data: s.InterventionFile, reason: str, name: str) -> None:
        self.data = data
        self.start = data.intervention.directions_date
        self.reason = reason
        self.name = name
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.people: dict[str, Person] = {}
        self.programmes: dict[int, Programme] = {}
        self.milestones: dict[str, Milestone] = {}
        self.directions: dict[str, Direction] = {}
        self.boards: dict[str, Board] = {}
        # Supersession may point forward in the file, so it is linked once all are written.
        self.pending_supersessions: list[tuple[Direction, str]] = []
        self.pending_set_supersessions: list[tuple[DirectionSet, str]] = []

    def save[M: models.Model](
        self,
        obj: M,
        path: str,
        links: dict[str, Iterable[Any]] | None = None,
        *,
        since: datetime.date,
    ) -> M:
        """Check and save a new row (with its many-to-many links, recorded as one creation)
        that is true from `since`: the day the papers say it came about, not the day of the
        import (`interventions.models.valid_time`)."""
        set_change_reason(obj, self.reason)
        set_effective_date(obj, since)
        try:
            obj.full_clean(validate_unique=False, validate_constraints=False)
        except ModelValidationError as exc:
            raise ImportFailed(
                [
                    f"{self.name}: {path}.{field}: {message}"
                    for field, messages in exc.message_dict.items()
                    for message in messages
                ]
            ) from exc
        if links:
            create_with_links(obj, links)
        else:
            obj.save()
        return obj

    def write(self) -> Intervention:
        data = self.data
        if Intervention.objects.filter(slug=data.intervention.slug).exists():
            raise InterventionExists(
                f"An intervention with the slug {data.intervention.slug!r} already exists; "
                "nothing was changed. Export it, edit that file and import it under a new slug, "
                "or change it through the application."
            )
        authority = Authority.objects.filter(slug=data.authority.slug).first()
        if authority is None:
            authority = self.save(
                Authority(**data.authority.model_dump()), "authority", since=ALWAYS
            )
        elif (authority.name, authority.kind) != (data.authority.name, data.authority.kind):
            raise ImportRefused(
                f"The authority {data.authority.slug!r} already exists as "
                f"{authority.name!r} ({authority.kind}); the file says {data.authority.name!r} "
                f"({data.authority.kind}). Nothing was changed."
            )
        self.intervention = self.save(
            Intervention(authority=authority, **data.intervention.model_dump()),
            "intervention",
            since=ALWAYS,
        )
        # A plan, its aims, programmes and milestones are true from the day it was agreed.
        self.plan_day = data.plan.agreed_on if data.plan and data.plan.agreed_on else self.start
        for i, person in enumerate(data.people):
            self.people[person.key] = self.save(
                Person(intervention=self.intervention, **person.model_dump()),
                f"people[{i}]",
                since=ALWAYS,
            )
        for i, appointment in enumerate(data.appointments):
            appointment_fields = appointment.model_dump(exclude={"person", "theme"})
            self.save(
                Appointment(
                    person=self.people[appointment.person],
                    theme=self.theme(appointment.theme),
                    **appointment_fields,
                ),
                f"appointments[{i}]",
                since=appointment.starts_on or ALWAYS,
            )
        if data.plan:
            self.write_plan(data.plan)
        for i, direction_set in enumerate(data.direction_sets):
            self.write_direction_set(direction_set, f"direction_sets[{i}]")
        self.link_superseded()
        for i, board in enumerate(data.boards):
            self.write_board(board, f"boards[{i}]")
        self.link_sub_boards()
        for i, recommendation in enumerate(data.recommendations):
            self.write_recommendation(recommendation, f"recommendations[{i}]")
        for i, duty in enumerate(data.reporting_duties):
            self.write_reporting_duty(duty, f"reporting_duties[{i}]")
        for i, report in enumerate(data.reports_issued):
            self.write_report_issued(report, f"reports_issued[{i}]")
        return self.intervention

    def write_report_issued(self, report_in: s.ReportIssuedIn, path: str) -> None:
        self.save(
            Report(
                intervention=self.intervention,
                issued_elsewhere=True,
                status=ReportStatus.FINAL,
                kind=report_in.kind,
                title=report_in.title,
                as_of=report_in.as_of or report_in.issued_on,
                issued_on_date=report_in.issued_on,
                issued_on_precision=report_in.issued_on_precision,
                issued_by=report_in.issued_by,
                addressed_to=report_in.addressed_to,
                published_url=report_in.published_url,
                document_reference=report_in.document_reference,
                full_council_on=report_in.full_council_on,
            ),
            path,
            since=report_in.issued_on,
        )

    def write_reporting_duty(self, duty_in: s.ReportingDutyIn, path: str) -> None:
        direction = self.directions[duty_in.direction] if duty_in.direction else None
        duty = self.save(
            ReportingDuty(
                intervention=self.intervention,
                report_kind=duty_in.report,
                title=duty_in.title,
                direction=direction,
                first_due_months=duty_in.first_due_months,
                interval_months=duty_in.interval_months,
                as_written=duty_in.as_written,
                responsible=self.person(duty_in.responsible),
            ),
            path,
            since=direction.direction_set.made_on if direction else self.start,
        )
        for v, variation in enumerate(duty_in.varied):
            self.save(
                IntervalVariation(duty=duty, **variation.model_dump()),
                f"{path}.varied[{v}]",
                since=variation.effective_from,
            )

    def theme(self, slug: str | None) -> Theme | None:
        return self.themes[slug] if slug else None

    def person(self, key: str | None) -> Person | None:
        return self.people[key] if key else None

    def write_plan(self, plan: s.PlanIn) -> None:
        self.save(
            Plan(intervention=self.intervention, **plan.model_dump(exclude={"aims"})),
            "plan",
            since=self.plan_day,
        )
        merges: list[tuple[Programme, int, str]] = []
        for a, aim_in in enumerate(plan.aims):
            aim_path = f"plan.aims[{a}]"
            aim = self.save(
                StrategicAim(
                    intervention=self.intervention, **aim_in.model_dump(exclude={"programmes"})
                ),
                aim_path,
                # An aim added after the plan was agreed is in it from the day it was added.
                since=aim_in.opened_on or self.plan_day,
            )
            for p, programme_in in enumerate(aim_in.programmes):
                path = f"{aim_path}.programmes[{p}]"
                programme_fields = programme_in.model_dump(
                    exclude={
                        "sponsor",
                        "sro",
                        "lead_member",
                        "co_sponsors",
                        "themes",
                        "milestones",
                        "merged_into",
                    }
                )
                since = programme_in.opened_on or self.plan_day
                programme = self.save(
                    Programme(
                        intervention=self.intervention,
                        aim=aim,
                        sponsor=self.person(programme_in.sponsor),
                        sro=self.person(programme_in.sro),
                        lead_member=self.person(programme_in.lead_member),
                        **programme_fields,
                    ),
                    path,
                    links={
                        "themes": [self.themes[slug] for slug in programme_in.themes],
                        "co_sponsors": [self.people[key] for key in programme_in.co_sponsors],
                    },
                    since=since,
                )
                self.programmes[programme.number] = programme
                if programme_in.merged_into is not None:
                    merges.append((programme, programme_in.merged_into, path))
                for position, milestone_in in enumerate(programme_in.milestones, start=1):
                    milestone = Milestone(
                        programme=programme,
                        position=position,
                        start_as_written=milestone_in.start,
                        end_as_written=milestone_in.end,
                        **milestone_in.model_dump(exclude={"start", "end"}),
                    )
                    self.save(milestone, f"{path}.milestones[{position - 1}]", since=since)
                    self.milestones[f"{programme.number}/{position}"] = milestone
        # The programme merged into may come later in the file: linked once all are saved,
        # from the day the merged programme's own record counts, so that it reads as one.
        for programme, number, path in merges:
            programme.merged_into = self.programmes[number]
            self.save(programme, path, since=programme.opened_on or self.plan_day)

    def write_direction_set(self, set_in: s.DirectionSetIn, path: str) -> None:
        direction_set = self.save(
            DirectionSet(
                intervention=self.intervention,
                **set_in.model_dump(exclude={"directions", "superseded_by"}),
            ),
            path,
            since=set_in.made_on,
        )
        for position, direction_in in enumerate(set_in.directions, start=1):
            dpath = f"{path}.directions[{position - 1}]"
            deadline = direction_in.deadline
            direction = self.save(
                Direction(
                    direction_set=direction_set,
                    ref=direction_in.ref,
                    position=position,
                    short_title=direction_in.short_title,
                    text=direction_in.text,
                    deadline_kind=deadline.kind,
                    deadline_as_written=deadline.as_written,
                    offset_months=deadline.months,
                    offset_days=deadline.days,
                    interval_months=deadline.interval_months,
                    first_due=deadline.first_due,
                    first_due_precision=deadline.first_due_precision,
                    first_due_source=deadline.first_due_source,
                    due_on=deadline.due_on,
                    event=deadline.event,
                    compliance=direction_in.compliance,
                    met_on=direction_in.met_on,
                    met_on_precision=direction_in.met_on_precision,
                    compliance_source=direction_in.compliance_source,
                    evidence=direction_in.evidence,
                    status=direction_in.status,
                    status_changed_on=direction_in.status_changed_on,
                    expires_on=direction_in.expires_on,
                ),
                dpath,
                links=self.links(direction_in.themes, direction_in.programmes),
                since=set_in.made_on,
            )
            self.directions[set_in.reference(direction_in)] = direction
            if direction_in.superseded_by:
                self.pending_supersessions.append((direction, direction_in.superseded_by))
            for v, variation in enumerate(deadline.varied):
                self.save(
                    IntervalVariation(direction=direction, **variation.model_dump()),
                    f"{dpath}.deadline.varied[{v}]",
                    since=variation.effective_from,
                )
            for item_position, item_in in enumerate(direction_in.items, start=1):
                # A sub-item shares its Direction's deadline; it keeps only the kind, for filters.
                item = self.save(
                    Direction(
                        direction_set=direction_set,
                        parent=direction,
                        ref=item_in.ref,
                        position=item_position,
                        short_title=item_in.short_title,
                        text=item_in.text,
                        deadline_kind=deadline.kind,
                        compliance=item_in.compliance,
                        met_on=item_in.met_on,
                        met_on_precision=item_in.met_on_precision,
                        compliance_source=item_in.compliance_source,
                        evidence=item_in.evidence,
                        # A sub-item follows its Direction: it keeps the same dated state.
                        status=direction_in.status,
                        status_changed_on=direction_in.status_changed_on,
                        expires_on=direction_in.expires_on,
                    ),
                    f"{dpath}.items[{item_position - 1}]",
                    links=self.links(item_in.themes, item_in.programmes),
                    since=set_in.made_on,
                )
                self.directions[set_in.reference(direction_in, item_in)] = item
        if set_in.superseded_by:
            self.pending_set_supersessions.append((direction_set, set_in.superseded_by))

    def links(self, themes: list[str], programmes: list[int]) -> dict[str, Iterable[Any]]:
        return {
            "themes": [self.themes[slug] for slug in themes],
            "programmes": [self.programmes[number] for number in programmes],
        }

    def link_superseded(self) -> None:
        for direction, ref in self.pending_supersessions:
            direction.superseded_by = self.directions[ref]
            self.save(direction, "direction_sets", since=direction.direction_set.made_on)
        sets = {ds.key: ds for ds in self.intervention.direction_sets.all()}
        for direction_set, key in self.pending_set_supersessions:
            direction_set.superseded_by = sets[key]
            self.save(direction_set, "direction_sets", since=direction_set.made_on)

    def link_sub_boards(self) -> None:
        """A sub-board may come before the board it sits under, so it is linked once all
        are written."""
        for i, board_in in enumerate(self.data.boards):
            if board_in.parent is not None:
                board = self.boards[board_in.key]
                board.parent = self.boards[board_in.parent]
                self.save(board, f"boards[{i}]", since=self.start)

    def write_board(self, board_in: s.BoardIn, path: str) -> None:
        board = self.save(
            Board(
                intervention=self.intervention,
                **board_in.model_dump(exclude={"members", "meetings", "requirements", "parent"}),
            ),
            path,
            since=self.start,
        )
        self.boards[board.key] = board
        for q, requirement in enumerate(board_in.requirements):
            self.save(
                BoardRequirement(
                    board=board,
                    position=q + 1,
                    direction=self.directions[requirement.direction]
                    if requirement.direction
                    else None,
                    theme=self.theme(requirement.theme),
                    **requirement.model_dump(exclude={"direction", "theme"}),
                ),
                f"{path}.requirements[{q}]",
                since=self.start,
            )
        for m, membership in enumerate(board_in.members):
            self.save(
                BoardMembership(
                    board=board,
                    person=self.people[membership.person],
                    theme=self.theme(membership.theme),
                    **membership.model_dump(exclude={"person", "theme"}),
                ),
                f"{path}.members[{m}]",
                since=membership.starts_on or self.start,
            )
        for m, meeting in enumerate(board_in.meetings):
            self.save(
                Meeting(board=board, **meeting.model_dump()),
                f"{path}.meetings[{m}]",
                since=meeting.date,
            )

    def write_recommendation(self, rec: s.RecommendationIn, path: str) -> None:
        meeting = None
        if rec.meeting:
            meeting = Meeting.objects.get(
                board__intervention=self.intervention,
                board__key=rec.meeting.board,
                date=rec.meeting.date,
            )
        self.save(
            Recommendation(
                intervention=self.intervention,
                meeting=meeting,
                owner=self.person(rec.owner),
                **rec.model_dump(
                    exclude={"meeting", "owner", "directions", "programmes", "milestones"}
                ),
            ),
            path,
            links={
                "directions": [self.directions[ref] for ref in rec.directions],
                "programmes": [self.programmes[number] for number in rec.programmes],
                "milestones": [self.milestones[ref] for ref in rec.milestones],
            },
            since=rec.made_on,
        )
