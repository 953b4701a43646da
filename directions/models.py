"""The Secretary of State's Directions to an authority, and the deadlines they set."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from simple_history.models import HistoricForeignKey

from directions import in_force
from directions.choices import (
    DIRECTION_STATUS_TAG_COLOURS,
    Compliance,
    DeadlineKind,
    DirectionStatus,
    ReportKind,
)
from interventions.choices import DatePrecision
from interventions.dates.fuzzy import add_months
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel
from interventions.models.intervention import as_precise


def _day(day: datetime.date) -> str:
    return f"{day.day} {day:%b %Y}"


def _state_label(
    window: in_force.Window,
    made_on: datetime.date,
    day: datetime.date,
    superseded_by: str,
) -> tuple[str, datetime.date | None]:
    """What a user reads of one row's own dates on `day`, and the first day it was no longer
    in force (None while it is, or when that day is not recorded)."""
    if window.status == DirectionStatus.PROPOSED or day < made_on:
        return "Not yet made", None
    changed = window.status_changed_on
    if window.status in in_force.ENDED and (changed is None or changed <= day):
        match window.status:
            case DirectionStatus.SUPERSEDED:
                by = f" by {superseded_by}" if superseded_by else ""
                words = f"Superseded{by}"
            case DirectionStatus.REVOKED:
                words = "Revoked"
            case _:
                words = "Expired"
        if changed is None:
            return f"{words} (date not recorded)", made_on
        if window.expires_on is None or window.expires_on >= changed:
            return f"{words} on {_day(changed)}", changed
    if window.expires_on is not None and day > window.expires_on:
        return (
            f"Expired at the end of {_day(window.expires_on)}",
            window.expires_on + datetime.timedelta(days=1),
        )
    if window.expires_on is not None:
        return f"In force (up to and including {_day(window.expires_on)})", None
    return "In force", None


class DirectionSetQuerySet(models.QuerySet["DirectionSet"]):
    def in_force_on(self, day: datetime.date) -> DirectionSetQuerySet:
        """The sets in force on `day` (`directions.in_force`)."""
        return self.filter(in_force.set_in_force(day))


class DirectionQuerySet(models.QuerySet["Direction"]):
    def for_intervention(self, intervention: object) -> DirectionQuerySet:
        return self.filter(direction_set__intervention=intervention)

    def in_force_on(self, day: datetime.date) -> DirectionQuerySet:
        """The Directions and sub-items in force on `day` (`directions.in_force`)."""
        return self.filter(in_force.direction_in_force(day))

    def with_compliance_recorded_on(self) -> DirectionQuerySet:
        """Each row annotated with `compliance_recorded_at`: the moment its history first
        recorded the compliance it has now (for "met" with no date: since when it was known).
        A subquery of the same query, so it adds no query per row."""
        history = Direction.history.model
        first = (
            history.objects.filter(id=OuterRef("pk"), compliance=OuterRef("compliance"))
            .order_by("history_date", "history_id")
            .values("history_date")[:1]
        )
        return self.annotate(compliance_recorded_at=Subquery(first))

    def top_level(self) -> DirectionQuerySet:
        return self.filter(parent__isnull=True)

    def for_list(self) -> DirectionQuerySet:
        # With what `state_on` reads: the sets and Directions that superseded them.
        return self.select_related(
            "direction_set",
            "direction_set__intervention",
            "direction_set__superseded_by",
            "parent",
            "parent__direction_set",
            "superseded_by__direction_set",
            "parent__superseded_by__direction_set",
        )


class DirectionSet(TimestampedModel):
    """One set of Directions made on one date; a later set may revoke or supersede it."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="direction_sets"
    )
    key = models.SlugField(max_length=80)
    title = models.CharField(max_length=300)
    made_on = models.DateField(help_text="The date of these Directions.")
    made_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    proposed_on = models.DateField(null=True, blank=True)
    representations_by = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=DirectionStatus.choices, default=DirectionStatus.IN_FORCE
    )
    status_changed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it was superseded, revoked or expired: from then on it is not in force.",
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    expires_on = models.DateField(
        null=True,
        blank=True,
        help_text="The last day it is in force (“up to and including”), if the Directions say.",
    )
    source = models.TextField(blank=True)
    history = History()

    objects = DirectionSetQuerySet.as_manager()

    class Meta:
        ordering = ["made_on"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "key"], name="direction_set_key_unique")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def made_on_text(self) -> str:
        """The date of these Directions, as precisely as it is known."""
        return as_precise(self.made_on, self.made_on_precision)

    @property
    def label(self) -> str:
        """How a list names the set beside a reference: its key and the date it was made."""
        return f"{self.key}, made {self.made_on_text}"

    def in_force_on(self, day: datetime.date) -> bool:
        """In force on `day` (`directions.in_force`, the rule the queryset uses too)."""
        return in_force.set_holds(self, day)

    def state_with_end(self, day: datetime.date) -> tuple[str, datetime.date | None]:
        later = self.superseded_by
        return _state_label(
            in_force.Window.of(self), self.made_on, day, later.title if later else ""
        )

    def state_on(self, day: datetime.date) -> str:
        """Where the set stood on `day`, in words: "Not yet made", "In force", "Superseded by
        Second Directions on 1 Mar 2026", "Revoked on …", "Expired at the end of …"."""
        return self.state_with_end(day)[0]


class Direction(TimestampedModel):
    """A duty the Directions place on the authority (a, b, …) or a sub-item of one (a.i, …).

    The deadline rule is stored as the Directions put it: relative to the date of the
    Directions, recurring (with an interval that can be varied later), event-driven,
    standing for the Direction period, or a fixed date.
    """

    direction_set = models.ForeignKey(
        DirectionSet, on_delete=models.CASCADE, related_name="directions"
    )
    parent = HistoricForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="items"
    )
    ref = models.CharField(max_length=10, help_text="Letter, or roman numeral of a sub-item.")
    position = models.PositiveSmallIntegerField()
    short_title = models.CharField(max_length=200, blank=True)
    text = models.TextField()
    themes = models.ManyToManyField("interventions.Theme", blank=True, related_name="directions")
    programmes = models.ManyToManyField(
        "interventions.Programme", blank=True, related_name="directions"
    )
    deadline_kind = models.CharField(
        max_length=20, choices=DeadlineKind.choices, default=DeadlineKind.STANDING
    )
    deadline_as_written = models.CharField(max_length=300, blank=True)
    offset_months = models.PositiveSmallIntegerField(null=True, blank=True)
    offset_days = models.PositiveSmallIntegerField(null=True, blank=True)
    interval_months = models.PositiveSmallIntegerField(null=True, blank=True)
    first_due = models.DateField(null=True, blank=True)
    due_on = models.DateField(null=True, blank=True)
    event = models.CharField(max_length=300, blank=True)
    first_due_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    first_due_source = models.TextField(
        blank=True,
        help_text="Who set the first due date, and the paper and paragraph that record it.",
    )
    compliance = models.CharField(
        max_length=20, choices=Compliance.choices, default=Compliance.NOT_ASSESSED
    )
    met_on = models.DateField(
        null=True, blank=True, help_text="The day the Direction was met, where it is known."
    )
    met_on_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    compliance_source = models.TextField(
        blank=True,
        help_text="Where the compliance is recorded: the paper and paragraph, e.g. "
        "“Envoys' first stocktake report, 21 May 2025, §1.9”.",
    )
    evidence = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DirectionStatus.choices, default=DirectionStatus.IN_FORCE
    )
    status_changed_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it was superseded, revoked or expired: from then on it is not in force.",
    )
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
    )
    expires_on = models.DateField(
        null=True, blank=True, help_text="The last day it is in force, if it ends before its set."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History(m2m_fields=[themes, programmes])

    objects = DirectionQuerySet.as_manager()

    class Meta:
        ordering = ["direction_set__made_on", "parent__position", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction_set", "ref"],
                condition=models.Q(parent__isnull=True),
                name="direction_ref_unique",
            ),
            models.UniqueConstraint(
                fields=["parent", "ref"],
                condition=models.Q(parent__isnull=False),
                name="direction_item_ref_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}. {self.short_title}" if self.short_title else self.reference

    @property
    def reference(self) -> str:
        """`e` for a Direction, `e.iv` for a sub-item."""
        return f"{self.parent.ref}.{self.ref}" if self.parent_id else self.ref

    def get_absolute_url(self) -> str:
        return address(
            "directions:direction_detail", slug=self.direction_set.intervention.slug, pk=self.pk
        )

    @property
    def met_on_text(self) -> str:
        return as_precise(self.met_on, self.met_on_precision) if self.met_on else ""

    @property
    def first_due_text(self) -> str:
        first = self.first_deadline()
        if first is None:
            return ""
        if self.parent_id or self.deadline_kind != DeadlineKind.RECURRING or not self.first_due:
            return _day(first)
        return as_precise(first, self.first_due_precision)

    def in_force_on(self, day: datetime.date) -> bool:
        """In force on `day`: its set is, and its own dates (a sub-item's: its Direction's) have
        not ended it (`directions.in_force`, the rule the queryset uses too)."""
        parent = self.parent if self.parent_id else None
        return in_force.direction_holds(self, parent, self.direction_set, day)

    def last_day_in_force(self) -> datetime.date | None:
        """The last day it is in force, by its set's dates and its own; None while open."""
        parent = self.parent if self.parent_id else None
        return in_force.direction_last_day(self, parent, self.direction_set)

    def state_colour(self, day: datetime.date) -> str:
        """The GOV.UK tag colour of `state_on(day)`."""
        if self.in_force_on(day):
            return "green"
        own = self.parent if self.parent_id else self
        ended = own if own.status in in_force.ENDED else self.direction_set
        return (
            DIRECTION_STATUS_TAG_COLOURS.get(DirectionStatus(ended.status), "grey")
            if day >= self.direction_set.made_on
            else "grey"
        )

    def state_on(self, day: datetime.date) -> str:
        """Where the Direction stood on `day`, in words (see `DirectionSet.state_on`): its own
        end or its set's, whichever came first."""
        own = self.parent if self.parent_id else self
        later = own.superseded_by
        by = f"Direction {later.reference} of {later.direction_set.title}" if later else ""
        set_state, set_end = self.direction_set.state_with_end(day)
        if set_state == "Not yet made":
            return set_state
        own_state, own_end = _state_label(
            in_force.Window.of(own), self.direction_set.made_on, day, by
        )
        if own_end is not None and (set_end is None or own_end <= set_end):
            return own_state
        if set_end is not None:
            return set_state
        # Neither has ended: the set may say how long it lasts.
        return set_state if own_state == "In force" else own_state

    def compliance_known_on(self) -> datetime.date | None:
        """The UK day its current compliance was first recorded, from the annotation
        `DirectionQuerySet.with_compliance_recorded_on` (None without it)."""
        moment = getattr(self, "compliance_recorded_at", None)
        return timezone.localdate(moment) if moment is not None else None

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """Compliance recorded as met takes effect on the day it was met, whenever that is
        entered (`interventions.models.valid_time`)."""
        if self.compliance != Compliance.MET or self.met_on is None:
            return None
        if previous is None or (previous.compliance, previous.met_on) != (
            Compliance.MET,
            self.met_on,
        ):
            return self.met_on
        return None

    def first_deadline(self) -> datetime.date | None:
        """The first date the duty falls due, where the rule gives one.

        A sub-item shares its Direction's deadline.
        """
        if self.parent_id:
            return self.parent.first_deadline()
        made_on = self.direction_set.made_on
        match self.deadline_kind:
            case DeadlineKind.RELATIVE:
                due = add_months(made_on, self.offset_months or 0)
                return due + datetime.timedelta(days=self.offset_days or 0)
            case DeadlineKind.RECURRING:
                return self.first_due or add_months(made_on, self.interval_months or 0)
            case DeadlineKind.FIXED:
                return self.due_on
        return None


class ReportingDuty(TimestampedModel):
    """A recurring duty to report, and the report that discharges each occurrence of it.

    Either it follows a recurring Direction (g: quarterly reports to the Board; j: six-monthly
    reports to the Secretary of State), whose schedule it takes, or it has a schedule of its
    own (the Envoys' stocktake to the Minister: after four months, then at intervals agreed).
    """

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="reporting_duties"
    )
    report_kind = models.CharField(
        max_length=20,
        choices=ReportKind.choices,
        help_text="The kind of issued report that discharges each occurrence.",
    )
    title = models.CharField(max_length=200)
    direction = models.ForeignKey(
        Direction,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="reporting_duties",
        help_text="The recurring Direction that sets the schedule, if one does.",
    )
    first_due_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Without a Direction: months after the Directions date."
    )
    interval_months = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="Without a Direction: months between occurrences; empty until agreed.",
    )
    as_written = models.CharField(max_length=300, blank=True)
    responsible = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reporting_duties",
    )
    history = History()

    class Meta:
        ordering = ["report_kind"]
        verbose_name_plural = "reporting duties"
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "report_kind"], name="reporting_duty_kind_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__isnull=False)
                | models.Q(first_due_months__isnull=False),
                name="reporting_duty_has_schedule",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class IntervalVariation(TimestampedModel):
    """A change to a recurring duty's interval from a date on ("or at such intervals as
    the Board may direct"): of a recurring Direction, or of a reporting duty of its own."""

    direction = models.ForeignKey(
        Direction, on_delete=models.CASCADE, null=True, blank=True, related_name="variations"
    )
    duty = models.ForeignKey(
        ReportingDuty, on_delete=models.CASCADE, null=True, blank=True, related_name="variations"
    )
    effective_from = models.DateField()
    interval_months = models.PositiveSmallIntegerField()
    directed_by = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    history = History()

    class Meta:
        ordering = ["effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["direction", "effective_from"], name="variation_date_unique"
            ),
            models.UniqueConstraint(
                fields=["duty", "effective_from"], name="duty_variation_date_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(direction__isnull=True, duty__isnull=False)
                | models.Q(direction__isnull=False, duty__isnull=True),
                name="variation_of_one_schedule",
            ),
        ]

    def __str__(self) -> str:
        every = "month" if self.interval_months == 1 else f"{self.interval_months} months"
        return f"Every {every} from {self.effective_from:%-d %b %Y}"
