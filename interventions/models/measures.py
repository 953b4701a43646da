"""Success measures: what good looks like, and the readings that show whether it is coming.

A measure belongs to an aim, a programme or a Best Value theme of one intervention. It says
what is measured and why, in which unit, from which baseline to which target (each with its
date), which way is better, where the figures come from, who owns it and how often it is
reported. Its owner enters a reading each period.

A measure is proposed until both the oversight (the Envoys, the Commissioners …, as the
intervention's model names them) and the Board have agreed it: then it is agreed, from the
later of the two dates.

Where a measure stands on a day (`standing_on`) is one rule, documented in the README
("Success measures"): the latest reading on or before the day is compared with the straight
line from the baseline to the target (the trajectory) at the reading's own date.

- Green: the reading is on or ahead of the trajectory.
- Amber: behind it by no more than a tenth of the planned change (|target − baseline|).
- Red: further behind than that (or, where the target is to hold the baseline, behind at all).
- No reading: nothing was read on or before the day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models import Max, Q

from interventions.choices import (
    MeasureAgreement,
    MeasureDirection,
    MeasureFrequency,
    MeasureStanding,
)
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

    from interventions.models.people import Person

# Behind the trajectory by up to this share of the planned change is amber, beyond it red.
AMBER_TOLERANCE = 0.1

# The first month of each period, by frequency (periods run with the financial year).
PERIOD_START_MONTHS: dict[str, tuple[int, ...]] = {
    MeasureFrequency.MONTHLY: tuple(range(1, 13)),
    MeasureFrequency.QUARTERLY: (1, 4, 7, 10),
    MeasureFrequency.SIX_MONTHLY: (4, 10),
    MeasureFrequency.ANNUALLY: (4,),
}


def period_start(frequency: str, on: datetime.date) -> datetime.date:
    """The first day of the reporting period of `frequency` that `on` falls in."""
    months = PERIOD_START_MONTHS[frequency]
    year, month = on.year, on.month
    while month not in months:
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return datetime.date(year, month, 1)


def format_figure(value: float | None, unit: str = "", places: int = 4) -> str:
    """A figure as a person writes it: 87.5%, 1,204 cases, 3 days; a computed figure (a
    trajectory, a gap) to one decimal place (`places=1`)."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    if text == "-0":
        text = "0"
    if not unit:
        return text
    return f"{text}{unit}" if unit in {"%", "pp"} else f"{text} {unit}"


class MeasureQuerySet(models.QuerySet["Measure"]):
    def for_list(self) -> MeasureQuerySet:
        return self.select_related(
            "intervention", "aim", "programme", "theme", "owner", "oversight_agreed_by"
        )

    def due_reading(
        self,
        on: datetime.date,
        *,
        person: Person | None = None,
        user: AbstractBaseUser | AnonymousUser | None = None,
    ) -> MeasureQuerySet:
        """Measures without a reading in the reporting period that `on` falls in (by each
        measure's own frequency), that were proposed by then; of `person`'s, or of the
        measures owned by `user`'s person records, when given. For My work."""
        measures = self.filter(proposed_on__lte=on)
        if person is not None:
            measures = measures.filter(owner=person)
        if user is not None:
            if not user.is_authenticated:
                return measures.none()
            measures = measures.filter(owner__user=user)
        missing = Q(last_reading_on__isnull=True)
        for frequency in MeasureFrequency:
            start = period_start(frequency, on)
            missing |= Q(frequency=frequency, last_reading_on__lt=start)
        annotated = measures.annotate(
            last_reading_on=Max("readings__taken_on", filter=Q(readings__taken_on__lte=on))
        )
        return annotated.filter(missing)


@dataclass(frozen=True)
class Standing:
    """Where a measure stands against its target on a day: its RAG (`MeasureStanding`), the
    reading it is judged on, the trajectory's value at that reading's date and the gap to the
    target (positive: still to go; zero or less: target met)."""

    rag: str
    reading: Any = None
    expected: float | None = None
    gap: float | None = None

    @property
    def label(self) -> str:
        return str(MeasureStanding(self.rag).label)


class Measure(TimestampedModel):
    """A success measure of the improvement plan: "what good looks like" for an aim, a
    programme or a Best Value theme, with its baseline, target and readings."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="measures"
    )
    title = models.CharField("What is measured", max_length=300)
    rationale = models.TextField(
        "Why it is measured", blank=True, help_text="What it shows about the improvement."
    )
    unit = models.CharField(
        max_length=40,
        help_text='What the figures count, e.g. "%", "days", "complaints".',
    )
    aim = models.ForeignKey(
        "interventions.StrategicAim",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="strategic aim",
    )
    programme = models.ForeignKey(
        "interventions.Programme",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="measures",
    )
    theme = models.ForeignKey(
        "interventions.Theme",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="measures",
        verbose_name="Best Value theme",
    )
    baseline_value = models.FloatField("baseline")
    baseline_on = models.DateField("baseline date", help_text="The day the baseline is for.")
    target_value = models.FloatField("target")
    target_on = models.DateField("target date", help_text="The day the target is to be met by.")
    direction = models.CharField(
        "direction of good", max_length=10, choices=MeasureDirection.choices
    )
    source = models.TextField(
        blank=True, help_text="Where the figures come from: the system, survey or report."
    )
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_measures",
        help_text="Enters the readings.",
    )
    frequency = models.CharField(
        "how often it is reported",
        max_length=20,
        choices=MeasureFrequency.choices,
        default=MeasureFrequency.QUARTERLY,
    )
    proposed_on = models.DateField(help_text="The day it was proposed.")
    oversight_agreed_on = models.DateField(null=True, blank=True)
    oversight_agreed_by = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="measures_agreed",
    )
    board_agreed_on = models.DateField(null=True, blank=True)
    board_agreed_at = models.CharField(
        max_length=300,
        blank=True,
        help_text="Where the Board agreed it: the meeting and item or minute.",
    )
    agreement = models.CharField(
        max_length=20,
        choices=MeasureAgreement.choices,
        default=MeasureAgreement.PROPOSED,
        editable=False,
        help_text="Agreed once both the oversight and the Board have agreed it.",
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    objects = MeasureQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(target_on__gt=models.F("baseline_on")),
                name="measure_target_after_baseline",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("interventions:measure_detail", slug=self.intervention.slug, pk=self.pk)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.agreement = agreement_of(self)
        super().save(*args, **kwargs)

    @property
    def agreed_on(self) -> datetime.date | None:
        """The day it became agreed: the later of the oversight's and the Board's."""
        return agreed_on(self)

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A measure exists from the day it was proposed, and an agreement counts from its
        own date, whenever either was entered (`as_it_stood` hides each agreement before
        its date)."""
        if previous is None:
            return self.proposed_on
        agreed = [
            day
            for day, before in (
                (self.oversight_agreed_on, previous.oversight_agreed_on),
                (self.board_agreed_on, previous.board_agreed_on),
            )
            if day is not None and day != before
        ]
        return min(agreed, default=None)

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record of a measure as it stood on `day`: agreed only from the day both
        agreed it, and each agreement only from its own date."""
        if record.oversight_agreed_on and record.oversight_agreed_on > day:
            record.oversight_agreed_on = None
            record.oversight_agreed_by_id = None
        if record.board_agreed_on and record.board_agreed_on > day:
            record.board_agreed_on = None
            record.board_agreed_at = ""
        record.agreement = agreement_of(record)
        return record

    def trajectory(self, day: datetime.date) -> float:
        return trajectory(self, day)

    def standing_on(self, day: datetime.date, readings: list[Any]) -> Standing:
        """Its RAG against target on `day`, judged from `readings` (any order)."""
        return standing_on(self, day, readings)

    def figure(self, value: float | None, places: int = 4) -> str:
        return format_figure(value, self.unit, places)

    @property
    def baseline_figure(self) -> str:
        return self.figure(self.baseline_value)

    @property
    def target_figure(self) -> str:
        return self.figure(self.target_value)


def agreement_of(measure: Any) -> str:
    """Agreed once both the oversight and the Board have agreed it; else proposed."""
    if measure.oversight_agreed_on and measure.board_agreed_on:
        return MeasureAgreement.AGREED
    return MeasureAgreement.PROPOSED


def agreed_on(measure: Any) -> datetime.date | None:
    if measure.oversight_agreed_on and measure.board_agreed_on:
        return max(measure.oversight_agreed_on, measure.board_agreed_on)
    return None


def trajectory(measure: Any, day: datetime.date) -> float:
    """The value the straight line from baseline to target gives on `day`: the baseline
    before the baseline date, the target from the target date on. Works on a row or a
    history record."""
    if day <= measure.baseline_on:
        return float(measure.baseline_value)
    if day >= measure.target_on:
        return float(measure.target_value)
    span = (measure.target_on - measure.baseline_on).days
    done = (day - measure.baseline_on).days / span
    return float(measure.baseline_value + (measure.target_value - measure.baseline_value) * done)


def standing_on(measure: Any, day: datetime.date, readings: list[Any]) -> Standing:
    """The one rule for a measure's RAG against target on `day` (see the module's text);
    `measure` may be a row or a history record, `readings` rows or records of its readings."""
    taken = [r for r in readings if r.taken_on <= day]
    if not taken:
        return Standing(MeasureStanding.NO_READING)
    latest = max(taken, key=lambda r: r.taken_on)
    expected = trajectory(measure, latest.taken_on)
    higher = measure.direction == MeasureDirection.HIGHER
    value = float(latest.value)
    shortfall = (expected - value) if higher else (value - expected)
    target = float(measure.target_value)
    gap = (target - value) if higher else (value - target)
    planned = abs(target - float(measure.baseline_value))
    if shortfall <= 1e-9:
        rag = MeasureStanding.ON_TRACK
    elif planned > 0 and shortfall <= AMBER_TOLERANCE * planned + 1e-9:
        rag = MeasureStanding.SLIGHTLY_BEHIND
    else:
        rag = MeasureStanding.OFF_TRACK
    return Standing(rag, latest, expected, gap)


class MeasureReading(TimestampedModel):
    """One reading of a success measure: its value on a day, entered by the measure's owner,
    with commentary and a link to the evidence. It counts from its own day, whenever it was
    entered."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, related_name="readings")
    taken_on = models.DateField("date", help_text="The day the figure is for.")
    value = models.FloatField()
    commentary = models.TextField(blank=True, help_text="What the figure shows, and why.")
    evidence_url = models.URLField(
        "evidence link", max_length=500, blank=True, help_text="Where the figure can be checked."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    class Meta:
        ordering = ["measure", "taken_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "taken_on"], name="measure_reading_day_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.measure}: {self.measure.figure(self.value)} on {self.taken_on:%-d %b %Y}"

    @property
    def figure(self) -> str:
        return self.measure.figure(self.value)

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A reading, and any correction of it, counts from its own day."""
        return self.taken_on
