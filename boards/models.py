"""Boards that oversee an intervention, their members and meetings, and recommendations."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricForeignKey

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
from interventions.choices import DatePrecision
from interventions.dates.fuzzy import add_months
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel
from interventions.models.evidence import evidence_storage
from interventions.models.intervention import as_precise

VERSION_HELP = "Raised by each saved edit; refuses stale edits."


class Board(TimestampedModel):
    """A board or committee with a part in the intervention (the main board, an Internal
    Assurance Board …). A board may sit under another: a Finance Recovery Board under an
    Improvement and Recovery Board (`parent`)."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="boards"
    )
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_boards",
        verbose_name="Sits under",
        help_text="The board this one reports to, for a sub-board.",
    )
    purpose = models.TextField(blank=True)
    cadence_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months between meetings."
    )
    cadence_review_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the cadence is to be reviewed, e.g. after the first six months.",
    )
    history = History()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "key"], name="board_key_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return address("boards:board_detail", slug=self.intervention.slug, key=self.key)

    def clean(self) -> None:
        """A sub-board sits under a board of the same intervention, and never under itself
        or one of its own sub-boards."""
        super().clean()
        parent = self.parent
        if parent is None:
            return
        if parent.intervention_id != self.intervention_id:
            raise ValidationError({"parent": "Choose a board of the same intervention."})
        seen = {self.pk} if self.pk else set()
        while parent is not None:
            if parent.pk in seen:
                raise ValidationError({"parent": "A board cannot sit under itself."})
            seen.add(parent.pk)
            parent = parent.parent

    def next_meeting_date(self, after: datetime.date | None = None) -> datetime.date | None:
        """The date the cadence gives for the meeting after the latest one (or after `after`):
        the same day of the month, `cadence_months` later. None without a cadence or a
        meeting to count from."""
        if not self.cadence_months:
            return None
        if after is None:
            latest = self.meetings.exclude(status=MeetingStatus.CANCELLED).order_by("-date")
            after = latest.values_list("date", flat=True).first()
        if after is None:
            return None
        return add_months(after, self.cadence_months)

    def cadence_due_for_review(self, on: datetime.date) -> bool:
        return self.cadence_review_on is not None and on >= self.cadence_review_on

    def composition(self, on: datetime.date) -> list[RequirementCheck]:
        """Each required seat, with the members who fill it on `on` and whether it is met."""
        current = [
            membership
            for membership in self.memberships.select_related("person", "theme")
            if membership.held_on(on)
        ]
        requirements = self.requirements.select_related("direction__parent", "theme")
        return [requirement.check_against(current) for requirement in requirements]


class BoardMembership(TimestampedModel):
    """A person's seat on a board for a dated period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "interventions.Person", on_delete=models.CASCADE, related_name="board_memberships"
    )
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    theme = models.ForeignKey(
        "interventions.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True, help_text="The role as written.")
    opposition = models.BooleanField(
        default=False,
        help_text="For a councillor: their group is in opposition to the administration.",
    )
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["board", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.get_role_display()}"

    def held_on(self, day: datetime.date) -> bool:
        return (self.starts_on is None or self.starts_on <= day) and (
            self.ends_on is None or self.ends_on >= day
        )


class BoardRequirement(TimestampedModel):
    """A seat the board must have, as the Directions require it: "The Mayor as Chair of the
    Board" (Direction a.iv), "At least two Opposition Councillors" (a.v).

    A membership fills it when its role matches and, where given, its theme, the person's post
    and being in opposition match too.
    """

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="requirements")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField(max_length=300, help_text="The requirement as written.")
    direction = models.ForeignKey(
        "directions.Direction",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_requirements",
        help_text="The Direction (or sub-item) that requires it.",
    )
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    theme = models.ForeignKey(
        "interventions.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    post = models.CharField(
        max_length=200, blank=True, help_text="The member's post must be this, e.g. Mayor."
    )
    opposition = models.BooleanField(default=False, help_text="Only opposition members count.")
    minimum = models.PositiveSmallIntegerField(default=1)
    history = History()

    class Meta:
        ordering = ["board", "position"]

    def __str__(self) -> str:
        return self.description

    def is_filled_by(self, membership: BoardMembership) -> bool:
        return (
            membership.role == self.role
            and (self.theme_id is None or membership.theme_id == self.theme_id)
            and (not self.post or membership.person.post.casefold() == self.post.casefold())
            and (not self.opposition or membership.opposition)
        )

    def check_against(self, memberships: list[BoardMembership]) -> RequirementCheck:
        filled_by = [membership for membership in memberships if self.is_filled_by(membership)]
        return RequirementCheck(self, filled_by)


@dataclass
class RequirementCheck:
    """Whether a required seat is filled, and by whom."""

    requirement: BoardRequirement
    filled_by: list[BoardMembership]

    @property
    def met(self) -> bool:
        return len(self.filled_by) >= self.requirement.minimum

    @property
    def shortfall(self) -> str:
        """What is missing, in words: "1 more needed (1 of 2)"."""
        have, need = len(self.filled_by), self.requirement.minimum
        if have >= need:
            return ""
        return f"{need - have} more needed ({have} of {need})" if need > 1 else "Nobody fills it"


class Meeting(TimestampedModel):
    """A meeting of a board."""

    board = HistoricForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    start_time = models.TimeField(null=True, blank=True, help_text="London time.")
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.FORMAL)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    published = models.BooleanField(default=False, help_text="Papers are published.")
    summary = models.TextField(blank=True)
    minutes = models.TextField(
        blank=True, help_text="Public once the Board approves them, never before."
    )
    decisions = models.TextField(blank=True, help_text="What the Board decided, one per line.")
    source = models.TextField(blank=True)
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)
    history = History()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="meeting_date_unique")
        ]

    def __str__(self) -> str:
        label = self.title or self.get_kind_display()
        return f"{self.board.name}, {self.date:%-d %B %Y}: {label}"

    def get_absolute_url(self) -> str:
        return address("boards:meeting_detail", slug=self.board.intervention.slug, pk=self.pk)

    @property
    def minutes_approved(self) -> bool:
        return self.status == MeetingStatus.MINUTES_APPROVED

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A meeting is held on its date, whenever that is recorded."""
        held = (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED)
        if self.status in held and (previous is None or previous.status not in held):
            return self.date
        return None

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record of a meeting as it stood on `day`: held only from its date."""
        if record.status in (MeetingStatus.HELD, MeetingStatus.MINUTES_APPROVED) and (
            record.date > day
        ):
            record.status = MeetingStatus.SCHEDULED
        return record

    def attendance_sheet(self) -> list[AttendanceLine]:
        """Everyone who sat on the board on the meeting's date, chair first, each with their
        recorded attendance or none; then anyone else recorded as attending (officers,
        advisers). Two queries."""
        words = self.board.intervention.words
        recorded = {
            row.person_id: row for row in self.attendance.select_related("person").order_by()
        }
        order = list(BoardRole.values)
        memberships = sorted(
            (
                membership
                for membership in self.board.memberships.select_related("person")
                if membership.held_on(self.date)
            ),
            key=lambda m: (order.index(m.role), m.person.name),
        )
        lines: list[AttendanceLine] = []
        seen: set[int] = set()
        for membership in memberships:
            if membership.person_id in seen:
                continue
            seen.add(membership.person_id)
            role = membership.title or words.role_label(
                membership.role, membership.get_role_display()
            )
            lines.append(
                AttendanceLine(membership.person, role, recorded.get(membership.person_id), True)
            )
        others = sorted(
            (row for person_id, row in recorded.items() if person_id not in seen),
            key=lambda row: row.person.name,
        )
        lines += [AttendanceLine(row.person, row.person.post, row, False) for row in others]
        return lines

    def previous(self) -> Meeting | None:
        """The board's meeting before this one (cancelled ones aside)."""
        earlier = Meeting.objects.filter(board_id=self.board_id, date__lt=self.date)
        return earlier.exclude(status=MeetingStatus.CANCELLED).order_by("-date").first()


@dataclass
class AttendanceLine:
    """A line of a meeting's attendance: who, in what role, their recorded attendance (None:
    not recorded), and whether they were a member of the board on the day."""

    person: Any
    role: str
    attendance: Attendance | None
    member: bool


class AgendaItem(TimestampedModel):
    """An item on a meeting's agenda, who presents it, and what in the plan it is about."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    position = models.PositiveSmallIntegerField(default=1)
    title = models.CharField(max_length=300)
    presenter = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    notes = models.TextField(blank=True)
    programmes = models.ManyToManyField(
        "interventions.Programme", blank=True, related_name="agenda_items"
    )
    directions = models.ManyToManyField(
        "directions.Direction", blank=True, related_name="agenda_items"
    )
    history = History(m2m_fields=[programmes, directions])

    class Meta:
        ordering = ["meeting", "position", "pk"]

    def __str__(self) -> str:
        return f"{self.position}. {self.title}"


def paper_path(instance: Paper, filename: str) -> str:
    # Never the uploaded name: no path tricks, no clashes, nothing to guess from it.
    return f"papers/{instance.meeting.board.intervention_id}/{instance.uuid}"


class Paper(TimestampedModel):
    """A paper for a meeting: public, or exempt from publication with the reason why.

    Stored outside the web root like evidence and served only by views that check who may
    have it: exempt papers never reach the public pages.
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="papers")
    agenda_item = models.ForeignKey(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="papers"
    )
    uuid = models.UUIDField(unique=True, editable=False)
    title = models.CharField(max_length=200)
    file = models.FileField(storage=evidence_storage, upload_to=paper_path)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    exempt = models.BooleanField(default=False, help_text="Exempt from publication.")
    exemption_reason = models.TextField(
        blank=True,
        help_text="Why it is exempt, e.g. the paragraph of Schedule 12A that applies.",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["meeting", "agenda_item__position", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(exempt=False) | ~models.Q(exemption_reason=""),
                name="exempt_paper_has_a_reason",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(TimestampedModel):
    """Whether a person attended a meeting, sent apologies, was absent, or sent someone in
    their place (a substitute, named as the minutes name them: they need not be a person of
    the intervention)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    person = models.ForeignKey("interventions.Person", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=20, choices=AttendanceStatus.choices)
    note = models.CharField(max_length=200, blank=True, help_text="E.g. attending for item 3.")
    substitute_name = models.CharField(
        max_length=200, blank=True, help_text="Who attended in their place."
    )
    substitute_role = models.CharField(
        max_length=200, blank=True, help_text="The substitute's role, e.g. Deputy Mayor."
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)
    history = History()

    class Meta:
        ordering = ["meeting", "status", "person__name"]
        verbose_name_plural = "attendance"
        constraints = [
            models.UniqueConstraint(fields=["meeting", "person"], name="attendance_once"),
            models.CheckConstraint(
                condition=~models.Q(status=AttendanceStatus.SUBSTITUTE)
                | ~models.Q(substitute_name=""),
                name="attendance_substitute_is_named",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.status_text}"

    @property
    def status_text(self) -> str:
        """Their attendance in words: "Sent a substitute: Jo Bloggs (Deputy Mayor)"."""
        if self.status != AttendanceStatus.SUBSTITUTE:
            return self.get_status_display()
        role = f" ({self.substitute_role})" if self.substitute_role else ""
        return f"{self.get_status_display()}: {self.substitute_name}{role}"


class ActionQuerySet(models.QuerySet["Action"]):
    def carried_to(self, meeting: Meeting) -> ActionQuerySet:
        """The board's actions from earlier meetings still open, which the meeting reviews."""
        return self.filter(
            meeting__board_id=meeting.board_id,
            meeting__date__lt=meeting.date,
            status=ActionStatus.OPEN,
        )


class Action(TimestampedModel):
    """An item of a board's action log: agreed at a meeting, owned, due, and carried to each
    following meeting until it is done or dropped."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField()
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_actions",
    )
    due_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)
    history = History()

    objects = ActionQuerySet.as_manager()

    class Meta:
        ordering = ["meeting__date", "pk"]

    def __str__(self) -> str:
        return self.text[:80]


def response_overdue(on: datetime.date) -> models.Q:
    """Unanswered once the response was due: the Directions ask for a prompt answer."""
    return models.Q(responded_on__isnull=True, response_due__lt=on)


class RecommendationQuerySet(models.QuerySet["Recommendation"]):
    def overdue(self, on: datetime.date) -> RecommendationQuerySet:
        return self.filter(response_overdue(on))

    def with_published_response(self) -> RecommendationQuerySet:
        return self.filter(published_on__isnull=False).exclude(response="")


class Recommendation(TimestampedModel):
    """A recommendation to the council, from any source, and the council's response."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="recommendations"
    )
    reference = models.CharField(max_length=40)
    source = models.CharField(max_length=30, choices=RecommendationSource.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    source_document = models.TextField(blank=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    made_on = models.DateField()
    made_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text='How much of the date the source gives ("February 2025" is a month).',
    )
    response_due = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_recommendations",
    )
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    directions = models.ManyToManyField(
        "directions.Direction", blank=True, related_name="recommendations"
    )
    programmes = models.ManyToManyField(
        "interventions.Programme", blank=True, related_name="recommendations"
    )
    milestones = models.ManyToManyField(
        "interventions.Milestone",
        blank=True,
        related_name="recommendations",
        verbose_name="key activities",
    )
    version = models.PositiveIntegerField(default=1, editable=False, help_text=VERSION_HELP)
    history = History(m2m_fields=[directions, programmes, milestones])

    objects = RecommendationQuerySet.as_manager()

    class Meta:
        ordering = ["made_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "reference"], name="recommendation_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True)
                | models.Q(responded_on__isnull=False),
                name="recommendation_published_only_when_responded",
            ),
        ]

    # Replaces Django's own, so that every page, table and export names the source as the
    # intervention's model does.
    def get_source_display(self) -> str:  # type: ignore[no-redef]
        """The source as the intervention's model names it (`interventions.vocabulary`)."""
        label = str(dict(RecommendationSource.choices).get(self.source, self.source))
        return self.intervention.words.source_label(self.source, label)

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return address("boards:recommendation_detail", slug=self.intervention.slug, pk=self.pk)

    @property
    def made_on_text(self) -> str:
        """The day it was made, as precisely as the source gives it ("February 2025")."""
        return as_precise(self.made_on, self.made_on_precision)

    def is_overdue(self, on: datetime.date) -> bool:
        """A response is overdue when its due date has passed and none is recorded."""
        return (
            self.responded_on is None and self.response_due is not None and self.response_due < on
        )

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A recommendation is true from the day it was made, a response from the day it was
        made, a publication from the day it was published, whenever each is recorded. A
        correction of the day it was made counts from the corrected day."""
        days = []
        if previous is None or previous.made_on != self.made_on:
            days.append(self.made_on)
        if self.responded_on and (previous is None or previous.responded_on != self.responded_on):
            days.append(self.responded_on)
        if self.published_on and (previous is None or previous.published_on != self.published_on):
            days.append(self.published_on)
        return min(days, default=None)

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record of a recommendation as it stood on `day`: answered only from the
        day the response was made, published only from the day it was published."""
        if record.published_on and record.published_on > day:
            record.published_on = None
        if record.responded_on and record.responded_on > day:
            record.responded_on = None
            record.response = ""
            record.status = RecommendationStatus.OPEN
        return record

    @property
    def response_published(self) -> bool:
        return self.published_on is not None

    def record_response(
        self, *, response: str, status: str, responded_on: datetime.date, version: int
    ) -> None:
        """Record (or correct) the council's response. It stays unpublished until
        `publish_response`; correcting a published response unpublishes it, so that nothing
        the public has not been shown as published is presented as such."""
        from interventions.kit.saving import save_versioned

        self.response = response
        self.status = status
        self.responded_on = responded_on
        self.published_on = None
        save_versioned(self, version, reason="Council's response recorded")

    def publish_response(self, *, on: datetime.date, version: int) -> None:
        """Publish the recorded response: from now on the public pages show it."""
        from interventions.kit.saving import save_versioned

        if not self.response.strip() or self.responded_on is None:
            raise ValueError("Record the council's response before publishing it.")
        if on < self.responded_on:
            raise ValueError("A response cannot be published before it was made.")
        self.published_on = on
        save_versioned(self, version, reason="Council's response published")
