"""The intervention file format: one YAML document holds one whole intervention.

The classes below are the single definition of the format: its fields, the rules on each part,
and the rules between parts (a key, number or `SET/REF` used must name something in the file;
keys, numbers and letters are not used twice). `InterventionFile.model_validate(raw)` alone
accepts or refuses a file. Import validates a file against these classes (`importer`); export
reads the database into them and dumps them (`exporter`). docs/data-format.md describes every
field (a test keeps the two in step).

Each model checks the keys and references of the data it holds: a Direction set its letters, the
plan its numbers, the file (once every part is valid) whatever one part names in another. Such a
check reports what it finds as one error of type `REFERENCE_ERROR`, whose context holds each
problem with its location below that error's own; `importer.parse` lists them one by one.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Hashable, Iterable, Iterator
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Self, get_args, get_origin
from zoneinfo import ZoneInfo

from django.db.models import Choices
from pydantic import (
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)
from pydantic_core import PydanticCustomError

from boards.choices import (
    ActionStatus,
    AttendanceStatus,
    BoardKind,
    BoardRole,
    MeetingKind,
    MeetingStatus,
    RecommendationSource,
    RecommendationStatus,
)
from directions.choices import Compliance, DeadlineKind, DirectionStatus, ReportKind
from interventions.choices import (
    RAG,
    AuthorityKind,
    ChangeKind,
    ChangeStatus,
    CommentKind,
    DatePrecision,
    EvidenceKind,
    InterventionModel,
    InterventionStatus,
    MeasureDirection,
    MeasureFrequency,
    Phase,
    ResponseDueRule,
    Role,
    WorkStatus,
)
from interventions.models.risks import RiskKind, RiskStatus
from interventions.themes import THEME_SLUGS
from interventions.vocabulary import words_for
from reports.choices import ExitReadiness, ExpectationJudgement

FORMAT_NAME = "stocktake-intervention"
FORMAT_VERSION = 1

Key = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]*$", max_length=80)]
Slug = Key
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Required = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
# A user account, by its username: who wrote an update or a comment, who decided a change.
Username = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=150)]


def choice(enum: type[Choices]) -> object:
    """A Literal of a TextChoices' stored values, so that errors list what is allowed."""
    return Literal[tuple(enum.values)]


# A field that holds one of a TextChoices' values is annotated `Choice[TheChoices]`. Pydantic
# validates it against `choice(TheChoices)`; a type checker cannot follow a Literal built at
# run time, and sees the str it is.
if TYPE_CHECKING:
    type Choice[E: Choices] = str
    ThemeSlug = str
else:

    class Choice:
        def __class_getitem__(cls, enum: type[Choices]) -> object:
            return choice(enum)

    ThemeSlug = Literal[THEME_SLUGS]


REFERENCE_ERROR = "reference"

Location = tuple[str | int, ...]


def dotted(location: Iterable[str | int]) -> str:
    """A location as the file's reader writes it: `plan.aims[0].programmes[2].sponsor`."""
    text = ""
    for part in location:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(top level)"


def duplicates[T: Hashable](values: Iterable[T]) -> list[T]:
    """The values that occur more than once, in the order they first occur."""
    return [value for value, count in Counter(values).items() if count > 1]


class Problems:
    """The problems one validator finds, raised together as one error.

    Pydantic keeps only the first error a validator raises, and every problem must be listed,
    so they are gathered here and `importer.parse` splits them again.
    """

    def __init__(self) -> None:
        self.found: list[tuple[Location, str]] = []

    def add(self, at: Location, message: str) -> None:
        """A problem at `at`, relative to the model whose validator found it."""
        self.found.append((at, message))

    def raise_any(self) -> None:
        if self.found:
            summary = "; ".join(f"{dotted(at)}: {message}" for at, message in self.found)
            raise PydanticCustomError(
                REFERENCE_ERROR, "{summary}", {"problems": self.found, "summary": summary}
            )


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class VersionIn(Strict):
    """One recorded change of a row: when it was recorded, the day it took effect, who made it
    and why, and the new values of the fields it changed. The first version is the row's
    creation and gives the first value of every field a later version changes."""

    recorded_at: AwareDatetime = Field(
        description="When the change was recorded (the audit trail's time), with its UTC offset."
    )
    valid_from: datetime.date | None = Field(
        None, description="The day it took effect, when not the day it was recorded."
    )
    by: Text = Field(
        "", description="Username of who made it; empty for a change made by no signed-in user."
    )
    reason: Text = Field("", description="The reason recorded with it.")
    fields: dict[str, Any] = Field(
        default_factory=dict,
        description="The fields it changed, by their names in this part of the file, with "
        "their new values (in the first version: their first values).",
    )

    @property
    def effective_day(self) -> datetime.date:
        """The day it took effect: `valid_from`, else the (UK) day it was recorded."""
        if self.valid_from is not None:
            return self.valid_from
        return self.recorded_at.astimezone(LONDON).date()


LONDON = ZoneInfo("Europe/London")


def _holds_parts(annotation: object) -> bool:
    """A field holding a list or another part of the file (not a value a version can change)."""
    if get_origin(annotation) is list:
        return True
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return True
    return any(_holds_parts(arg) for arg in get_args(annotation) if arg is not type(None))


def scalar_fields(model: type[BaseModel]) -> list[str]:
    """The fields of a part that a version may change: its values, not its lists or parts."""
    return [
        name
        for name, info in model.model_fields.items()
        if name != "versions" and not _holds_parts(info.annotation)
    ]


class Versioned(Strict):
    """A part of the file that is a row audited in Stocktake, with its dated versions: only
    for rows changed after they were created, or entered in Stocktake rather than imported."""

    # Values a version may give beyond the part's own fields (a programme's aim: the file
    # lists a programme under the aim it is in now).
    VERSION_EXTRAS: ClassVar[frozenset[str]] = frozenset()

    versions: list[VersionIn] = Field(
        default_factory=list,
        description="Its recorded changes, oldest first, the first being its creation (see "
        "*History of changes*); left out for a row never changed after it was imported.",
    )

    @model_validator(mode="after")
    def versions_lead_to_the_row(self) -> Self:
        """The versions are in order, each names fields of this part, and together they end
        with the values the row has now. (That none takes effect before its row existed is a
        rule of the file, `InterventionFile`: an export still writes such a row.)"""
        if not self.versions:
            return self
        problems = Problems()
        cls = type(self)
        names = scalar_fields(cls)
        first = self.versions[0]
        for k, version in enumerate(self.versions):
            at: Location = ("versions", k)
            if k and version.recorded_at < self.versions[k - 1].recorded_at:
                problems.add(
                    (*at, "recorded_at"),
                    "versions are listed in the order they were recorded: this one is recorded "
                    "before the one above it",
                )
            for name in version.fields:
                if name not in names and name not in cls.VERSION_EXTRAS:
                    problems.add(
                        (*at, "fields", name),
                        f"not a field a version can change here (expected one of "
                        f"{', '.join(names + sorted(cls.VERSION_EXTRAS))})",
                    )
            if k and (missing := set(version.fields) - set(first.fields)):
                problems.add(
                    (*at, "fields"),
                    f"changes {', '.join(sorted(missing))}, whose first value the first "
                    "version does not give",
                )
        problems.raise_any()
        last: dict[str, int] = {}
        for k, version in enumerate(self.versions):
            last.update(dict.fromkeys(version.fields, k))
        try:
            states = self.version_states()
        except _BadVersion as bad:
            for error in bad.error.errors():
                problems.add(
                    ("versions", bad.index, "fields", *error["loc"]),
                    str(error["msg"]).removeprefix("Value error, "),
                )
            problems.raise_any()
        final: dict[str, Any] = {}
        for state in states:
            final.update(state)
        for name, value in final.items():
            now = getattr(self, name, value)  # a value only versions hold (an aim) aside
            if value != now:
                problems.add(
                    ("versions", last[name], "fields", name),
                    f"the last version gives {value!r}, but the row has {now!r}",
                )
        problems.raise_any()
        return self

    def version_states(self) -> list[dict[str, Any]]:
        """Each version's fields with the values this part's fields would hold (a time for
        `18:30`), checked as the part would be with them."""
        cls = type(self)
        names = scalar_fields(cls)
        base = {name: getattr(self, name) for name in cls.model_fields if name != "versions"}
        state: dict[str, Any] = {}
        states = []
        for k, version in enumerate(self.versions):
            state.update({n: v for n, v in version.fields.items() if n in names})
            try:
                typed = cls.model_validate({**base, **state})
            except ValidationError as error:
                raise _BadVersion(k, error) from error
            states.append(
                {n: getattr(typed, n) if n in names else v for n, v in version.fields.items()}
            )
        return states


class _BadVersion(Exception):
    def __init__(self, index: int, error: ValidationError) -> None:
        self.index = index
        self.error = error


class AuthorityIn(Strict):
    slug: Slug = Field(description="Short unique name used in addresses, e.g. `tower-hamlets`.")
    name: Required = Field(description="Full name, e.g. `London Borough of Tower Hamlets`.")
    kind: Choice[AuthorityKind] = Field(
        description="Kind of council.",
    )


class InterventionIn(Versioned):
    slug: Slug = Field(description="Unique name of the intervention, e.g. `tower-hamlets-2025`.")
    title: Required = Field(description="Title shown on every page.")
    model: Choice[InterventionModel] = Field(
        description="How the council is overseen: `ministerial_envoys` (advise, monitor), "
        "`commissioners` (take over functions) or `improvement_assurance_board`. It decides "
        "the words and roles of every page and report.",
    )
    legal_basis: Text = Field(
        "", description="The statutory power, e.g. `Local Government Act 1999, s.15(5)`."
    )
    directions_date: datetime.date = Field(
        description="Date the Directions were made: the start of the intervention."
    )
    directions_date_precision: Choice[DatePrecision] = Field(
        "day",
        description="`day`, or `month`/`year` when the record gives no more: the date is then "
        "the first day of that month or year.",
    )
    duration_months: int | None = Field(None, ge=1, le=240, description="Initial period in months.")
    end_date: datetime.date | None = Field(
        None, description="Date it ended or is due to end, when known."
    )
    end_date_precision: Choice[DatePrecision] = Field(
        "day", description="As `directions_date_precision`, for `end_date`."
    )
    status: Choice[InterventionStatus] = Field(description="Proposed, active, extended or closed.")
    summary: Text = Field("", description="A paragraph on why the intervention exists.")
    source: Text = Field("", description="Seed document(s) the facts come from.")
    public_pages: bool = Field(
        False,
        description="True when its public pages are published: anyone may read the Board's "
        "meetings, public papers and approved minutes, published responses and the plan's "
        "progress without signing in.",
    )
    response_due_rule: Choice[ResponseDueRule] = Field(
        "working_days",
        description="How a new recommendation's response due date is suggested: "
        "`working_days` after it was made, or by the `next_board_meeting`.",
    )
    response_due_working_days: int = Field(
        20, ge=1, le=365, description="Working days allowed for a response under that rule."
    )

    @model_validator(mode="after")
    def end_after_start(self) -> InterventionIn:
        if self.end_date and self.end_date < self.directions_date:
            raise ValueError("end_date must not be before directions_date")
        return self


class PersonIn(Versioned):
    key: Key = Field(
        description="Unique key in this file, used to refer to the person, e.g. `stephen-halsey`."
    )
    name: Text = Field("", description="Full name. Empty for a post not yet filled.")
    post: Text = Field("", description="Job title or position, e.g. `Chief Executive`.")
    organisation: Text = Field(
        "", description="Employer or body, e.g. `London Borough of Tower Hamlets`, `MHCLG`."
    )
    political_group: Text = Field("", description="For a councillor: political group.")
    is_organisation: bool = Field(
        False,
        description="True for a corporate body holding a role (e.g. a firm appointed as "
        "Commissioner), not an individual.",
    )
    user: Username | None = Field(
        None,
        description="Username of the person's account in Stocktake, which lets them see the "
        "intervention; the account must exist where the file is imported.",
    )

    @model_validator(mode="after")
    def named_or_post(self) -> PersonIn:
        if not self.name and not self.post:
            raise ValueError("a person needs a name or a post")
        return self


class AppointmentIn(Versioned):
    person: Key = Field(description="Key of a person in `people`.")
    role: Choice[Role] = Field(description="The role held.")
    theme: ThemeSlug | None = Field(None, description="For a Board Lead: the Best Value theme led.")
    title: Text = Field(
        "", description="The role as written, e.g. `Lead for Governance`, `Finance Commissioner`."
    )
    starts_on: datetime.date | None = Field(None, description="First day in the role, when known.")
    starts_on_precision: Choice[DatePrecision] = Field(
        "day",
        description="`day`, or `month`/`year` when the record gives no more: `starts_on` is "
        "then the first day of that month or year.",
    )
    ends_on: datetime.date | None = Field(
        None, description="Last day in the role; empty while it continues."
    )
    ends_on_precision: Choice[DatePrecision] = Field(
        "day", description="As `starts_on_precision`, for `ends_on`."
    )
    interim: bool = Field(False, description="True for an interim or acting appointment.")
    source: Text = Field("", description="Seed document the appointment comes from.")

    @model_validator(mode="after")
    def ordered(self) -> AppointmentIn:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValueError("ends_on must not be before starts_on")
        return self


class DeadlineIn(Strict):
    kind: Choice[DeadlineKind] = Field(description="relative, recurring, event, standing or fixed.")
    as_written: Text = Field("", description="The deadline in the Direction's own words.")
    months: int | None = Field(
        None, ge=0, le=120, description="relative: calendar months after the Directions date."
    )
    days: int | None = Field(
        None,
        ge=0,
        le=3650,
        description="relative: days after the Directions date (added to months).",
    )
    interval_months: int | None = Field(
        None, ge=1, le=60, description="recurring: months between occurrences."
    )
    first_due: datetime.date | None = Field(
        None,
        description="recurring: first occurrence, when not one interval after the Directions date.",
    )
    first_due_precision: Choice[DatePrecision] = Field(
        "day",
        description="As `made_on_precision`, for `first_due` (`month`: due in that month, "
        "counted as its last day).",
    )
    first_due_source: Text = Field(
        "",
        description="recurring: who set `first_due` and the paper and paragraph that record it.",
    )
    due_on: datetime.date | None = Field(None, description="fixed: the date.")
    event: Text = Field(
        "", description="event: what triggers the duty, e.g. `a Board recommendation`."
    )
    varied: list[IntervalVariationIn] = Field(
        default_factory=list, description="recurring: later changes of interval."
    )

    @model_validator(mode="after")
    def fields_fit_kind(self) -> DeadlineIn:
        needs = {
            "relative": ("months",),
            "recurring": ("interval_months",),
            "fixed": ("due_on",),
            "event": ("event",),
            "standing": (),
        }[self.kind]
        for name in needs:
            if getattr(self, name) in (None, ""):
                raise ValueError(f"a {self.kind} deadline needs {name}")
        if self.kind != "recurring" and self.varied:
            raise ValueError("only a recurring deadline can be varied")
        return self


class IntervalVariationIn(Versioned):
    effective_from: datetime.date = Field(description="First date the new interval applies.")
    interval_months: int = Field(ge=1, le=60, description="The new interval in months.")
    directed_by: Text = Field(
        "", description="Who varied it, e.g. `the Board`, `the Secretary of State`."
    )
    note: Text = Field("", description="Why, or where it was decided.")


class DirectionItemIn(Versioned):
    ref: Annotated[str, StringConstraints(pattern=r"^[ivx]+$")] = Field(
        description="Roman numeral of the sub-item, e.g. `iii`."
    )
    text: Required = Field(description="Text of the sub-item.")
    short_title: Text = Field("", description="A few words that name it.")
    themes: list[ThemeSlug] = Field(
        default_factory=list, description="Best Value themes, when not the same as its Direction's."
    )
    programmes: list[int] = Field(
        default_factory=list, description="Numbers of the programmes that deliver this sub-item."
    )
    compliance: Choice[Compliance] = Field(
        "not_assessed", description="Compliance status of the sub-item."
    )
    met_on: datetime.date | None = Field(
        None, description="With compliance `met`: the day it was met, where a paper gives it."
    )
    met_on_precision: Choice[DatePrecision] = Field(
        "day", description="As `made_on_precision`, for `met_on`."
    )
    compliance_source: Text = Field(
        "", description="Where the compliance is recorded: the paper and paragraph."
    )
    evidence: Text = Field("", description="Evidence notes for the sub-item.")

    @model_validator(mode="after")
    def met_date_fits(self) -> DirectionItemIn:
        _check_met_on(self.compliance, self.met_on)
        return self


class DirectionIn(Versioned):
    ref: Annotated[str, StringConstraints(pattern=r"^[a-z]{1,2}$")] = Field(
        description="Letter of the Direction, e.g. `e`."
    )
    short_title: Required = Field(
        description="A few words that name it, e.g. `Continuous Improvement Plan`."
    )
    text: Required = Field(description="Full text as made.")
    themes: list[ThemeSlug] = Field(
        default_factory=list, description="Best Value themes it addresses."
    )
    deadline: DeadlineIn = Field(description="When it must be done.")
    compliance: Choice[Compliance] = Field("not_assessed", description="Compliance status.")
    met_on: datetime.date | None = Field(
        None, description="With compliance `met`: the day it was met, where a paper gives it."
    )
    met_on_precision: Choice[DatePrecision] = Field(
        "day", description="As `made_on_precision`, for `met_on`."
    )
    compliance_source: Text = Field(
        "",
        description="Where the compliance is recorded: the paper and paragraph, e.g. "
        "`Envoys' first stocktake report, 21 May 2025, §1.9`.",
    )
    evidence: Text = Field("", description="Evidence notes for the compliance status.")
    programmes: list[int] = Field(
        default_factory=list, description="Numbers of the programmes that deliver it."
    )
    status: Choice[DirectionStatus] = Field(
        "in_force", description="In force, revoked, superseded …"
    )
    status_changed_on: datetime.date | None = Field(
        None,
        description="The day it was revoked, superseded or expired: from then on it is not in "
        "force.",
    )
    superseded_by: Text = Field(
        "", description="`SET/REF` of the Direction that replaced it, e.g. `2026-revised/c`."
    )
    expires_on: datetime.date | None = Field(
        None, description="The last day it is in force, when it ends before its set."
    )
    items: list[DirectionItemIn] = Field(default_factory=list, description="Sub-items i, ii, iii …")

    @model_validator(mode="after")
    def items_unique(self) -> DirectionIn:
        problems = Problems()
        for ref in duplicates(item.ref for item in self.items):
            problems.add(("items",), f"sub-item {ref!r} appears more than once")
        problems.raise_any()
        _check_met_on(self.compliance, self.met_on)
        return self


class DirectionSetIn(Versioned):
    key: Key = Field(description="Unique key in this file, e.g. `2025-directions`.")
    title: Required = Field(description="Title of the set of Directions.")
    made_on: datetime.date = Field(
        description="The date of these Directions: relative deadlines count from it."
    )
    made_on_precision: Choice[DatePrecision] = Field(
        "day", description="As `intervention.directions_date_precision`, for `made_on`."
    )
    proposed_on: datetime.date | None = Field(
        None, description="Date the Directions were proposed."
    )
    representations_by: datetime.date | None = Field(
        None, description="Closing date for the council's representations."
    )
    status: Choice[DirectionStatus] = Field("in_force", description="Status of the whole set.")
    status_changed_on: datetime.date | None = Field(
        None,
        description="The day the set was superseded, revoked or expired: from then on it is not "
        "in force.",
    )
    superseded_by: Key | None = Field(None, description="Key of the later set that replaced it.")
    expires_on: datetime.date | None = Field(
        None, description="The last day the set is in force (“up to and including”), if stated."
    )
    source: Text = Field("", description="Seed document.")
    directions: list[DirectionIn] = Field(
        default_factory=list, description="The Directions, a, b, c …"
    )

    @model_validator(mode="after")
    def letters_unique(self) -> DirectionSetIn:
        problems = Problems()
        for ref in duplicates(direction.ref for direction in self.directions):
            problems.add(("directions",), f"Direction {ref!r} appears more than once")
        self._check_dates(problems)
        problems.raise_any()
        return self

    def _check_dates(self, problems: Problems) -> None:
        """Dates that contradict each other: an end before the set was made, a Direction still
        in force after its set ended, compliance met before the Directions were made."""
        made = self.made_on
        name = f"the set {self.key!r}"
        if self.status_changed_on and self.status_changed_on < made:
            problems.add(
                ("status_changed_on",),
                f"{name} is {self.status} on {self.status_changed_on}, before it was made "
                f"(made_on {made})",
            )
        if self.expires_on and self.expires_on < made:
            problems.add(
                ("expires_on",), f"{name} expires on {self.expires_on}, before it was made ({made})"
            )
        if self.superseded_by and self.status != DirectionStatus.SUPERSEDED:
            problems.add(
                ("superseded_by",),
                f"{name} names the set that superseded it ({self.superseded_by!r}) but its "
                f"status is {self.status!r}, not 'superseded'",
            )
        set_end = _end_of(self.status, self.status_changed_on, self.expires_on)
        for i, direction in enumerate(self.directions):
            at: Location = ("directions", i)
            label = f"Direction {direction.ref} of {name}"
            if direction.status_changed_on and direction.status_changed_on < made:
                problems.add(
                    (*at, "status_changed_on"),
                    f"{label} is {direction.status} on {direction.status_changed_on}, before the "
                    f"set was made (made_on {made})",
                )
            if direction.expires_on and direction.expires_on < made:
                problems.add(
                    (*at, "expires_on"),
                    f"{label} expires on {direction.expires_on}, before the set was made ({made})",
                )
            if set_end is not None and self.status in _ENDED:
                own_end = _end_of(
                    direction.status, direction.status_changed_on, direction.expires_on
                )
                if own_end is None or own_end > set_end:
                    problems.add(
                        (*at, "status"),
                        f"{label} is still in force after the set was {self.status} on "
                        f"{set_end}: give the Direction the set's status and a date on or "
                        f"before {set_end}",
                    )
            met: list[tuple[Location, str, datetime.date | None]] = [(at, label, direction.met_on)]
            met += [
                ((*at, "items", j), f"{label}, sub-item {item.ref},", item.met_on)
                for j, item in enumerate(direction.items)
            ]
            for where, who, met_on in met:
                if met_on and met_on < made:
                    problems.add(
                        (*where, "met_on"),
                        f"{who} was met on {met_on}, before the Directions were made ({made})",
                    )

    def reference(self, direction: DirectionIn, item: DirectionItemIn | None = None) -> str:
        """How the file names one of the set's Directions or sub-items: `SET/REF`."""
        ref = f"{self.key}/{direction.ref}"
        return f"{ref}.{item.ref}" if item else ref

    def references(self) -> Iterator[str]:
        """`SET/REF` of each Direction and sub-item in the set."""
        for direction in self.directions:
            yield self.reference(direction)
            for item in direction.items:
                yield self.reference(direction, item)


_ENDED = (DirectionStatus.SUPERSEDED, DirectionStatus.REVOKED, DirectionStatus.EXPIRED)


def _end_of(
    status: str, changed_on: datetime.date | None, expires_on: datetime.date | None
) -> datetime.date | None:
    """The first day a set or Direction is no longer in force, by its own fields, when known
    (the rule of `directions.in_force`, for a file's values)."""
    ends = []
    if status in _ENDED and changed_on is not None:
        ends.append(changed_on)
    if expires_on is not None:
        ends.append(expires_on + datetime.timedelta(days=1))
    return min(ends, default=None)


def _check_met_on(compliance: str, met_on: datetime.date | None) -> None:
    if met_on is None:
        return
    if compliance != Compliance.MET:
        raise ValueError(f"met_on is given ({met_on}) but compliance is {compliance!r}, not 'met'")
    if met_on > datetime.date.today():  # noqa: DTZ011  # a date, compared with today's
        raise ValueError(f"met_on ({met_on}) is in the future")


# A programme's values the source may not state, so that the file can say which it does not.
NotInSource = Literal[
    "phase", "status", "rag", "themes", "required_by_directions", "sponsor", "sro", "lead_member"
]


class Tracked(Versioned):
    """Fields of everything whose delivery is tracked (programmes and milestones)."""

    status: Choice[WorkStatus] = Field(
        "not_started", description="Not started, in progress, complete …"
    )
    rag: Choice[RAG] = Field(
        "not_started", description="Red, amber, green, complete or not started."
    )


class MilestoneIn(Tracked):
    number: Text = Field(
        "", description="Number as written, e.g. `2.1`; empty when the plan gives none."
    )
    title: Required = Field(description="The key activity.")
    steps: Text = Field("", description="Sub-steps as written (a., b., …), one per line.")
    start: Text = Field(
        "",
        description="Start as written: `Jan 2025`, `Ongoing`, `TBC`, `Autumn 2025`, `when in post`",
    )
    end: Text = Field("", description="End as written; empty when the plan gives none.")
    baseline_end: datetime.date | None = Field(
        None,
        description="Agreed end date, as last approved through change control; defaults to "
        "the last day of `end`.",
    )
    original_baseline_end: datetime.date | None = Field(
        None,
        description="The first end agreed (the original baseline), which approving a slip "
        "never moves; slips are measured against it by default. Defaults to the earliest "
        "`baseline_end` its `versions` give, else the `baseline_before` of its earliest "
        "approved `end_date` change request, else `baseline_end`.",
    )
    forecast_start: datetime.date | None = Field(None, description="Current forecast start date.")
    forecast_end: datetime.date | None = Field(None, description="Current forecast end date.")
    actual_end: datetime.date | None = Field(None, description="Date it was completed.")
    percent_complete: int = Field(0, ge=0, le=100, description="0 to 100.")
    commentary: Text = Field("", description="Progress in the current period.")
    next_steps: Text = Field("", description="What happens next.")
    change_requests: list[ChangeRequestIn] = Field(
        default_factory=list, description="Requests to change it under change control."
    )

    # The file lists a milestone under the programme it is in now, at its place there.
    VERSION_EXTRAS = frozenset({"programme", "position"})
    comments: list[CommentIn] = Field(
        default_factory=list, description="Comments and challenges on it, oldest first."
    )
    evidence: list[EvidenceIn] = Field(default_factory=list, description="Evidence for it.")
    delegations: list[DelegationIn] = Field(
        default_factory=list, description="People allowed to update it."
    )


class ProgrammeIn(Tracked):
    number: int = Field(ge=1, le=999, description="Programme number, unique in the plan.")
    title: Required = Field(description="Programme title.")
    purpose: Text = Field("", description="Purpose and description.")
    required_by_directions: bool = Field(False, description="True when the Directions require it.")
    phase: Choice[Phase] = Field(
        "discovery", description="Discovery, design, mobilisation, delivery or closed."
    )
    sponsor: Key | None = Field(None, description="Key of the Senior Sponsor in `people`.")
    sro: Key | None = Field(None, description="Key of the Senior Responsible Officer in `people`.")
    lead_member: Key | None = Field(
        None, description="Key of the lead member (a councillor) in `people`."
    )
    co_sponsors: list[Key] = Field(
        default_factory=list,
        description="Keys of further Senior Sponsors, where the plan names more than one.",
    )
    themes: list[ThemeSlug] = Field(
        default_factory=list, description="Best Value themes it addresses."
    )
    not_in_source: list[NotInSource] = Field(
        default_factory=list,
        description="Fields whose values the improvement team entered because the source does "
        "not state them: any of `phase`, `status`, `rag`, `themes`, `required_by_directions`, "
        "`sponsor`, `sro`, `lead_member`. Pages show them as entered, not from the source.",
    )
    opened_on: datetime.date | None = Field(
        None, description="Day it became part of the plan, when after the plan was agreed."
    )
    closed_on: datetime.date | None = Field(
        None, description="Day it stopped being part of the plan (merged or closed)."
    )
    merged_into: int | None = Field(
        None, description="Number of the programme it was merged into, when it closed so."
    )
    close_reason: Text = Field("", description="Why it closed or was merged.")
    milestones: list[MilestoneIn] = Field(
        default_factory=list, description="Key activities, in plan order."
    )
    updates: list[ProgrammeUpdateIn] = Field(
        default_factory=list, description="Its update for each reporting period, oldest first."
    )
    comments: list[CommentIn] = Field(
        default_factory=list,
        description="Comments and challenges on the programme as a whole, oldest first.",
    )
    evidence: list[EvidenceIn] = Field(
        default_factory=list, description="Evidence for the programme as a whole."
    )
    delegations: list[DelegationIn] = Field(
        default_factory=list, description="People allowed to update the whole programme."
    )

    VERSION_EXTRAS = frozenset({"aim"})

    @model_validator(mode="after")
    def dated_states_agree(self) -> ProgrammeIn:
        problems = Problems()
        _check_dates(problems, self.opened_on, self.closed_on)
        for period in duplicates(update.period_start for update in self.updates):
            problems.add(("updates",), f"more than one update for the period from {period}")
        if self.merged_into is not None and self.closed_on is None:
            problems.add(("merged_into",), "a merged programme needs `closed_on`, its merge day")
        if self.merged_into == self.number:
            problems.add(("merged_into",), "a programme cannot be merged into itself")
        problems.raise_any()
        return self

    def milestone_references(self) -> Iterator[str]:
        """`PROGRAMME/POSITION` of each milestone: positions count from 1 in file order."""
        for position in range(1, len(self.milestones) + 1):
            yield f"{self.number}/{position}"


class AimIn(Versioned):
    number: int = Field(ge=1, le=99, description="Aim number.")
    title: Required = Field(description="Aim as written.")
    outcomes: Text = Field("", description="Outcomes sought, one per line.")
    opened_on: datetime.date | None = Field(
        None, description="Day it became part of the plan, when after the plan was agreed."
    )
    closed_on: datetime.date | None = Field(
        None, description="Day it stopped being part of the plan."
    )
    close_reason: Text = Field("", description="Why it closed.")
    programmes: list[ProgrammeIn] = Field(
        default_factory=list, description="Programmes under this aim."
    )

    @model_validator(mode="after")
    def dated_states_agree(self) -> AimIn:
        problems = Problems()
        _check_dates(problems, self.opened_on, self.closed_on)
        problems.raise_any()
        return self


def _check_dates(
    problems: Problems, opened_on: datetime.date | None, closed_on: datetime.date | None
) -> None:
    """An aim or programme closes after it opens."""
    if opened_on and closed_on and closed_on <= opened_on:
        problems.add(("closed_on",), "expected a day after `opened_on`")


class PlanIn(Versioned):
    title: Required = Field(description="Title of the plan, e.g. `Continuous Improvement Plan`.")
    mission: Text = Field("", description="The plan's mission statement.")
    agreed_on: datetime.date | None = Field(None, description="Date the Board agreed it.")
    source: Text = Field("", description="Seed document.")
    aims: list[AimIn] = Field(
        default_factory=list, description="Strategic aims with their programmes."
    )

    @model_validator(mode="after")
    def numbers_unique(self) -> PlanIn:
        problems = Problems()
        for number in duplicates(aim.number for aim in self.aims):
            problems.add(("aims",), f"aim number {number} is used more than once")
        for number in duplicates(programme.number for _, _, programme in self.programmes()):
            problems.add((), f"programme number {number} is used more than once")
        numbers = {programme.number for _, _, programme in self.programmes()}
        aims = {aim.number for aim in self.aims}
        for a, p, programme in self.programmes():
            at: Location = ("aims", a, "programmes", p)
            # A version says which aim a programme was under, or which programme a milestone
            # was in, by the number it has now.
            for k, version in enumerate(programme.versions):
                if "aim" in version.fields and version.fields["aim"] not in aims:
                    problems.add(
                        (*at, "versions", k, "fields", "aim"),
                        f"expected the number of an aim in the plan, found "
                        f"{version.fields['aim']!r}",
                    )
            for m, milestone in enumerate(programme.milestones):
                for k, version in enumerate(milestone.versions):
                    if "programme" in version.fields and version.fields["programme"] not in numbers:
                        problems.add(
                            (*at, "milestones", m, "versions", k, "fields", "programme"),
                            "expected the number of a programme in the plan, found "
                            f"{version.fields['programme']!r}",
                        )
            into = programme.merged_into
            if into is not None and into not in numbers:
                problems.add(
                    ("aims", a, "programmes", p, "merged_into"),
                    f"expected the number of a programme in the plan, found {into}",
                )
        problems.raise_any()
        return self

    def programmes(self) -> Iterator[tuple[int, int, ProgrammeIn]]:
        """Each programme with its location: (aim index, programme index, programme)."""
        for a, aim in enumerate(self.aims):
            for p, programme in enumerate(aim.programmes):
                yield a, p, programme


class MembershipIn(Versioned):
    person: Key = Field(description="Key of a person in `people`.")
    role: Choice[BoardRole] = Field(description="Role on the board.")
    theme: ThemeSlug | None = Field(None, description="For a theme lead: the theme.")
    title: Text = Field("", description="Role as written, e.g. `Governance Lead`.")
    opposition: bool = Field(
        False, description="For a councillor: true when their group is in opposition."
    )
    starts_on: datetime.date | None = Field(
        None, description="First day of membership, when known."
    )
    ends_on: datetime.date | None = Field(None, description="Last day; empty while it continues.")


class MeetingIn(Versioned):
    date: datetime.date = Field(description="Date of the meeting.")
    title: Text = Field("", description="Title, e.g. `Inaugural meeting`.")
    kind: Choice[MeetingKind] = Field("formal", description="Workshop, formal or informal.")
    status: Choice[MeetingStatus] = Field(
        "scheduled", description="Scheduled, held, minutes approved or cancelled."
    )
    start_time: datetime.time | None = Field(None, description="Start time, London time (HH:MM).")
    published: bool = Field(False, description="True when its papers are published.")
    summary: Text = Field("", description="What it did or decided.")
    minutes: Text = Field(
        "", description="The minutes: public once the Board approves them, never before."
    )
    decisions: Text = Field("", description="What the Board decided, one per line.")
    source: Text = Field("", description="Seed document.")
    agenda: list[AgendaItemIn] = Field(default_factory=list, description="The agenda, in order.")
    papers: list[PaperIn] = Field(
        default_factory=list, description="Its papers: what they are, not their contents."
    )
    attendance: list[AttendanceIn] = Field(
        default_factory=list, description="Who attended, sent apologies or was absent."
    )
    actions: list[ActionIn] = Field(
        default_factory=list, description="Actions agreed at it (its action log)."
    )

    @model_validator(mode="after")
    def parts_agree(self) -> MeetingIn:
        problems = Problems()
        for key in duplicates(entry.person for entry in self.attendance):
            problems.add(("attendance",), f"the person {key!r} is listed more than once")
        positions = {item.position for item in self.agenda}
        for p, paper in enumerate(self.papers):
            if paper.agenda_item is not None and paper.agenda_item not in positions:
                problems.add(
                    ("papers", p, "agenda_item"),
                    f"expected the position of an item of this meeting's agenda, found "
                    f"{paper.agenda_item}",
                )
        problems.raise_any()
        return self


class AgendaItemIn(Versioned):
    position: int = Field(1, ge=0, le=999, description="Its place on the agenda.")
    title: Required = Field(description="The item as the agenda gives it.")
    presenter: Key | None = Field(None, description="Key of the person presenting it.")
    notes: Text = Field("", description="Notes on the item.")
    programmes: list[int] = Field(
        default_factory=list, description="Numbers of the programmes it is about."
    )
    directions: list[Text] = Field(
        default_factory=list, description="Directions it is about, as `SET/REF`."
    )


class StoredFile(Versioned):
    """What the file says of a stored file: never its contents."""

    uuid: str = Field(
        description="The file's identifier in Stocktake (kept, so that links to it still work)."
    )
    stored_as: Text = Field(
        "",
        description="Its name in the evidence store (`EVIDENCE_ROOT`): copy the store with the "
        "file for the contents to come too.",
    )
    original_name: Text = Field("", description="The name of the file as uploaded.")
    content_type: Text = Field("", description="Its media type, e.g. `application/pdf`.")
    size: int | None = Field(None, ge=0, description="Its size in bytes.")
    added_by: Username = Field(description="Username of who added it.")


class PaperIn(StoredFile):
    title: Required = Field(description="Title of the paper.")
    agenda_item: int | None = Field(
        None, description="Position of the agenda item it belongs to, if any."
    )
    exempt: bool = Field(False, description="True when it is exempt from publication.")
    exemption_reason: Text = Field(
        "", description="Why it is exempt, e.g. the paragraph of Schedule 12A; needed if exempt."
    )

    @model_validator(mode="after")
    def exempt_has_a_reason(self) -> PaperIn:
        if self.exempt and not self.exemption_reason:
            raise ValueError("an exempt paper needs its `exemption_reason`")
        return self


class AttendanceIn(Versioned):
    person: Key = Field(description="Key of a person in `people`.")
    status: Choice[AttendanceStatus] = Field(
        description="Present, apologies, absent, or sent a substitute."
    )
    note: Text = Field("", description="E.g. `attending for item 3`.")
    substitute_name: Text = Field(
        "", description="Who attended in their place; needed when `status` is `substitute`."
    )
    substitute_role: Text = Field("", description="The substitute's role, e.g. `Deputy Mayor`.")

    @model_validator(mode="after")
    def substitute_is_named(self) -> AttendanceIn:
        if self.status == AttendanceStatus.SUBSTITUTE and not self.substitute_name:
            raise ValueError("a substitute needs their `substitute_name`")
        return self


class ActionIn(Versioned):
    text: Required = Field(description="The action.")
    owner: Key | None = Field(None, description="Key of the person who owns it.")
    due_on: datetime.date | None = Field(None, description="When it is due.")
    status: Choice[ActionStatus] = Field(
        "open",
        description="`open` (carried forward to each later meeting until it is done or "
        "dropped), `done` or `dropped`.",
    )


class ProgrammeUpdateIn(Versioned):
    period_start: datetime.date = Field(description="First day of the quarter it reports on.")
    rag: Choice[RAG] = Field(description="The programme's RAG for the period.")
    status: Choice[WorkStatus] = Field(
        "in_progress", description="The programme's status at the end of the period."
    )
    summary: Required = Field(description="Progress in the period.")
    next_steps: Text = Field("", description="What happens next.")
    risks: Text = Field("", description="Risks and issues to escalate.")
    decisions_needed: Text = Field("", description="Decisions needed from the Board.")
    author: Username = Field(description="Username of who wrote it.")


class ReplyIn(Versioned):
    text: Required = Field(description="What was written.")
    author: Username = Field(description="Username of who wrote it.")


class CommentIn(Versioned):
    kind: Choice[CommentKind] = Field(description="A `challenge` or a `comment`.")
    text: Required = Field(description="What was written.")
    author: Username = Field(description="Username of who wrote it.")
    answered_by: Username | None = Field(
        None, description="For a challenge: username of who answered it (the first answer)."
    )
    answered_at: AwareDatetime | None = Field(None, description="When it was answered.")
    resolved_by: Username | None = Field(
        None, description="For a challenge: username of who resolved it."
    )
    resolved_at: AwareDatetime | None = Field(None, description="When it was resolved.")
    replies: list[ReplyIn] = Field(
        default_factory=list, description="A challenge's thread of replies, oldest first."
    )


class ChangeRequestIn(Versioned):
    kind: Choice[ChangeKind] = Field(description="`end_date`, `scope` or `close_early`.")
    proposed_end: datetime.date | None = Field(None, description="For `end_date`: the new end.")
    proposed_title: Text = Field("", description="For `scope`: the new title.")
    proposed_steps: Text = Field("", description="For `scope`: the new sub-steps.")
    reason: Required = Field(description="Why the change is asked for.")
    status: Choice[ChangeStatus] = Field(
        "pending", description="`pending`, `approved` or `rejected`."
    )
    requested_by: Username = Field(description="Username of who asked for it.")
    decided_by: Username | None = Field(None, description="Username of who decided it.")
    decided_at: AwareDatetime | None = Field(None, description="When it was decided.")
    decision_note: Text = Field("", description="The decision's reasons.")
    baseline_before: datetime.date | None = Field(
        None, description="The milestone's baseline end when the request was decided."
    )


class DelegationIn(Versioned):
    person: Key = Field(description="Key of the person allowed to update it.")
    granted_by: Username = Field(description="Username of who granted it.")
    starts_on: datetime.date = Field(description="First day of the delegation.")
    ends_on: datetime.date | None = Field(None, description="Last day; empty while it lasts.")
    note: Text = Field("", description="Why, or what for.")


class EvidenceIn(StoredFile):
    kind: Choice[EvidenceKind] = Field(description="`file` (an uploaded file) or `link`.")
    title: Required = Field(description="What it is.")
    url: Text = Field("", description="For a link: its address.")

    @model_validator(mode="after")
    def is_a_file_or_a_link(self) -> EvidenceIn:
        if self.kind == "link" and not self.url:
            raise ValueError("a link needs its `url`")
        if self.kind == "file" and not self.stored_as:
            raise ValueError("a file needs `stored_as`, its name in the evidence store")
        return self


class RequirementIn(Versioned):
    description: Required = Field(description="The requirement as written.")
    direction: Text | None = Field(
        None, description="The Direction requiring it, as `SET/REF` (e.g. `2025-directions/a.iv`)."
    )
    role: Choice[BoardRole] = Field(description="Role a member must hold to meet it.")
    theme: ThemeSlug | None = Field(None, description="For a theme lead: the theme.")
    post: Text = Field("", description="The member's post must be this, e.g. `Mayor`.")
    opposition: bool = Field(False, description="True when only opposition councillors count.")
    minimum: int = Field(1, ge=1, le=50, description="How many members it needs.")


class BoardIn(Versioned):
    key: Key = Field(description="Unique key in this file, e.g. `tab`.")
    name: Required = Field(description="Name of the board.")
    kind: Choice[BoardKind] = Field(
        description="Kind of board; `tab` is the main board, whatever the model calls it."
    )
    parent: Key | None = Field(
        None,
        description="For a sub-board: the key of the board it sits under, e.g. a Finance "
        "Recovery Board under the Improvement and Recovery Board.",
    )
    purpose: Text = Field("", description="What it is for.")
    cadence_months: int | None = Field(None, ge=1, le=12, description="Months between meetings.")
    cadence_review_on: datetime.date | None = Field(
        None, description="When the cadence is to be reviewed."
    )
    requirements: list[RequirementIn] = Field(
        default_factory=list, description="Membership the Directions require."
    )
    members: list[MembershipIn] = Field(default_factory=list, description="Dated memberships.")
    meetings: list[MeetingIn] = Field(default_factory=list, description="Meetings, oldest first.")

    @model_validator(mode="after")
    def meeting_dates_unique(self) -> BoardIn:
        problems = Problems()
        for date in duplicates(meeting.date for meeting in self.meetings):
            problems.add(("meetings",), f"two meetings on {date.isoformat()}")
        problems.raise_any()
        return self


class MeetingRef(Strict):
    board: Key = Field(description="Key of the board.")
    date: datetime.date = Field(description="Date of the meeting.")


class RecommendationIn(Versioned):
    reference: Annotated[
        str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9./-]*$", max_length=40)
    ] = Field(
        description="Reference unique in the intervention, e.g. `EY-1`, `ENV-2025-05-1`.",
    )
    source: Choice[RecommendationSource] = Field(description="Who made it.")
    meeting: MeetingRef | None = Field(None, description="For a board recommendation: the meeting.")
    source_document: Text = Field("", description="The document it is in.")
    title: Required = Field(description="A few words that name it.")
    text: Required = Field(description="Full text.")
    made_on: datetime.date = Field(description="Date it was made.")
    made_on_precision: Choice[DatePrecision] = Field(
        "day",
        description='How much of `made_on` the source gives: `month` for "February 2025" (then '
        "`made_on` is the month's last day, the day by which it was certainly made).",
    )
    response_due: datetime.date | None = Field(None, description="Date a response is due.")
    owner: Key | None = Field(None, description="Key of the person who owns the response.")
    response: Text = Field("", description="The council's response.")
    responded_on: datetime.date | None = Field(None, description="Date of the response.")
    published_on: datetime.date | None = Field(None, description="Date the response was published.")
    status: Choice[RecommendationStatus] = Field("open", description="Open, accepted, … closed.")
    directions: list[Text] = Field(
        default_factory=list,
        description="Directions it relates to, as `SET/REF` (e.g. `2025-directions/e`).",
    )
    programmes: list[int] = Field(
        default_factory=list, description="Numbers of programmes it relates to."
    )
    milestones: list[Annotated[str, StringConstraints(pattern=r"^[0-9]{1,3}/[0-9]{1,3}$")]] = Field(
        default_factory=list,
        description="Key activities it relates to, as `PROGRAMME/POSITION` (`8/3`: the third "
        "of programme 8's milestones in this file).",
    )

    @model_validator(mode="after")
    def response_dates(self) -> RecommendationIn:
        if self.responded_on and self.responded_on < self.made_on:
            raise ValueError("responded_on must not be before made_on")
        if self.published_on and not self.responded_on:
            raise ValueError("published_on needs responded_on: only a response can be published")
        return self


class ReportingDutyIn(Versioned):
    report: Choice[ReportKind] = Field(
        description="The kind of issued report that discharges it: board, sos or stocktake."
    )
    title: Required = Field(description="What the duty is, e.g. `Envoys' stocktake report`.")
    direction: Text = Field(
        "", description="`SET/REF` of the recurring Direction whose schedule it follows."
    )
    first_due_months: int | None = Field(
        None,
        ge=0,
        le=120,
        description="Without a Direction: months after the Directions date it is first due.",
    )
    interval_months: int | None = Field(
        None,
        ge=1,
        le=60,
        description="Without a Direction: months between occurrences; leave out until agreed.",
    )
    as_written: Text = Field("", description="The duty in its source's own words.")
    responsible: Key | None = Field(None, description="Key of the person who delivers it.")
    varied: list[IntervalVariationIn] = Field(
        default_factory=list, description="Without a Direction: later changes of interval."
    )

    @model_validator(mode="after")
    def one_schedule(self) -> ReportingDutyIn:
        if self.direction:
            if self.first_due_months is not None or self.interval_months or self.varied:
                raise ValueError(
                    "a duty that follows a Direction takes its schedule from it: leave out "
                    "first_due_months, interval_months and varied"
                )
        elif self.first_due_months is None:
            raise ValueError("a duty without a direction needs first_due_months")
        return self


class ReportIssuedIn(Versioned):
    kind: Choice[ReportKind] = Field(description="The kind of report: board, sos or stocktake.")
    title: Required = Field(description="Title as the document gives it.")
    issued_on: datetime.date = Field(
        description="The day it was issued: it discharges a reporting duty from then."
    )
    as_of: datetime.date | None = Field(
        None,
        description="The day it describes things as they stood; leave out when it is `issued_on`.",
    )
    issued_on_precision: Choice[DatePrecision] = Field(
        "day",
        description="`day`, or `month`/`year` when the record dates it no more precisely: "
        "`issued_on` is then the first day of that month or year.",
    )
    issued_by: Required = Field(
        description="Who issued it, e.g. `Ministerial Envoys`, `Commissioners`."
    )
    addressed_to: Text = Field("", description="Who it was sent to, e.g. `Minister of State`.")
    published_url: Annotated[
        str, StringConstraints(strip_whitespace=True, pattern=r"^(https?://\S+)?$")
    ] = Field("", description="Web address where it is published (`https://…`).")
    document_reference: Text = Field(
        "",
        description="What finds the document, e.g. the letter's date and sender; needed when "
        "there is no `published_url`.",
    )
    full_council_on: datetime.date | None = Field(
        None, description="For a report to the Secretary of State: when Full Council considered it."
    )

    @model_validator(mode="after")
    def recorded_whole(self) -> ReportIssuedIn:
        if self.as_of and self.as_of > self.issued_on:
            raise ValueError("as_of must not be after issued_on")
        if not self.published_url and not self.document_reference:
            raise ValueError("a report issued elsewhere needs published_url or document_reference")
        if self.full_council_on and self.kind != ReportKind.SOS:
            raise ValueError("only a report to the Secretary of State (sos) has full_council_on")
        return self


class MeasureReadingIn(Versioned):
    taken_on: datetime.date = Field(description="The day the figure is for.")
    value: float = Field(description="The figure, in the measure's unit.")
    commentary: Text = Field("", description="What the figure shows, and why.")
    evidence_url: Annotated[str, StringConstraints(pattern=r"^(https?://\S+)?$")] = Field(
        "", description="Where the figure can be checked (`https://…`)."
    )


class MeasureIn(Versioned):
    title: Required = Field(description="What is measured.")
    rationale: Text = Field("", description="Why it is measured: what it shows.")
    unit: Required = Field(description="What the figures count, e.g. `%`, `days`.")
    aim: int | None = Field(None, description="Number of the strategic aim it measures.")
    programme: int | None = Field(None, description="Number of the programme it measures.")
    theme: ThemeSlug | None = Field(
        None, description="The Best Value theme it measures; reports group measures by it."
    )
    baseline_value: float = Field(description="The figure at the start.")
    baseline_on: datetime.date = Field(description="The day the baseline is for.")
    target_value: float = Field(description="The figure that shows what good looks like.")
    target_on: datetime.date = Field(
        description="The day the target is to be met by; after `baseline_on`."
    )
    direction: Choice[MeasureDirection] = Field(description="`higher` or `lower` is better.")
    source: Text = Field("", description="Where the figures come from, and the paper that set it.")
    owner: Key | None = Field(None, description="Key of the person who enters the readings.")
    frequency: Choice[MeasureFrequency] = Field(
        "quarterly", description="How often it is reported: monthly, quarterly, … annually."
    )
    proposed_on: datetime.date = Field(description="The day it was proposed: it counts from then.")
    oversight_agreed_on: datetime.date | None = Field(
        None, description="The day the oversight (Envoys, Commissioners …) agreed it."
    )
    oversight_agreed_by: Key | None = Field(
        None, description="Key of the person who agreed it for the oversight."
    )
    board_agreed_on: datetime.date | None = Field(None, description="The day the Board agreed it.")
    board_agreed_at: Text = Field("", description="Where the Board agreed it: meeting and item.")
    readings: list[MeasureReadingIn] = Field(
        default_factory=list, description="Its readings, oldest first."
    )

    @model_validator(mode="after")
    def is_a_measure(self) -> Self:
        if self.aim is None and self.programme is None and self.theme is None:
            raise ValueError("a measure needs an aim, a programme or a theme")
        if self.target_on <= self.baseline_on:
            raise ValueError("target_on must be after baseline_on")
        if self.oversight_agreed_by and not self.oversight_agreed_on:
            raise ValueError("oversight_agreed_by needs oversight_agreed_on")
        if self.board_agreed_at and not self.board_agreed_on:
            raise ValueError("board_agreed_at needs board_agreed_on")
        if days := duplicates(reading.taken_on for reading in self.readings):
            raise ValueError(f"more than one reading for {', '.join(map(str, days))}")
        return self


Score = Annotated[int, Field(ge=1, le=5)]


class MitigationIn(Versioned):
    action: Required = Field(description="What is done to lower the risk.")
    owner: Key | None = Field(None, description="Key of the person who does it.")
    due_on: datetime.date | None = Field(None, description="The day it is due.")
    done_on: datetime.date | None = Field(None, description="The day it was done; empty if not.")


class RiskIn(Versioned):
    reference: Required = Field(description="How the log refers to it, e.g. `R1`; unique.")
    kind: Choice[RiskKind] = Field("risk", description="`risk`, `issue` or `dependency`.")
    title: Required = Field(description="The risk in a line.")
    description: Text = ""
    cause: Text = Field("", description="What could bring it about.")
    effect: Text = Field("", description="What would follow for the plan.")
    programme: int | None = Field(
        None, description="Number of its programme; empty for a risk to the plan as a whole."
    )
    depends_on_programme: int | None = Field(
        None, description="For a dependency: the number of the programme it depends on."
    )
    depends_on_body: Text = Field(
        "", description="For a dependency: the body outside the council it depends on."
    )
    owner: Key | None = Field(None, description="Key of the person who owns it.")
    inherent_likelihood: Score = Field(description="Before mitigation, 1 (rare) to 5.")
    inherent_impact: Score = Field(description="Before mitigation, 1 (negligible) to 5.")
    residual_likelihood: Score = Field(description="With the mitigations in place, 1 to 5.")
    residual_impact: Score = Field(description="With the mitigations in place, 1 to 5.")
    raised_on: datetime.date = Field(description="The day it was raised: it counts from then.")
    last_reviewed_on: datetime.date | None = Field(None, description="The day of its last review.")
    review_on: datetime.date | None = Field(None, description="The day of its next review.")
    status: Choice[RiskStatus] = Field("open", description="`open` or `closed`.")
    closed_on: datetime.date | None = Field(None, description="The day it was closed.")
    closure_note: Text = Field("", description="Why it was closed.")
    source: Text = Field("", description="Where it is stated: the paper and the page.")
    mitigations: list[MitigationIn] = Field(
        default_factory=list, description="Its mitigations, in the order they are due."
    )

    @model_validator(mode="after")
    def is_a_risk(self) -> Self:
        if (self.status == "closed") != (self.closed_on is not None):
            raise ValueError("a closed risk needs closed_on, and an open one has none")
        if self.closed_on and self.closed_on < self.raised_on:
            raise ValueError("closed_on must not be before raised_on")
        if self.last_reviewed_on and self.last_reviewed_on < self.raised_on:
            raise ValueError("last_reviewed_on must not be before raised_on")
        depends = self.depends_on_programme is not None or bool(self.depends_on_body)
        if self.kind == "dependency" and not depends:
            raise ValueError("a dependency needs depends_on_programme or depends_on_body")
        if self.kind != "dependency" and depends:
            raise ValueError("only a dependency has depends_on_programme or depends_on_body")
        if self.depends_on_programme is not None and self.depends_on_programme == self.programme:
            raise ValueError("a programme cannot depend on itself")
        return self


ReportRef = Annotated[
    str, StringConstraints(pattern=r"^(board|sos|stocktake)/[0-9]{4}-[0-9]{2}-[0-9]{2}$")
]


class ExpectationIn(Versioned):
    report: ReportRef = Field(
        description="The report it is in, as `KIND/ISSUED_ON` of an entry of `reports_issued` "
        "(e.g. `stocktake/2025-05-21`)."
    )
    paragraph: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=20)
    ] = Field(description="The report's paragraph it is in, e.g. `4.4`.")
    title: Required = Field(description="A few words that name it.")
    quoted: Required = Field(description="The expectation in the report's own words, quoted.")
    due_on: datetime.date | None = Field(
        None,
        description='The day it is due, where the report gives one ("in six months\' time" '
        'from the report\'s date); left out where it gives none ("going forward").',
    )
    due_wording: Text = Field("", description="How the report says when, in its words.")
    programmes: list[int] = Field(
        default_factory=list, description="Numbers of the programmes it is about."
    )
    themes: list[ThemeSlug] = Field(
        default_factory=list, description="The Best Value themes it is about."
    )
    owner: Key | None = Field(None, description="Key of the person who answers it.")
    answer: Text = Field("", description="The council's answer.")
    answered_on: datetime.date | None = Field(None, description="The day it was answered.")
    evidence_url: Annotated[str, StringConstraints(pattern=r"^(https?://\S+)?$")] = Field(
        "", description="Where the evidence for the answer can be read (`https://…`)."
    )
    judgement: Choice[ExpectationJudgement] | Literal[""] = Field(
        "", description="The oversight's judgement: `met`, `partly_met` or `not_met`."
    )
    judged_on: datetime.date | None = Field(None, description="The day it was judged.")
    judged_by: Key | None = Field(None, description="Key of the person who judged it.")
    judged_in: ReportRef | None = Field(
        None, description="The report that gives the judgement, as `report` names one."
    )
    judgement_commentary: Text = Field("", description="Why it was judged so.")

    @model_validator(mode="after")
    def is_an_expectation(self) -> Self:
        if self.answer and not self.answered_on:
            raise ValueError("an answer needs answered_on")
        if self.judgement and not self.judged_on:
            raise ValueError("a judgement needs judged_on")
        if not self.judgement and (self.judged_on or self.judged_by or self.judged_in):
            raise ValueError("judged_on, judged_by and judged_in need a judgement")
        return self


class ExitJudgementIn(Versioned):
    theme: ThemeSlug = Field(description="The Best Value theme it judges.")
    judgement: Choice[ExitReadiness] = Field(
        description="`ready`, `nearly_ready` or `not_ready` to exit intervention on the theme."
    )
    commentary: Required = Field(description="Why it was judged so: the evidence, what remains.")
    judged_on: datetime.date = Field(
        description="The day it was judged: it counts from then, until a later judgement of "
        "the theme."
    )
    judged_by: Key | None = Field(
        None, description="Key of the member of the oversight who recorded it."
    )

    @model_validator(mode="after")
    def is_a_judgement(self) -> Self:
        if self.judged_on > datetime.date.today():  # noqa: DTZ011  # a date, compared with today's
            raise ValueError(f"judged_on ({self.judged_on}) is in the future")
        return self


class InterventionFile(Strict):
    format: Literal["stocktake-intervention"] = Field(
        description="Always `stocktake-intervention`."
    )
    version: Literal[1] = Field(description="Format version, now `1`.")
    authority: AuthorityIn
    intervention: InterventionIn
    people: list[PersonIn] = Field(default_factory=list, description="Everyone named in the file.")
    appointments: list[AppointmentIn] = Field(
        default_factory=list, description="Dated roles in the intervention."
    )
    direction_sets: list[DirectionSetIn] = Field(
        default_factory=list, description="Sets of Directions, oldest first."
    )
    plan: PlanIn | None = Field(None, description="The improvement plan.")
    boards: list[BoardIn] = Field(
        default_factory=list, description="Boards, with members and meetings."
    )
    recommendations: list[RecommendationIn] = Field(
        default_factory=list, description="Recommendations from every source."
    )
    reporting_duties: list[ReportingDutyIn] = Field(
        default_factory=list, description="Recurring duties to report, and what discharges them."
    )
    reports_issued: list[ReportIssuedIn] = Field(
        default_factory=list,
        description="Reports issued outside Stocktake (no PDF is held), oldest first.",
    )
    measures: list[MeasureIn] = Field(
        default_factory=list, description="Success measures, with their readings."
    )
    risks: list[RiskIn] = Field(
        default_factory=list,
        description="The RAID log: risks, issues and dependencies, with their mitigations.",
    )
    expectations: list[ExpectationIn] = Field(
        default_factory=list,
        description="What the oversight's reports issued elsewhere expect of the council, "
        "with the answers and judgements.",
    )
    exit_judgements: list[ExitJudgementIn] = Field(
        default_factory=list,
        description="The oversight's judgements of readiness to exit, by Best Value theme, "
        "oldest first.",
    )

    @model_validator(mode="after")
    def references_resolve(self) -> InterventionFile:
        """Keys unique across the file, and every reference from one part to another found.

        Pydantic runs this only once every part is valid by itself, so it can rely on them.
        """
        names = _Names(self)
        self._check_people(names)
        self._check_plan(names)
        self._check_direction_sets(names)
        self._check_boards(names)
        self._check_recommendations(names)
        self._check_reporting_duties(names)
        self._check_report_kinds(names)
        self._check_measures(names)
        self._check_risks(names)
        self._check_expectations(names)
        self._check_exit_judgements(names)
        self._check_versions(names)
        names.problems.raise_any()
        return self

    def _check_versions(self, names: _Names) -> None:
        """No change takes effect before its row existed (its first version took effect)."""
        for at, part in _versioned_parts(self, ()):
            if not part.versions:
                continue
            first = part.versions[0].effective_day
            for k, version in enumerate(part.versions[1:], start=1):
                if version.effective_day < first:
                    names.problems.add(
                        (*at, "versions", k, "valid_from"),
                        f"takes effect on {version.effective_day}, before its row existed (its "
                        f"first version takes effect on {first})",
                    )

    def _check_report_kinds(self, names: _Names) -> None:
        """Only the kinds of report the intervention's model has (a Commissioners
        intervention has no Envoys' stocktake)."""
        words = words_for(self.intervention.model)
        allowed = ", ".join(words.report_kinds)
        model = self.intervention.model
        for d, duty in enumerate(self.reporting_duties):
            if duty.report not in words.report_kinds:
                names.problems.add(
                    ("reporting_duties", d, "report"),
                    f"a {model} intervention has no {duty.report!r} report (it has {allowed})",
                )
        for r, report in enumerate(self.reports_issued):
            if report.kind not in words.report_kinds:
                names.problems.add(
                    ("reports_issued", r, "kind"),
                    f"a {model} intervention has no {report.kind!r} report (it has {allowed})",
                )

    def _check_people(self, names: _Names) -> None:
        for key in duplicates(person.key for person in self.people):
            names.problems.add(("people",), f"the key {key!r} is used by more than one person")
        for i, appointment in enumerate(self.appointments):
            names.person(("appointments", i, "person"), appointment.person)

    def _check_plan(self, names: _Names) -> None:
        if self.plan is None:
            return
        for a, p, programme in self.plan.programmes():
            at = ("plan", "aims", a, "programmes", p)
            names.person((*at, "sponsor"), programme.sponsor)
            names.person((*at, "sro"), programme.sro)
            names.person((*at, "lead_member"), programme.lead_member)
            for c, key in enumerate(programme.co_sponsors):
                names.person((*at, "co_sponsors", c), key)
            for d, delegation in enumerate(programme.delegations):
                names.person((*at, "delegations", d, "person"), delegation.person)
            for m, milestone in enumerate(programme.milestones):
                for d, delegation in enumerate(milestone.delegations):
                    names.person(
                        (*at, "milestones", m, "delegations", d, "person"), delegation.person
                    )

    def _check_direction_sets(self, names: _Names) -> None:
        keys = [direction_set.key for direction_set in self.direction_sets]
        for key in duplicates(keys):
            names.problems.add(("direction_sets",), f"the key {key!r} is used by more than one set")
        made = {direction_set.key: direction_set.made_on for direction_set in self.direction_sets}
        ended = self.intervention.end_date
        for d, direction_set in enumerate(self.direction_sets):
            at: Location = ("direction_sets", d)
            later = direction_set.superseded_by
            if later is not None and (later not in keys or later == direction_set.key):
                names.problems.add(
                    (*at, "superseded_by"), "expected the key of another set in `direction_sets`"
                )
            elif later is not None:
                on = direction_set.status_changed_on
                if made[later] < direction_set.made_on or (on is not None and made[later] > on):
                    names.problems.add(
                        (*at, "superseded_by"),
                        f"the set {direction_set.key!r} (made {direction_set.made_on}) is "
                        f"superseded{f' on {on}' if on else ''} by {later!r}, made on "
                        f"{made[later]}: a set is superseded by one made after it, on or before "
                        "the day it is superseded",
                    )
            if ended is not None and direction_set.made_on > ended:
                names.problems.add(
                    (*at, "made_on"),
                    f"the set {direction_set.key!r} is made on {direction_set.made_on}, after "
                    f"the intervention ended (end_date {ended})",
                )
            for i, direction in enumerate(direction_set.directions):
                direction_at = (*at, "directions", i)
                names.programmes((*direction_at, "programmes"), direction.programmes)
                if direction.superseded_by and direction.superseded_by not in names.directions:
                    names.problems.add(
                        (*direction_at, "superseded_by"),
                        "expected `SET/REF` of a Direction in this file",
                    )
                for j, item in enumerate(direction.items):
                    names.programmes((*direction_at, "items", j, "programmes"), item.programmes)

    def _check_boards(self, names: _Names) -> None:
        for key in duplicates(board.key for board in self.boards):
            names.problems.add(("boards",), f"the key {key!r} is used by more than one board")
        parents = {board.key: board.parent for board in self.boards}
        for b, board in enumerate(self.boards):
            if board.parent is not None:
                if board.parent not in parents:
                    names.problems.add(
                        ("boards", b, "parent"),
                        f"expected the key of a board in `boards`, found {board.parent!r}",
                    )
                else:
                    # Up the chain from this board: reaching it again is a loop.
                    seen: set[str] = {board.key}
                    above: str | None = board.parent
                    while above is not None and above not in seen:
                        seen.add(above)
                        above = parents.get(above)
                    if above is not None:
                        names.problems.add(
                            ("boards", b, "parent"),
                            "a board cannot sit under itself, directly or through others",
                        )
            for m, membership in enumerate(board.members):
                names.person(("boards", b, "members", m, "person"), membership.person)
            for m, meeting in enumerate(board.meetings):
                at: Location = ("boards", b, "meetings", m)
                for i, item in enumerate(meeting.agenda):
                    names.person((*at, "agenda", i, "presenter"), item.presenter)
                    names.programmes((*at, "agenda", i, "programmes"), item.programmes)
                    for j, ref in enumerate(item.directions):
                        names.direction((*at, "agenda", i, "directions", j), ref)
                for i, entry in enumerate(meeting.attendance):
                    names.person((*at, "attendance", i, "person"), entry.person)
                for i, action in enumerate(meeting.actions):
                    names.person((*at, "actions", i, "owner"), action.owner)
            for q, requirement in enumerate(board.requirements):
                if requirement.direction is not None:
                    names.direction(
                        ("boards", b, "requirements", q, "direction"), requirement.direction
                    )

    def _check_recommendations(self, names: _Names) -> None:
        for ref in duplicates(rec.reference for rec in self.recommendations):
            names.problems.add(
                ("recommendations",), f"the reference {ref!r} is used more than once"
            )
        for r, rec in enumerate(self.recommendations):
            at = ("recommendations", r)
            names.person((*at, "owner"), rec.owner)
            if rec.meeting and (rec.meeting.board, rec.meeting.date) not in names.meetings:
                names.problems.add((*at, "meeting"), "expected the board key and date of a meeting")
            for j, ref in enumerate(rec.directions):
                names.direction((*at, "directions", j), ref)
            names.programmes((*at, "programmes"), rec.programmes)
            for j, ref in enumerate(rec.milestones):
                if ref not in names.milestones:
                    names.problems.add(
                        (*at, "milestones", j),
                        f"expected `PROGRAMME/POSITION` of a milestone in the plan, found {ref!r}",
                    )

    def _check_measures(self, names: _Names) -> None:
        for m, measure in enumerate(self.measures):
            at: Location = ("measures", m)
            names.person((*at, "owner"), measure.owner)
            names.person((*at, "oversight_agreed_by"), measure.oversight_agreed_by)
            if measure.programme is not None and measure.programme not in names.programme_numbers:
                names.problems.add(
                    (*at, "programme"),
                    f"expected the number of a programme in the plan, found {measure.programme}",
                )
            if measure.aim is not None and measure.aim not in names.aims:
                names.problems.add(
                    (*at, "aim"), f"expected the number of an aim in the plan, found {measure.aim}"
                )

    def _check_risks(self, names: _Names) -> None:
        for ref in duplicates(risk.reference for risk in self.risks):
            names.problems.add(("risks",), f"the reference {ref!r} is used more than once")
        for r, risk in enumerate(self.risks):
            at: Location = ("risks", r)
            names.person((*at, "owner"), risk.owner)
            for name in ("programme", "depends_on_programme"):
                number = getattr(risk, name)
                if number is not None and number not in names.programme_numbers:
                    names.problems.add(
                        (*at, name),
                        f"expected the number of a programme in the plan, found {number}",
                    )
            for m, mitigation in enumerate(risk.mitigations):
                names.person((*at, "mitigations", m, "owner"), mitigation.owner)

    def _check_expectations(self, names: _Names) -> None:
        issued: dict[str, list[datetime.date]] = {}
        for report in self.reports_issued:
            issued.setdefault(f"{report.kind}/{report.issued_on}", []).append(report.issued_on)
        for ref, days in issued.items():
            if len(days) > 1 and any(e.report == ref for e in self.expectations):
                names.problems.add(
                    ("expectations",),
                    f"more than one report issued elsewhere is {ref!r}: an expectation "
                    "cannot say which it is in",
                )
        for e, expectation in enumerate(self.expectations):
            at: Location = ("expectations", e)
            names.person((*at, "owner"), expectation.owner)
            names.person((*at, "judged_by"), expectation.judged_by)
            names.programmes((*at, "programmes"), expectation.programmes)
            for name in ("report", "judged_in"):
                ref = getattr(expectation, name)
                if ref is not None and ref not in issued:
                    names.problems.add(
                        (*at, name),
                        f"expected `KIND/ISSUED_ON` of a report in `reports_issued`, found {ref!r}",
                    )
            if expectation.report in issued:
                set_on = issued[expectation.report][0]
                for name in ("due_on", "answered_on", "judged_on"):
                    day = getattr(expectation, name)
                    if day is not None and day < set_on:
                        names.problems.add(
                            (*at, name),
                            f"{day} is before the report that sets it was issued ({set_on})",
                        )
        for ref, paragraph, title in duplicates(
            (x.report, x.paragraph, x.title) for x in self.expectations
        ):
            names.problems.add(
                ("expectations",),
                f"more than one expectation of {ref!r} paragraph {paragraph} is titled {title!r}",
            )

    def _check_exit_judgements(self, names: _Names) -> None:
        for j, judgement in enumerate(self.exit_judgements):
            names.person(("exit_judgements", j, "judged_by"), judgement.judged_by)

    def _check_reporting_duties(self, names: _Names) -> None:
        for kind in duplicates(duty.report for duty in self.reporting_duties):
            names.problems.add(
                ("reporting_duties",), f"more than one duty is discharged by {kind!r}"
            )
        for d, duty in enumerate(self.reporting_duties):
            names.person(("reporting_duties", d, "responsible"), duty.responsible)
            if duty.direction and duty.direction not in names.recurring:
                names.problems.add(
                    ("reporting_duties", d, "direction"),
                    "expected `SET/REF` of a Direction with a recurring deadline",
                )


def _versioned_parts(part: object, at: Location) -> Iterator[tuple[Location, Versioned]]:
    """Every part of the file that has versions, with its location."""
    if isinstance(part, Versioned):
        yield at, part
    if isinstance(part, BaseModel):
        for name in type(part).model_fields:
            if name != "versions":
                yield from _versioned_parts(getattr(part, name), (*at, name))
    elif isinstance(part, list):
        for i, item in enumerate(part):
            yield from _versioned_parts(item, (*at, i))


class _Names:
    """What one file names, that its other parts may refer to, and the problems found in
    those references."""

    def __init__(self, data: InterventionFile) -> None:
        self.problems = Problems()
        self.people = {person.key for person in data.people}
        programmes = [programme for _, _, programme in data.plan.programmes()] if data.plan else []
        self.programme_numbers = {programme.number for programme in programmes}
        self.aims = {aim.number for aim in data.plan.aims} if data.plan else set()
        self.milestones = {
            ref for programme in programmes for ref in programme.milestone_references()
        }
        self.directions = {ref for ds in data.direction_sets for ref in ds.references()}
        # A duty names the Direction whose schedule it follows: a sub-item has none of its own.
        self.recurring = {
            ds.reference(direction)
            for ds in data.direction_sets
            for direction in ds.directions
            if direction.deadline.kind == "recurring"
        }
        self.meetings = {
            (board.key, meeting.date) for board in data.boards for meeting in board.meetings
        }

    def person(self, at: Location, key: str | None) -> None:
        if key is not None and key not in self.people:
            self.problems.add(at, f"expected the key of a person in `people`, found {key!r}")

    def programmes(self, at: Location, numbers: list[int]) -> None:
        for j, number in enumerate(numbers):
            if number not in self.programme_numbers:
                self.problems.add(
                    (*at, j), f"expected the number of a programme in the plan, found {number}"
                )

    def direction(self, at: Location, ref: str) -> None:
        if ref not in self.directions:
            self.problems.add(at, f"expected `SET/REF` of a Direction, found {ref!r}")


DeadlineIn.model_rebuild()
for _part in (
    MilestoneIn,
    ProgrammeIn,
    AimIn,
    PlanIn,
    MeetingIn,
    BoardIn,
    MeasureIn,
    RiskIn,
    ExpectationIn,
    ExitJudgementIn,
    InterventionFile,
):
    _part.model_rebuild()
