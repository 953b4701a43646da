"""The Secretary of State's Directions to an authority, and the deadlines they set."""

from __future__ import annotations

import datetime

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricForeignKey

from directions.choices import Compliance, DeadlineKind, DirectionStatus, ReportKind
from interventions.choices import DatePrecision
from interventions.dates.fuzzy import add_months
from interventions.models.base import History, TimestampedModel
from interventions.models.intervention import as_precise


class DirectionSetQuerySet(models.QuerySet["DirectionSet"]):
    pass


class DirectionQuerySet(models.QuerySet["Direction"]):
    def for_intervention(self, intervention: object) -> DirectionQuerySet:
        return self.filter(direction_set__intervention=intervention)

    def top_level(self) -> DirectionQuerySet:
        return self.filter(parent__isnull=True)

    def for_list(self) -> DirectionQuerySet:
        return self.select_related(
            "direction_set", "direction_set__intervention", "parent", "parent__direction_set"
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
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
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
    compliance = models.CharField(
        max_length=20, choices=Compliance.choices, default=Compliance.NOT_ASSESSED
    )
    evidence = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=DirectionStatus.choices, default=DirectionStatus.IN_FORCE
    )
    status_changed_on = models.DateField(null=True, blank=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="supersedes"
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
        return reverse(
            "directions:direction_detail",
            kwargs={"slug": self.direction_set.intervention.slug, "pk": self.pk},
        )

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
        return f"Every {self.interval_months} months from {self.effective_from:%-d %b %Y}"
