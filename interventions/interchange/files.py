"""Import and export of a whole intervention in the YAML format of `interchange.schema`.

Import is all-or-nothing: the file is parsed, validated against the schema, its internal
references are checked, and only then is everything written in one transaction. Every error
names the file, the path of the bad field and what was expected. An intervention whose slug
already exists is refused: nothing is changed (see `ImportRefused`).

Export reads the database into the same schema classes, so whatever is exported imports again,
and export → import into an empty database → export gives the identical file.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import transaction
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
from interventions.models.base import create_with_links
from reports.choices import ReportStatus
from reports.models import Report


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


def _path(location: Iterable[str | int]) -> str:
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def _shorten(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


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
        data = s.InterventionFile.model_validate(raw)
    except ValidationError as exc:
        errors = []
        for error in exc.errors():
            message = error["msg"].removeprefix("Value error, ")
            found = "" if error["type"] == "missing" else f" (found {_shorten(error['input'])})"
            errors.append(f"{name}: {_path(error['loc'])}: {message}{found}")
        raise ImportFailed(errors) from exc
    errors = [f"{name}: {path}: {message}" for path, message in check_references(data)]
    if errors:
        raise ImportFailed(errors)
    return data


def read(path: Path) -> s.InterventionFile:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ImportFailed([f"{path}: cannot be read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed([f"{path}: is not UTF-8 text"]) from exc
    return parse(text, name=str(path))


def _duplicates(values: Iterable[Any]) -> set[Any]:
    return {value for value, count in Counter(values).items() if count > 1}


def check_references(data: s.InterventionFile) -> list[tuple[str, str]]:
    """Problems the schema cannot see: duplicate keys and references to nothing."""
    problems: list[tuple[str, str]] = []
    people = [person.key for person in data.people]
    for key in _duplicates(people):
        problems.append(("people", f"the key {key!r} is used by more than one person"))
    known_people = set(people)

    def person(path: str, key: str | None) -> None:
        if key is not None and key not in known_people:
            problems.append((path, f"expected the key of a person in `people`, found {key!r}"))

    for i, appointment in enumerate(data.appointments):
        person(f"appointments[{i}].person", appointment.person)

    programme_numbers: list[int] = []
    milestone_refs: set[str] = set()
    if data.plan:
        aims = [aim.number for aim in data.plan.aims]
        for number in _duplicates(aims):
            problems.append(("plan.aims", f"aim number {number} is used more than once"))
        for a, aim in enumerate(data.plan.aims):
            for p, programme in enumerate(aim.programmes):
                path = f"plan.aims[{a}].programmes[{p}]"
                programme_numbers.append(programme.number)
                milestone_refs.update(
                    f"{programme.number}/{position}"
                    for position in range(1, len(programme.milestones) + 1)
                )
                person(f"{path}.sponsor", programme.sponsor)
                person(f"{path}.sro", programme.sro)
                person(f"{path}.lead_member", programme.lead_member)
        for number in _duplicates(programme_numbers):
            problems.append(("plan", f"programme number {number} is used more than once"))
    known_programmes = set(programme_numbers)

    def programmes(path: str, numbers: list[int]) -> None:
        for j, number in enumerate(numbers):
            if number not in known_programmes:
                problems.append(
                    (
                        f"{path}[{j}]",
                        f"expected the number of a programme in the plan, found {number}",
                    )
                )

    set_keys = [direction_set.key for direction_set in data.direction_sets]
    for key in _duplicates(set_keys):
        problems.append(("direction_sets", f"the key {key!r} is used by more than one set"))
    references = set()
    for direction_set in data.direction_sets:
        for direction in direction_set.directions:
            references.add(f"{direction_set.key}/{direction.ref}")
            for item in direction.items:
                references.add(f"{direction_set.key}/{direction.ref}.{item.ref}")
    for d, direction_set in enumerate(data.direction_sets):
        path = f"direction_sets[{d}]"
        if direction_set.superseded_by is not None and (
            direction_set.superseded_by not in set_keys
            or direction_set.superseded_by == direction_set.key
        ):
            problems.append(
                (f"{path}.superseded_by", "expected the key of another set in `direction_sets`")
            )
        for ref in _duplicates(direction.ref for direction in direction_set.directions):
            problems.append((f"{path}.directions", f"Direction {ref!r} appears more than once"))
        for i, direction in enumerate(direction_set.directions):
            dpath = f"{path}.directions[{i}]"
            programmes(f"{dpath}.programmes", direction.programmes)
            if direction.superseded_by and direction.superseded_by not in references:
                problems.append(
                    (f"{dpath}.superseded_by", "expected `SET/REF` of a Direction in this file")
                )
            for ref in _duplicates(item.ref for item in direction.items):
                problems.append((f"{dpath}.items", f"sub-item {ref!r} appears more than once"))
            for j, item in enumerate(direction.items):
                programmes(f"{dpath}.items[{j}].programmes", item.programmes)

    board_keys = [board.key for board in data.boards]
    for key in _duplicates(board_keys):
        problems.append(("boards", f"the key {key!r} is used by more than one board"))
    meetings = set()
    for b, board in enumerate(data.boards):
        for m, membership in enumerate(board.members):
            person(f"boards[{b}].members[{m}].person", membership.person)
        for q, requirement in enumerate(board.requirements):
            if requirement.direction is not None and requirement.direction not in references:
                problems.append(
                    (
                        f"boards[{b}].requirements[{q}].direction",
                        f"expected `SET/REF` of a Direction, found {requirement.direction!r}",
                    )
                )
        dates = [meeting.date for meeting in board.meetings]
        for date in _duplicates(dates):
            problems.append((f"boards[{b}].meetings", f"two meetings on {date.isoformat()}"))
        meetings.update((board.key, date) for date in dates)

    for ref in _duplicates(rec.reference for rec in data.recommendations):
        problems.append(("recommendations", f"the reference {ref!r} is used more than once"))
    for r, rec in enumerate(data.recommendations):
        path = f"recommendations[{r}]"
        person(f"{path}.owner", rec.owner)
        if rec.meeting and (rec.meeting.board, rec.meeting.date) not in meetings:
            problems.append((f"{path}.meeting", "expected the board key and date of a meeting"))
        for j, ref in enumerate(rec.directions):
            if ref not in references:
                problems.append(
                    (f"{path}.directions[{j}]", f"expected `SET/REF` of a Direction, found {ref!r}")
                )
        programmes(f"{path}.programmes", rec.programmes)
        for j, ref in enumerate(rec.milestones):
            if ref not in milestone_refs:
                problems.append(
                    (
                        f"{path}.milestones[{j}]",
                        f"expected `PROGRAMME/POSITION` of a milestone in the plan, found {ref!r}",
                    )
                )
    recurring = {
        f"{direction_set.key}/{direction.ref}"
        for direction_set in data.direction_sets
        for direction in direction_set.directions
        if direction.deadline.kind == "recurring"
    }
    for key in _duplicates(duty.report for duty in data.reporting_duties):
        problems.append(("reporting_duties", f"more than one duty is discharged by {key!r}"))
    for d, duty in enumerate(data.reporting_duties):
        person(f"reporting_duties[{d}].responsible", duty.responsible)
        if duty.direction and duty.direction not in recurring:
            problems.append(
                (
                    f"reporting_duties[{d}].direction",
                    "expected `SET/REF` of a Direction with a recurring deadline",
                )
            )
    return problems


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
        self.reason = reason
        self.name = name
        self.themes = {theme.slug: theme for theme in Theme.objects.all()}
        self.people: dict[str, Person] = {}
        self.programmes: dict[int, Programme] = {}
        self.milestones: dict[str, Milestone] = {}
        self.directions: dict[str, Direction] = {}
        # Supersession may point forward in the file, so it is linked once all are written.
        self.pending_supersessions: list[tuple[Direction, str]] = []
        self.pending_set_supersessions: list[tuple[DirectionSet, str]] = []

    def save(self, obj: Any, path: str, links: dict[str, Iterable[Any]] | None = None) -> Any:
        """Check and save a new row (with its many-to-many links, recorded as one creation)."""
        obj._change_reason = self.reason
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
            authority = self.save(Authority(**data.authority.model_dump()), "authority")
        elif (authority.name, authority.kind) != (data.authority.name, data.authority.kind):
            raise ImportRefused(
                f"The authority {data.authority.slug!r} already exists as "
                f"{authority.name!r} ({authority.kind}); the file says {data.authority.name!r} "
                f"({data.authority.kind}). Nothing was changed."
            )
        self.intervention = self.save(
            Intervention(authority=authority, **data.intervention.model_dump()), "intervention"
        )
        for i, person in enumerate(data.people):
            self.people[person.key] = self.save(
                Person(intervention=self.intervention, **person.model_dump()), f"people[{i}]"
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
            )
        if data.plan:
            self.write_plan(data.plan)
        for i, direction_set in enumerate(data.direction_sets):
            self.write_direction_set(direction_set, f"direction_sets[{i}]")
        self.link_superseded()
        for i, board in enumerate(data.boards):
            self.write_board(board, f"boards[{i}]")
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
                issued_by=report_in.issued_by,
                addressed_to=report_in.addressed_to,
                published_url=report_in.published_url,
                document_reference=report_in.document_reference,
                full_council_on=report_in.full_council_on,
            ),
            path,
        )

    def write_reporting_duty(self, duty_in: s.ReportingDutyIn, path: str) -> None:
        duty = self.save(
            ReportingDuty(
                intervention=self.intervention,
                report_kind=duty_in.report,
                title=duty_in.title,
                direction=self.directions[duty_in.direction] if duty_in.direction else None,
                first_due_months=duty_in.first_due_months,
                interval_months=duty_in.interval_months,
                as_written=duty_in.as_written,
                responsible=self.person(duty_in.responsible),
            ),
            path,
        )
        for v, variation in enumerate(duty_in.varied):
            self.save(IntervalVariation(duty=duty, **variation.model_dump()), f"{path}.varied[{v}]")

    def theme(self, slug: str | None) -> Theme | None:
        return self.themes[slug] if slug else None

    def person(self, key: str | None) -> Person | None:
        return self.people[key] if key else None

    def write_plan(self, plan: s.PlanIn) -> None:
        self.save(Plan(intervention=self.intervention, **plan.model_dump(exclude={"aims"})), "plan")
        for a, aim_in in enumerate(plan.aims):
            aim_path = f"plan.aims[{a}]"
            aim = self.save(
                StrategicAim(
                    intervention=self.intervention, **aim_in.model_dump(exclude={"programmes"})
                ),
                aim_path,
            )
            for p, programme_in in enumerate(aim_in.programmes):
                path = f"{aim_path}.programmes[{p}]"
                programme_fields = programme_in.model_dump(
                    exclude={"sponsor", "sro", "lead_member", "themes", "milestones"}
                )
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
                    links={"themes": [self.themes[slug] for slug in programme_in.themes]},
                )
                self.programmes[programme.number] = programme
                for position, milestone_in in enumerate(programme_in.milestones, start=1):
                    milestone = Milestone(
                        programme=programme,
                        position=position,
                        start_as_written=milestone_in.start,
                        end_as_written=milestone_in.end,
                        **milestone_in.model_dump(exclude={"start", "end"}),
                    )
                    self.save(milestone, f"{path}.milestones[{position - 1}]")
                    self.milestones[f"{programme.number}/{position}"] = milestone

    def write_direction_set(self, set_in: s.DirectionSetIn, path: str) -> None:
        direction_set = self.save(
            DirectionSet(
                intervention=self.intervention,
                **set_in.model_dump(exclude={"directions", "superseded_by"}),
            ),
            path,
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
                    due_on=deadline.due_on,
                    event=deadline.event,
                    compliance=direction_in.compliance,
                    evidence=direction_in.evidence,
                    status=direction_in.status,
                    status_changed_on=direction_in.status_changed_on,
                ),
                dpath,
                links=self.links(direction_in.themes, direction_in.programmes),
            )
            self.directions[f"{set_in.key}/{direction.ref}"] = direction
            if direction_in.superseded_by:
                self.pending_supersessions.append((direction, direction_in.superseded_by))
            for v, variation in enumerate(deadline.varied):
                self.save(
                    IntervalVariation(direction=direction, **variation.model_dump()),
                    f"{dpath}.deadline.varied[{v}]",
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
                        evidence=item_in.evidence,
                        status=direction_in.status,
                        status_changed_on=direction_in.status_changed_on,
                    ),
                    f"{dpath}.items[{item_position - 1}]",
                    links=self.links(item_in.themes, item_in.programmes),
                )
                self.directions[f"{set_in.key}/{direction.ref}.{item.ref}"] = item
        if set_in.superseded_by:
            self.pending_set_supersessions.append((direction_set, set_in.superseded_by))

    def links(self, themes: list[str], programmes: list[int]) -> dict[str, list[Any]]:
        return {
            "themes": [self.themes[slug] for slug in themes],
            "programmes": [self.programmes[number] for number in programmes],
        }

    def link_superseded(self) -> None:
        for direction, ref in self.pending_supersessions:
            direction.superseded_by = self.directions[ref]
            self.save(direction, "direction_sets")
        sets = {ds.key: ds for ds in self.intervention.direction_sets.all()}
        for direction_set, key in self.pending_set_supersessions:
            direction_set.superseded_by = sets[key]
            self.save(direction_set, "direction_sets")

    def write_board(self, board_in: s.BoardIn, path: str) -> None:
        board = self.save(
            Board(
                intervention=self.intervention,
                **board_in.model_dump(exclude={"members", "meetings", "requirements"}),
            ),
            path,
        )
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
            )
        for m, meeting in enumerate(board_in.meetings):
            self.save(Meeting(board=board, **meeting.model_dump()), f"{path}.meetings[{m}]")

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
        )


# ---------------------------------------------------------------------------------- export


def _slugs(themes: Iterable[Theme]) -> list[str]:
    return [theme.slug for theme in sorted(themes, key=lambda theme: theme.position)]


def _numbers(programmes: Iterable[Programme]) -> list[int]:
    return sorted(programme.number for programme in programmes)


def _set_ref(direction: Direction) -> str:
    return f"{direction.direction_set.key}/{direction.reference}"


def build(intervention: Intervention) -> s.InterventionFile:
    """The intervention as schema objects, in the order the file lists them."""
    people = list(intervention.people.order_by("pk"))
    keys = {person.pk: person.key for person in people}

    def key(person_id: int | None) -> str | None:
        return keys[person_id] if person_id else None

    appointments = (
        Appointment.objects.filter(person__intervention=intervention)
        .select_related("theme")
        .order_by("pk")
    )
    direction_sets = intervention.direction_sets.order_by("made_on", "pk").prefetch_related(
        "directions__themes", "directions__programmes", "directions__variations"
    )
    aims = intervention.aims.order_by("number").prefetch_related(
        "programmes__themes", "programmes__milestones"
    )
    boards = intervention.boards.order_by("pk").prefetch_related(
        "memberships__theme",
        "meetings",
        "requirements__theme",
        "requirements__direction__parent",
        "requirements__direction__direction_set",
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
    plan = Plan.objects.filter(intervention=intervention).first()
    return s.InterventionFile(
        format=s.FORMAT_NAME,
        version=s.FORMAT_VERSION,
        authority=s.AuthorityIn(
            slug=intervention.authority.slug,
            name=intervention.authority.name,
            kind=intervention.authority.kind,
        ),
        intervention=s.InterventionIn(
            slug=intervention.slug,
            title=intervention.title,
            model=intervention.model,
            legal_basis=intervention.legal_basis,
            directions_date=intervention.directions_date,
            directions_date_precision=intervention.directions_date_precision,
            duration_months=intervention.duration_months,
            end_date=intervention.end_date,
            end_date_precision=intervention.end_date_precision,
            status=intervention.status,
            summary=intervention.summary,
            source=intervention.source,
        ),
        people=[
            s.PersonIn(
                key=person.key,
                name=person.name,
                post=person.post,
                organisation=person.organisation,
                political_group=person.political_group,
            )
            for person in people
        ],
        appointments=[
            s.AppointmentIn(
                person=keys[appointment.person_id],
                role=appointment.role,
                theme=appointment.theme.slug if appointment.theme else None,
                title=appointment.title,
                starts_on=appointment.starts_on,
                ends_on=appointment.ends_on,
                interim=appointment.interim,
                source=appointment.source,
            )
            for appointment in appointments
        ],
        direction_sets=[_build_direction_set(direction_set) for direction_set in direction_sets],
        plan=None
        if plan is None
        else s.PlanIn(
            title=plan.title,
            mission=plan.mission,
            agreed_on=plan.agreed_on,
            source=plan.source,
            aims=[
                s.AimIn(
                    number=aim.number,
                    title=aim.title,
                    outcomes=aim.outcomes,
                    programmes=[
                        _build_programme(programme, key)
                        for programme in sorted(aim.programmes.all(), key=lambda p: p.number)
                    ],
                )
                for aim in aims
            ],
        ),
        boards=[_build_board(board, keys) for board in boards],
        recommendations=[
            s.RecommendationIn(
                reference=rec.reference,
                source=rec.source,
                meeting=s.MeetingRef(board=rec.meeting.board.key, date=rec.meeting.date)
                if rec.meeting
                else None,
                source_document=rec.source_document,
                title=rec.title,
                text=rec.text,
                made_on=rec.made_on,
                response_due=rec.response_due,
                owner=key(rec.owner_id),
                response=rec.response,
                responded_on=rec.responded_on,
                published_on=rec.published_on,
                status=rec.status,
                directions=sorted(_set_ref(direction) for direction in rec.directions.all()),
                programmes=_numbers(rec.programmes.all()),
                milestones=[
                    f"{milestone.programme.number}/{milestone.position}"
                    for milestone in sorted(
                        rec.milestones.all(), key=lambda m: (m.programme.number, m.position)
                    )
                ],
            )
            for rec in recommendations
        ],
        reporting_duties=[
            s.ReportingDutyIn(
                report=duty.report_kind,
                title=duty.title,
                direction=_set_ref(duty.direction) if duty.direction else "",
                first_due_months=duty.first_due_months,
                interval_months=duty.interval_months,
                as_written=duty.as_written,
                responsible=key(duty.responsible_id),
                varied=[
                    s.IntervalVariationIn(
                        effective_from=variation.effective_from,
                        interval_months=variation.interval_months,
                        directed_by=variation.directed_by,
                        note=variation.note,
                    )
                    for variation in duty.variations.all()
                ],
            )
            for duty in intervention.reporting_duties.order_by("pk")
            .select_related("direction__direction_set", "direction__parent")
            .prefetch_related("variations")
        ],
        # Only reports issued elsewhere: one issued here is its stored PDF, not a file entry.
        reports_issued=[
            s.ReportIssuedIn(
                kind=report.kind,
                title=report.title,
                issued_on=report.issued_on_date,
                as_of=None if report.as_of == report.issued_on_date else report.as_of,
                issued_by=report.issued_by,
                addressed_to=report.addressed_to,
                published_url=report.published_url,
                document_reference=report.document_reference,
                full_council_on=report.full_council_on,
            )
            for report in intervention.reports.filter(issued_elsewhere=True).order_by(
                "issued_on_date", "pk"
            )
        ],
    )


def _build_programme(programme: Programme, key: Any) -> s.ProgrammeIn:
    return s.ProgrammeIn(
        number=programme.number,
        title=programme.title,
        purpose=programme.purpose,
        required_by_directions=programme.required_by_directions,
        phase=programme.phase,
        status=programme.status,
        rag=programme.rag,
        sponsor=key(programme.sponsor_id),
        sro=key(programme.sro_id),
        lead_member=key(programme.lead_member_id),
        themes=_slugs(programme.themes.all()),
        milestones=[
            s.MilestoneIn(
                number=milestone.number,
                title=milestone.title,
                steps=milestone.steps,
                start=milestone.start_as_written,
                end=milestone.end_as_written,
                baseline_end=milestone.baseline_end,
                forecast_end=milestone.forecast_end,
                actual_end=milestone.actual_end,
                status=milestone.status,
                rag=milestone.rag,
                percent_complete=milestone.percent_complete,
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
    by_pk = {direction.pk: direction for direction in directions}

    def superseded_by(direction: Direction) -> str:
        target = direction.superseded_by
        if target is None:
            return ""
        return f"{target.direction_set.key}/{target.reference}"

    return s.DirectionSetIn(
        key=direction_set.key,
        title=direction_set.title,
        made_on=direction_set.made_on,
        made_on_precision=direction_set.made_on_precision,
        proposed_on=direction_set.proposed_on,
        representations_by=direction_set.representations_by,
        status=direction_set.status,
        superseded_by=direction_set.superseded_by.key if direction_set.superseded_by else None,
        source=direction_set.source,
        directions=[
            s.DirectionIn(
                ref=direction.ref,
                short_title=direction.short_title,
                text=direction.text,
                themes=_slugs(direction.themes.all()),
                deadline=s.DeadlineIn(
                    kind=direction.deadline_kind,
                    as_written=direction.deadline_as_written,
                    months=direction.offset_months,
                    days=direction.offset_days,
                    interval_months=direction.interval_months,
                    first_due=direction.first_due,
                    due_on=direction.due_on,
                    event=direction.event,
                    varied=[
                        s.IntervalVariationIn(
                            effective_from=variation.effective_from,
                            interval_months=variation.interval_months,
                            directed_by=variation.directed_by,
                            note=variation.note,
                        )
                        for variation in sorted(
                            direction.variations.all(), key=lambda v: v.effective_from
                        )
                    ],
                ),
                compliance=direction.compliance,
                evidence=direction.evidence,
                programmes=_numbers(direction.programmes.all()),
                status=direction.status,
                status_changed_on=direction.status_changed_on,
                superseded_by=superseded_by(direction),
                items=[
                    s.DirectionItemIn(
                        ref=item.ref,
                        text=item.text,
                        short_title=item.short_title,
                        themes=_slugs(item.themes.all()),
                        programmes=_numbers(item.programmes.all()),
                        compliance=item.compliance,
                        evidence=item.evidence,
                    )
                    for item in items.get(direction.pk, [])
                ],
            )
            for direction in directions
            if direction.parent_id is None and direction.pk in by_pk
        ],
    )


def _build_board(board: Board, keys: dict[int, str]) -> s.BoardIn:
    return s.BoardIn(
        key=board.key,
        name=board.name,
        kind=board.kind,
        purpose=board.purpose,
        cadence_months=board.cadence_months,
        cadence_review_on=board.cadence_review_on,
        requirements=[
            s.RequirementIn(
                description=requirement.description,
                direction=_set_ref(requirement.direction) if requirement.direction else None,
                role=requirement.role,
                theme=requirement.theme.slug if requirement.theme else None,
                post=requirement.post,
                opposition=requirement.opposition,
                minimum=requirement.minimum,
            )
            for requirement in sorted(board.requirements.all(), key=lambda r: r.position)
        ],
        members=[
            s.MembershipIn(
                person=keys[membership.person_id],
                role=membership.role,
                theme=membership.theme.slug if membership.theme else None,
                title=membership.title,
                opposition=membership.opposition,
                starts_on=membership.starts_on,
                ends_on=membership.ends_on,
            )
            for membership in sorted(board.memberships.all(), key=lambda m: m.pk)
        ],
        meetings=[
            s.MeetingIn(
                date=meeting.date,
                title=meeting.title,
                kind=meeting.kind,
                status=meeting.status,
                published=meeting.published,
                summary=meeting.summary,
                source=meeting.source,
            )
            for meeting in sorted(board.meetings.all(), key=lambda m: m.date)
        ],
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
    return dump(build(intervention))
