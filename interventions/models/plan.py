"""The Continuous Improvement Plan: aims, priority programmes and their milestones."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricForeignKey

from interventions import schedule
from interventions.choices import RAG, Phase, WorkStatus
from interventions.dates.fuzzy import parse_period
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel
from interventions.querysets import MilestoneQuerySet, ProgrammeQuerySet, StrategicAimQuerySet


class Plan(TimestampedModel):
    """The council's improvement plan for an intervention (one per intervention)."""

    intervention = models.OneToOneField(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="plan"
    )
    title = models.CharField(max_length=200)
    mission = models.TextField(blank=True)
    agreed_on = models.DateField(null=True, blank=True, help_text="Date the Board agreed it.")
    source = models.TextField(blank=True)
    history = History()

    def __str__(self) -> str:
        return self.title


class DatedState(models.Model):
    """The days an aim or programme was part of the plan: it opened on `opened_on` (empty: from
    the start of the plan) and was part of it up to the day before `closed_on` (empty: still
    open). Fields of the row, so that each history record says how it stood then."""

    opened_on = models.DateField(
        null=True, blank=True, help_text="The day it became part of the plan, if after the start."
    )
    closed_on = models.DateField(
        null=True, blank=True, help_text="The day it stopped being part of the plan."
    )
    close_reason = models.TextField(blank=True, help_text="Why it was closed.")

    class Meta:
        abstract = True

    def is_open_on(self, day: datetime.date) -> bool:
        """Part of the plan on `day`: opened by then and not closed on or before it."""
        opened = self.opened_on is None or self.opened_on <= day
        return opened and (self.closed_on is None or self.closed_on > day)


class StrategicAim(DatedState, TimestampedModel):
    """One of the plan's strategic aims; programmes deliver it."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="aims"
    )
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    outcomes = models.TextField(blank=True)
    history = History()

    objects = StrategicAimQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "number"], name="aim_number_unique")
        ]

    def __str__(self) -> str:
        return f"Aim {self.number}: {self.title}"


class Programme(DatedState, TimestampedModel):
    """A priority programme of the plan, with its Senior Sponsor, SRO and lead member.

    A programme merged into another closes on the day of the merge, naming the programme
    that carries its work on (`merged_into`)."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="programmes"
    )
    aim = HistoricForeignKey(StrategicAim, on_delete=models.PROTECT, related_name="programmes")
    number = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    purpose = models.TextField(blank=True)
    required_by_directions = models.BooleanField(default=False)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.DISCOVERY)
    status = models.CharField(
        max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    rag = models.CharField("RAG", max_length=20, choices=RAG.choices, default=RAG.NOT_STARTED)
    sponsor = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsored_programmes",
        verbose_name="Senior Sponsor",
    )
    sro = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sro_programmes",
        verbose_name="Senior Responsible Officer",
    )
    lead_member = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="lead_member_programmes",
    )
    co_sponsors = models.ManyToManyField(
        "interventions.Person",
        blank=True,
        related_name="co_sponsored_programmes",
        verbose_name="further Senior Sponsors",
        help_text="Where the plan names more than one Senior Sponsor.",
    )
    themes = models.ManyToManyField("interventions.Theme", blank=True, related_name="programmes")
    not_in_source = models.JSONField(
        default=list,
        blank=True,
        help_text="Fields whose values the improvement team entered because the plan does not "
        'state them (e.g. ["rag", "themes"]): pages say so beside them.',
    )
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="merged_from",
        help_text="The programme it was merged into, when it closed by a merge.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History(m2m_fields=[themes, co_sponsors])

    objects = ProgrammeQuerySet.as_manager()

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "number"], name="programme_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    def get_absolute_url(self) -> str:
        return address(
            "interventions:programme_detail", slug=self.intervention.slug, number=self.number
        )

    @property
    def not_in_source_labels(self) -> list[str]:
        """What the improvement team entered because the plan does not state it, by name."""
        labels = {
            "phase": "phase",
            "status": "status",
            "rag": "RAG",
            "themes": "Best Value themes",
            "required_by_directions": "whether the Directions require it",
            "sponsor": "Senior Sponsor",
            "sro": "Senior Responsible Officer",
            "lead_member": "lead member",
        }
        return [labels.get(name, name) for name in self.not_in_source]

    def dated_states(self) -> list[str]:
        """Its dates in the plan as sentences: "Opened on 3 March 2025.", "Merged into
        programme 2 on 1 November 2025: <reason>"."""
        states = []
        if self.opened_on is not None:
            states.append(f"Opened on {long_date(self.opened_on)}.")
        if self.closed_on is not None:
            reason = f": {self.close_reason}" if self.close_reason else "."
            if self.merged_into is not None:
                states.append(
                    f"Merged into programme {self.merged_into.number} "
                    f"on {long_date(self.closed_on)}{reason}"
                )
            else:
                states.append(f"Closed on {long_date(self.closed_on)}{reason}")
        return states


def long_date(day: datetime.date) -> str:
    """1 November 2025."""
    return f"{day.day} {day:%B %Y}"


class Milestone(TimestampedModel):
    """A key activity of a programme, with its dates as the plan wrote them and as computed.

    `start_as_written`/`end_as_written` keep the plan's words ("Jan 2025", "Ongoing", "TBC");
    `planned_start`/`planned_end` are the first and last day those words can mean, or empty
    when they name no date. The baseline end is the agreed end, moved only by change control;
    the original baseline end is the first end agreed, which change control never moves, so
    that a slip stays visible after it is approved (`interventions.schedule`).
    """

    programme = HistoricForeignKey(Programme, on_delete=models.CASCADE, related_name="milestones")
    position = models.PositiveSmallIntegerField(help_text="Order within the programme.")
    number = models.CharField(max_length=20, blank=True, help_text="As written, e.g. 2.1.")
    title = models.TextField()
    steps = models.TextField(blank=True, help_text="Sub-steps as written, one per line.")
    start_as_written = models.CharField(max_length=60, blank=True)
    end_as_written = models.CharField(max_length=60, blank=True)
    planned_start = models.DateField(null=True, blank=True, editable=False)
    planned_end = models.DateField(null=True, blank=True, editable=False)
    baseline_end = models.DateField(
        null=True, blank=True, help_text="The end last agreed: moved only by change control."
    )
    original_baseline_end = models.DateField(
        null=True,
        blank=True,
        help_text="The first end agreed (the original baseline); never moved by change control.",
    )
    forecast_start = models.DateField(null=True, blank=True)
    forecast_end = models.DateField(null=True, blank=True)
    actual_end = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=WorkStatus.choices, default=WorkStatus.NOT_STARTED
    )
    rag = models.CharField("RAG", max_length=20, choices=RAG.choices, default=RAG.NOT_STARTED)
    percent_complete = models.PositiveSmallIntegerField(
        default=0, validators=[MaxValueValidator(100)]
    )
    commentary = models.TextField(blank=True, help_text="Progress in the current period.")
    next_steps = models.TextField(blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    objects = MilestoneQuerySet.as_manager()

    class Meta:
        ordering = ["programme__number", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="milestone_position_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(percent_complete__lte=100), name="milestone_percent_at_most_100"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip() if self.number else self.title

    def get_absolute_url(self) -> str:
        return address(
            "interventions:milestone_detail", slug=self.programme.intervention.slug, pk=self.pk
        )

    @property
    def label(self) -> str:
        """How to name it in a list: its number, or its place in the programme."""
        return self.number or f"{self.programme.number}.({self.position})"

    def compute_dates(self) -> None:
        """Set the computed range from the dates as written; default the baseline to it."""
        start = parse_period(self.start_as_written)
        end = parse_period(self.end_as_written)
        self.planned_start = start.start if start else None
        self.planned_end = end.end if end else None

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.compute_dates()
        if self._state.adding and self.baseline_end is None:
            # Until change control moves it, the agreed end is the end the plan wrote.
            self.baseline_end = self.planned_end
        if self.original_baseline_end is None:
            # The first end agreed stays the yardstick, however often it is re-baselined.
            self.original_baseline_end = self.baseline_end
        super().save(*args, **kwargs)

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """Finishing a milestone takes effect on its actual end, whenever it is entered."""
        finished = (WorkStatus.COMPLETE, WorkStatus.CANCELLED)
        if self.status in finished and (previous is None or previous.status != self.status):
            return self.actual_end
        return None

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record of a milestone as it stood on `day`: finished (completed or
        closed) only from its actual end, however early the finish was entered."""
        finished = (WorkStatus.COMPLETE, WorkStatus.CANCELLED)
        if record.status in finished and record.actual_end and record.actual_end > day:
            start = record.forecast_start or record.planned_start
            started = start is not None and start <= day
            record.status = WorkStatus.IN_PROGRESS if started else WorkStatus.NOT_STARTED
            record.actual_end = None
        return record

    def is_overdue(self, on: datetime.date) -> bool:
        """Past its forecast (else baseline) end and neither complete nor cancelled."""
        return schedule.is_overdue(self, on)
