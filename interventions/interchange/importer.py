"""Import of a whole intervention from the YAML format of `interchange.schema`.

Import is all-or-nothing: the file is parsed and validated against the schema (which includes
its rules on internal references), and only then is everything written in one transaction.
Every error names the file, the path of the bad field and what was expected. An intervention
whose slug already exists is refused: nothing is changed (see `ImportRefused`).
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError as ModelValidationError
from django.db import models, transaction
from pydantic import BaseModel, ValidationError

from boards.models import (
    Action,
    AgendaItem,
    Attendance,
    Board,
    BoardMembership,
    BoardRequirement,
    Meeting,
    Paper,
    Recommendation,
)
from directions.models import Direction, DirectionSet, IntervalVariation, ReportingDuty
from interventions.choices import ChangeKind, ChangeStatus, CommentKind
from interventions.dates.periods import ReportingPeriod
from interventions.interchange import schema as s
from interventions.models import (
    Appointment,
    Authority,
    ChangeRequest,
    Comment,
    Delegation,
    Evidence,
    Intervention,
    Measure,
    MeasureReading,
    Milestone,
    Mitigation,
    Person,
    Plan,
    Programme,
    ProgrammeUpdate,
    Risk,
    StrategicAim,
    Theme,
)
from interventions.models.base import create_with_links, set_change_reason, set_effective_date
from interventions.models.change_log import ChangeLog
from interventions.models.valid_time import ALWAYS
from reports.choices import ReportStatus
from reports.models import ExitJudgement, Expectation, Report

if TYPE_CHECKING:
    from django.contrib.auth.models import User

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


def _fields(part: BaseModel, *exclude: str) -> dict[str, Any]:
    """A part's values that are a row's fields of the same name: not its lists and parts,
    not its versions, not the names in `exclude` (written differently)."""
    return {
        name: getattr(part, name) for name in s.scalar_fields(type(part)) if name not in exclude
    }


# Fields that name a user account by its username.
USER_FIELDS = frozenset(
    {
        "user",
        "author",
        "added_by",
        "requested_by",
        "decided_by",
        "granted_by",
        "answered_by",
        "resolved_by",
    }
)


def _usernames(part: object, at: str = "") -> Iterator[tuple[str, str]]:
    """Every username the file names in a user field, with the path of the field."""
    if isinstance(part, BaseModel):
        for name in type(part).model_fields:
            value = getattr(part, name)
            path = f"{at}.{name}" if at else name
            if name in USER_FIELDS and isinstance(value, str):
                yield path, value
            elif name != "versions":
                yield from _usernames(value, path)
    elif isinstance(part, list):
        for i, item in enumerate(part):
            yield from _usernames(item, f"{at}[{i}]")


def _versions(part: object) -> Iterator[s.VersionIn]:
    """Every version in the file."""
    if isinstance(part, s.Versioned):
        yield from part.versions
    if isinstance(part, BaseModel):
        for name in type(part).model_fields:
            if name != "versions":
                yield from _versions(getattr(part, name))
    elif isinstance(part, list):
        for item in part:
            yield from _versions(item)


# How a version's value is written to a row: the attribute it sets, and the value.
type Resolve = Callable[[str, Any], tuple[str, Any]]


def import_intervention(
    data: s.InterventionFile, *, reason: str, name: str = "(file)"
) -> Intervention:
    """Write a validated file to the database in one transaction; refuse an existing slug.

    A value the schema let through but a model field refuses (e.g. text too long for its
    column) raises ImportFailed naming its path, and the transaction leaves nothing behind.
    """
    with transaction.atomic():
        return _Writer(data, reason, name).write()


def _original_baseline(milestone_in: s.MilestoneIn) -> datetime.date | None:
    """The milestone's first agreed end: as the file gives it, else the earliest baseline its
    versions hold, else the one its earliest approved slip replaced (None: `Milestone.save`
    takes the baseline end)."""
    if milestone_in.original_baseline_end is not None:
        return milestone_in.original_baseline_end
    for state in milestone_in.version_states():
        if state.get("baseline_end") is not None:
            baseline: datetime.date = state["baseline_end"]
            return baseline
    approved = [
        change.baseline_before
        for change in milestone_in.change_requests
        if change.kind == ChangeKind.END_DATE
        and change.status == ChangeStatus.APPROVED
        and change.baseline_before is not None
    ]
    return approved[0] if approved else None


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
        self.users: dict[str, User] = {}
        self.aims: dict[int, StrategicAim] = {}
        self.sets: dict[str, DirectionSet] = {}
        # Reports issued elsewhere, by `KIND/ISSUED_ON`, for the expectations they set.
        self.reports: dict[str, Report] = {}
        # Rows whose versions are written, as history, once every row is in place.
        self.histories: list[tuple[models.Model, s.Versioned, Resolve]] = []

    def save[M: models.Model](
        self,
        obj: M,
        path: str,
        links: dict[str, Iterable[Any]] | None = None,
        *,
        since: datetime.date,
        part: s.Versioned | None = None,
        resolve: Resolve | None = None,
    ) -> M:
        """Check and save a new row (with its many-to-many links, recorded as one creation)
        that is true from `since`: the day the papers say it came about, not the day of the
        import (`interventions.models.valid_time`). A `part` with versions has its history
        written from them instead, once every row is in place (`write_histories`)."""
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
        if part is not None and part.versions:
            self.histories.append((obj, part, resolve or self.resolve))
        return obj

    def user(self, username: str | None) -> User | None:
        return self.users[username] if username else None

    def find_users(self) -> None:
        """Every account the file names must exist here: refused, listing each one, if not."""
        named = list(_usernames(self.data))
        found = get_user_model().objects.filter(username__in={name for _, name in named})
        self.users = {user.get_username(): user for user in found}
        missing = [
            f"{self.name}: {path}: no user account {username!r} exists here; create it first"
            for path, username in named
            if username not in self.users
        ]
        if missing:
            raise ImportFailed(missing)
        by = {version.by for version in _versions(self.data) if version.by}
        self.users.update(
            {user.get_username(): user for user in get_user_model().objects.filter(username__in=by)}
        )

    def resolve(self, name: str, value: Any) -> tuple[str, Any]:
        """The attribute a version's field sets, and its value as the row holds it."""
        match name:
            case "sponsor" | "sro" | "lead_member" | "owner" | "presenter" | "person":
                return name, self.person(value)
            case "responsible":
                return name, self.person(value)
            case _ if name in USER_FIELDS:
                return name, self.user(value)
            case "theme":
                return name, self.theme(value)
            case "merged_into":
                return name, self.programmes[value] if value is not None else None
            case "aim":
                return name, self.aims[value]
            case "programme":
                return name, self.programmes[value]
            case "parent":
                return name, self.boards[value] if value else None
            case "direction":
                return name, self.directions[value] if value else None
            case "start" | "end":
                return f"{name}_as_written", value
            case "stored_as":
                return "file", value
            case "uuid":
                return name, uuid.UUID(value)
            case "issued_on":
                return "issued_on_date", value
            case "report":
                return "report_kind", value
        return name, value

    def write_histories(self) -> None:
        """Each row with versions gets them as its history, in place of the one record import
        wrote: each with the moment it was recorded, the day it took effect, who made it (the
        name goes in the reason when no account of that name exists here) and why."""
        for obj, part, resolve in self.histories:
            versions = part.versions
            model = type(obj)
            history: Any = model.history.model  # type: ignore[attr-defined]  # simple-history
            records = model._history_records  # type: ignore[attr-defined]  # set by `History`
            # The import's own record gives way to the versions, in the change log too.
            replaced = list(history.objects.filter(id=obj.pk).values_list("history_id", flat=True))
            history.objects.filter(id=obj.pk).delete()
            ChangeLog.objects.filter(
                model=model._meta.label_lower, history_id__in=replaced
            ).delete()
            state = model._default_manager.get(pk=obj.pk)
            for k, (version, fields) in enumerate(
                zip(versions, part.version_states(), strict=True)
            ):
                for name, value in fields.items():
                    attribute, held = resolve(name, value)
                    setattr(state, attribute, held)
                compute_dates = getattr(state, "compute_dates", None)
                if compute_dates is not None:
                    compute_dates()
                user = self.users.get(version.by) if version.by else None
                reason = version.reason
                if version.by and user is None:
                    reason = f"{reason} (by {version.by})".strip()
                state._history_date = version.recorded_at  # type: ignore[attr-defined]
                state._history_user = user  # type: ignore[attr-defined]
                set_change_reason(state, reason)
                records.create_historical_record(state, "~" if k else "+")
                latest = history.objects.filter(id=obj.pk).latest("history_id")
                history.objects.filter(pk=latest.pk).update(valid_from=version.valid_from)
            # The row's own timestamps, as recorded: through a plain queryset, since a model's
            # own may refuse any update (an issued report's), which this restores, not changes.
            models.QuerySet(model).filter(pk=obj.pk).update(
                created=versions[0].recorded_at, updated=versions[-1].recorded_at
            )

    def write(self) -> Intervention:
        data = self.data
        if Intervention.objects.filter(slug=data.intervention.slug).exists():
            raise InterventionExists(
                f"An intervention with the slug {data.intervention.slug!r} already exists; "
                "nothing was changed. Export it, edit that file and import it under a new slug, "
                "or change it through the application."
            )
        self.find_users()
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
            Intervention(authority=authority, **_fields(data.intervention)),
            "intervention",
            since=ALWAYS,
            part=data.intervention,
        )
        # A plan, its aims, programmes and milestones are true from the day it was agreed.
        self.plan_day = data.plan.agreed_on if data.plan and data.plan.agreed_on else self.start
        for i, person in enumerate(data.people):
            self.people[person.key] = self.save(
                Person(
                    intervention=self.intervention,
                    user=self.user(person.user),
                    **_fields(person, "user"),
                ),
                f"people[{i}]",
                since=ALWAYS,
                part=person,
            )
        for i, appointment in enumerate(data.appointments):
            appointment_fields = _fields(appointment, "person", "theme")
            self.save(
                Appointment(
                    person=self.people[appointment.person],
                    theme=self.theme(appointment.theme),
                    **appointment_fields,
                ),
                f"appointments[{i}]",
                since=appointment.starts_on or ALWAYS,
                part=appointment,
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
        for i, measure in enumerate(data.measures):
            self.write_measure(measure, f"measures[{i}]")
        for i, risk in enumerate(data.risks):
            self.write_risk(risk, f"risks[{i}]")
        for i, expectation in enumerate(data.expectations):
            self.write_expectation(expectation, f"expectations[{i}]")
        for i, judgement in enumerate(data.exit_judgements):
            self.write_exit_judgement(judgement, f"exit_judgements[{i}]")
        self.write_histories()
        return self.intervention

    def write_expectation(self, expectation_in: s.ExpectationIn, path: str) -> None:
        def resolve(name: str, value: Any) -> tuple[str, Any]:
            match name:
                case "report" | "judged_in":
                    return name, self.reports[value] if value else None
                case "judged_by":
                    return name, self.person(value)
            return self.resolve(name, value)

        links = ("report", "owner", "judged_by", "judged_in")
        report = self.reports[expectation_in.report]
        assert report.issued_on is not None  # every report in the file is issued
        self.save(
            Expectation(
                intervention=self.intervention,
                **dict(resolve(name, getattr(expectation_in, name)) for name in links),
                **_fields(expectation_in, *links, "programmes", "themes"),
            ),
            path,
            {
                "programmes": [self.programmes[n] for n in expectation_in.programmes],
                "themes": [self.themes[slug] for slug in expectation_in.themes],
            },
            since=report.issued_on,
            part=expectation_in,
            resolve=resolve,
        )

    def write_exit_judgement(self, judgement_in: s.ExitJudgementIn, path: str) -> None:
        """A judgement of a theme, true from the day it was made (`ExitJudgement`)."""
        self.save(
            ExitJudgement(
                intervention=self.intervention,
                theme=self.theme(judgement_in.theme),
                judged_by=self.person(judgement_in.judged_by),
                **_fields(judgement_in, "theme", "judged_by"),
            ),
            path,
            since=judgement_in.judged_on,
            part=judgement_in,
            resolve=lambda name, value: (
                (name, self.person(value)) if name == "judged_by" else self.resolve(name, value)
            ),
        )

    def write_report_issued(self, report_in: s.ReportIssuedIn, path: str) -> None:
        self.reports[f"{report_in.kind}/{report_in.issued_on}"] = self.save(
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
            part=report_in,
            # An empty `as_of` is the day it was issued.
            resolve=lambda name, value: (
                ("as_of", value or report_in.issued_on)
                if name == "as_of"
                else self.resolve(name, value)
            ),
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
            part=duty_in,
        )
        for v, variation in enumerate(duty_in.varied):
            self.save(
                IntervalVariation(duty=duty, **_fields(variation)),
                f"{path}.varied[{v}]",
                since=variation.effective_from,
                part=variation,
            )

    def write_measure(self, measure_in: s.MeasureIn, path: str) -> None:
        def resolve(name: str, value: Any) -> tuple[str, Any]:
            match name:
                case "aim":
                    return name, self.aims[value] if value is not None else None
                case "programme":
                    return name, self.programmes[value] if value is not None else None
                case "oversight_agreed_by":
                    return name, self.person(value)
            return self.resolve(name, value)

        links = ("aim", "programme", "theme", "owner", "oversight_agreed_by")
        measure = self.save(
            Measure(
                intervention=self.intervention,
                **dict(resolve(name, getattr(measure_in, name)) for name in links),
                **_fields(measure_in, *links),
            ),
            path,
            since=measure_in.proposed_on,
            part=measure_in,
            resolve=resolve,
        )
        for r, reading in enumerate(measure_in.readings):
            self.save(
                MeasureReading(measure=measure, **_fields(reading)),
                f"{path}.readings[{r}]",
                since=reading.taken_on,
                part=reading,
            )

    def write_risk(self, risk_in: s.RiskIn, path: str) -> None:
        def resolve(name: str, value: Any) -> tuple[str, Any]:
            match name:
                case "programme" | "depends_on_programme":
                    return name, self.programmes[value] if value is not None else None
            return self.resolve(name, value)

        links = ("programme", "depends_on_programme", "owner")
        risk = self.save(
            Risk(
                intervention=self.intervention,
                **dict(resolve(name, getattr(risk_in, name)) for name in links),
                **_fields(risk_in, *links),
            ),
            path,
            since=risk_in.raised_on,
            part=risk_in,
            resolve=resolve,
        )
        for m, mitigation in enumerate(risk_in.mitigations):
            self.save(
                Mitigation(
                    risk=risk, owner=self.person(mitigation.owner), **_fields(mitigation, "owner")
                ),
                f"{path}.mitigations[{m}]",
                since=risk_in.raised_on,
                part=mitigation,
            )

    def theme(self, slug: str | None) -> Theme | None:
        return self.themes[slug] if slug else None

    def person(self, key: str | None) -> Person | None:
        return self.people[key] if key else None

    def write_plan(self, plan: s.PlanIn) -> None:
        self.save(
            Plan(intervention=self.intervention, **_fields(plan, "aims")),
            "plan",
            since=self.plan_day,
            part=plan,
        )
        merges: list[tuple[Programme, int, str]] = []
        for a, aim_in in enumerate(plan.aims):
            aim_path = f"plan.aims[{a}]"
            aim = self.save(
                StrategicAim(intervention=self.intervention, **_fields(aim_in, "programmes")),
                aim_path,
                # An aim added after the plan was agreed is in it from the day it was added.
                since=aim_in.opened_on or self.plan_day,
                part=aim_in,
            )
            self.aims[aim.number] = aim
            for p, programme_in in enumerate(aim_in.programmes):
                path = f"{aim_path}.programmes[{p}]"
                programme_fields = _fields(
                    programme_in, "sponsor", "sro", "lead_member", "merged_into"
                )
                since = programme_in.opened_on or self.plan_day
                programme = self.save(
                    Programme(
                        intervention=self.intervention,
                        aim=aim,
                        sponsor=self.person(programme_in.sponsor),
                        sro=self.person(programme_in.sro),
                        lead_member=self.person(programme_in.lead_member),
                        not_in_source=list(programme_in.not_in_source),
                        **programme_fields,
                    ),
                    path,
                    links={
                        "themes": [self.themes[slug] for slug in programme_in.themes],
                        "co_sponsors": [self.people[key] for key in programme_in.co_sponsors],
                    },
                    since=since,
                    part=programme_in,
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
                        **_fields(milestone_in, "start", "end", "original_baseline_end"),
                        original_baseline_end=_original_baseline(milestone_in),
                    )
                    mpath = f"{path}.milestones[{position - 1}]"
                    self.save(milestone, mpath, since=since, part=milestone_in)
                    self.milestones[f"{programme.number}/{position}"] = milestone
                    self.write_milestone_parts(milestone_in, milestone, mpath, since)
                self.write_programme_parts(programme_in, programme, path, since)
        # The programme merged into may come later in the file: linked once all are saved,
        # from the day the merged programme's own record counts, so that it reads as one.
        for programme, number, path in merges:
            programme.merged_into = self.programmes[number]
            self.save(programme, path, since=programme.opened_on or self.plan_day)

    def write_programme_parts(
        self, programme_in: s.ProgrammeIn, programme: Programme, path: str, since: datetime.date
    ) -> None:
        """A programme's period updates, and its comments, evidence and delegations."""
        for u, update_in in enumerate(programme_in.updates):
            update = ProgrammeUpdate(
                programme=programme,
                author=self.user(update_in.author),
                **_fields(update_in, "author"),
            )
            # An update speaks for its quarter (`ProgrammeUpdate.took_effect_on`).
            day = ReportingPeriod(update_in.period_start).end
            self.save(update, f"{path}.updates[{u}]", since=day, part=update_in)
        self.write_notes(programme_in, programme, None, path, since)

    def write_milestone_parts(
        self, milestone_in: s.MilestoneIn, milestone: Milestone, path: str, since: datetime.date
    ) -> None:
        """A milestone's change requests, and its comments, evidence and delegations."""
        for c, change_in in enumerate(milestone_in.change_requests):
            change = ChangeRequest(
                milestone=milestone,
                requested_by=self.user(change_in.requested_by),
                decided_by=self.user(change_in.decided_by),
                **_fields(change_in, "requested_by", "decided_by"),
            )
            decided = change_in.decided_at.date() if change_in.decided_at else since
            self.save(change, f"{path}.change_requests[{c}]", since=decided, part=change_in)
        self.write_notes(milestone_in, milestone.programme, milestone, path, since)

    def write_notes(
        self,
        part: s.ProgrammeIn | s.MilestoneIn,
        programme: Programme,
        milestone: Milestone | None,
        path: str,
        since: datetime.date,
    ) -> None:
        for c, comment_in in enumerate(part.comments):
            comment = Comment(
                programme=programme,
                milestone=milestone,
                author=self.user(comment_in.author),
                answered_by=self.user(comment_in.answered_by),
                resolved_by=self.user(comment_in.resolved_by),
                **_fields(comment_in, "author", "answered_by", "resolved_by"),
            )
            self.save(comment, f"{path}.comments[{c}]", since=since, part=comment_in)
            for r, reply_in in enumerate(comment_in.replies):
                reply = Comment(
                    programme=programme,
                    milestone=milestone,
                    parent=comment,
                    kind=CommentKind.COMMENT,
                    author=self.user(reply_in.author),
                    **_fields(reply_in, "author"),
                )
                self.save(reply, f"{path}.comments[{c}].replies[{r}]", since=since, part=reply_in)
        for e, evidence_in in enumerate(part.evidence):
            evidence = Evidence(
                intervention=self.intervention,
                programme=programme,
                milestone=milestone,
                **self.stored(evidence_in),
                **_fields(evidence_in, "uuid", "stored_as", "added_by"),
            )
            self.save(evidence, f"{path}.evidence[{e}]", since=since, part=evidence_in)
        for d, delegation_in in enumerate(part.delegations):
            delegation = Delegation(
                programme=programme,
                milestone=milestone,
                person=self.people[delegation_in.person],
                granted_by=self.user(delegation_in.granted_by),
                **_fields(delegation_in, "person", "granted_by"),
            )
            self.save(
                delegation,
                f"{path}.delegations[{d}]",
                since=delegation_in.starts_on,
                part=delegation_in,
            )

    def stored(self, part: s.StoredFile) -> dict[str, Any]:
        """A stored file's row fields: the file's name in the store (its contents stay where
        they are), its identifier (a new one if a row here already has it: a copy of an
        intervention under a new slug) and who added it."""
        identifier = uuid.UUID(part.uuid)
        taken = Evidence.objects.filter(uuid=identifier).exists()
        if taken or Paper.objects.filter(uuid=identifier).exists():
            identifier = uuid.uuid4()
        return {"uuid": identifier, "file": part.stored_as, "added_by": self.user(part.added_by)}

    def write_direction_set(self, set_in: s.DirectionSetIn, path: str) -> None:
        direction_set = self.save(
            DirectionSet(
                intervention=self.intervention,
                **_fields(set_in, "directions", "superseded_by"),
            ),
            path,
            since=set_in.made_on,
            part=set_in,
            resolve=self.resolve_set,
        )
        self.sets[direction_set.key] = direction_set
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
                part=direction_in,
                resolve=self.resolve_direction,
            )
            self.directions[set_in.reference(direction_in)] = direction
            if direction_in.superseded_by:
                self.pending_supersessions.append((direction, direction_in.superseded_by))
            for v, variation in enumerate(deadline.varied):
                self.save(
                    IntervalVariation(direction=direction, **_fields(variation)),
                    f"{dpath}.deadline.varied[{v}]",
                    since=variation.effective_from,
                    part=variation,
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
                    part=item_in,
                )
                self.directions[set_in.reference(direction_in, item_in)] = item
        if set_in.superseded_by:
            self.pending_set_supersessions.append((direction_set, set_in.superseded_by))

    def resolve_set(self, name: str, value: Any) -> tuple[str, Any]:
        if name == "superseded_by":
            return name, self.sets[value] if value else None
        return self.resolve(name, value)

    def resolve_direction(self, name: str, value: Any) -> tuple[str, Any]:
        if name == "superseded_by":
            return name, self.directions[value] if value else None
        return self.resolve(name, value)

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
                **_fields(board_in, "members", "meetings", "requirements", "parent"),
            ),
            path,
            since=self.start,
            part=board_in,
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
                    **_fields(requirement, "direction", "theme"),
                ),
                f"{path}.requirements[{q}]",
                since=self.start,
                part=requirement,
            )
        for m, membership in enumerate(board_in.members):
            self.save(
                BoardMembership(
                    board=board,
                    person=self.people[membership.person],
                    theme=self.theme(membership.theme),
                    **_fields(membership, "person", "theme"),
                ),
                f"{path}.members[{m}]",
                since=membership.starts_on or self.start,
                part=membership,
            )
        for m, meeting_in in enumerate(board_in.meetings):
            self.write_meeting(meeting_in, board, f"{path}.meetings[{m}]")

    def write_meeting(self, meeting_in: s.MeetingIn, board: Board, path: str) -> None:
        """A meeting with its agenda, papers, attendance and actions, all true from its date."""
        day = meeting_in.date
        meeting = self.save(
            Meeting(board=board, **_fields(meeting_in)), path, since=day, part=meeting_in
        )
        items: dict[int, AgendaItem] = {}
        for i, item_in in enumerate(meeting_in.agenda):
            item = self.save(
                AgendaItem(
                    meeting=meeting,
                    presenter=self.person(item_in.presenter),
                    **_fields(item_in, "presenter"),
                ),
                f"{path}.agenda[{i}]",
                links={
                    "programmes": [self.programmes[number] for number in item_in.programmes],
                    "directions": [self.directions[ref] for ref in item_in.directions],
                },
                since=day,
                part=item_in,
            )
            items.setdefault(item.position, item)

        def resolve_paper(name: str, value: Any) -> tuple[str, Any]:
            if name == "agenda_item":
                return name, items[value] if value is not None else None
            return self.resolve(name, value)

        for p, paper_in in enumerate(meeting_in.papers):
            paper = Paper(
                meeting=meeting,
                agenda_item=items.get(paper_in.agenda_item) if paper_in.agenda_item else None,
                **self.stored(paper_in),
                **_fields(paper_in, "uuid", "stored_as", "added_by", "agenda_item"),
            )
            self.save(paper, f"{path}.papers[{p}]", since=day, part=paper_in, resolve=resolve_paper)
        for a, entry in enumerate(meeting_in.attendance):
            self.save(
                Attendance(
                    meeting=meeting,
                    person=self.people[entry.person],
                    **_fields(entry, "person"),
                ),
                f"{path}.attendance[{a}]",
                since=day,
                part=entry,
            )
        for a, action_in in enumerate(meeting_in.actions):
            self.save(
                Action(
                    meeting=meeting,
                    owner=self.person(action_in.owner),
                    **_fields(action_in, "owner"),
                ),
                f"{path}.actions[{a}]",
                since=day,
                part=action_in,
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
                **_fields(rec, "owner"),
            ),
            path,
            links={
                "directions": [self.directions[ref] for ref in rec.directions],
                "programmes": [self.programmes[number] for number in rec.programmes],
                "milestones": [self.milestones[ref] for ref in rec.milestones],
            },
            since=rec.made_on,
            part=rec,
        )
