"""Risks, issues and dependencies: the plan's RAID log, per programme and plan-wide.

A risk belongs to one intervention and, optionally, to one programme (none: a risk to the
plan as a whole). Its kind says what it is:

- a risk: something that may happen and would harm delivery;
- an issue: something that has happened and is harming delivery now;
- a dependency: something delivery relies on, from another programme of the plan
  (`depends_on_programme`) or from a body outside the council (`depends_on_body`).

Each is scored on the 5×5 scale councils use: likelihood (1 rare … 5 almost certain) times
impact (1 negligible … 5 severe), once before any mitigation (inherent) and once with the
mitigations in place (residual). The score is the residual likelihood × impact; its RAG band
is one rule (`band_for`):

- Green (low): 1 to 4.
- Amber (medium): 5 to 12.
- Red (high): 15 to 25.

(No product of two whole numbers from 1 to 5 falls between 12 and 15.)

A risk counts from the day it was raised; a review (new residual scores and the next review
date) and its closing count from their own days, whenever they were entered, so the log as
of an earlier day shows what it said then (`as_it_stood`).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel


class RiskKind(models.TextChoices):
    RISK = "risk", "Risk"
    ISSUE = "issue", "Issue"
    DEPENDENCY = "dependency", "Dependency"


class RiskStatus(models.TextChoices):
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class RiskBand(models.TextChoices):
    """The RAG band of a score (`band_for`)."""

    RED = "red", "Red (high, 15 to 25)"
    AMBER = "amber", "Amber (medium, 5 to 12)"
    GREEN = "green", "Green (low, 1 to 4)"


RISK_BAND_TAG_COLOURS: dict[str, str] = {
    RiskBand.RED: "red",
    RiskBand.AMBER: "orange",
    RiskBand.GREEN: "green",
}

RISK_STATUS_TAG_COLOURS: dict[str, str] = {RiskStatus.OPEN: "blue", RiskStatus.CLOSED: "grey"}

LIKELIHOOD_LABELS = {
    1: "1 Rare",
    2: "2 Unlikely",
    3: "3 Possible",
    4: "4 Likely",
    5: "5 Almost certain",
}
IMPACT_LABELS = {
    1: "1 Negligible",
    2: "2 Minor",
    3: "3 Moderate",
    4: "4 Major",
    5: "5 Severe",
}
SCALE = range(1, 6)
LIKELIHOOD_CHOICES = list(LIKELIHOOD_LABELS.items())
IMPACT_CHOICES = list(IMPACT_LABELS.items())

# The lowest score of each band, highest band first.
RED_FROM = 15
AMBER_FROM = 5


def band_for(score: int) -> str:
    """The RAG band of a score on the 5×5 scale (see the module's text)."""
    if score >= RED_FROM:
        return RiskBand.RED
    if score >= AMBER_FROM:
        return RiskBand.AMBER
    return RiskBand.GREEN


def band_label(band: str) -> str:
    return str(RiskBand(band).label)


def _scale_field(verbose_name: str, choices: list[tuple[int, str]]) -> models.Field[Any, Any]:
    return models.PositiveSmallIntegerField(
        verbose_name,
        choices=choices,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


class RiskQuerySet(models.QuerySet["Risk"]):
    def for_list(self) -> RiskQuerySet:
        return self.select_related("intervention", "programme", "owner", "depends_on_programme")

    def open(self) -> RiskQuerySet:
        return self.filter(status=RiskStatus.OPEN)

    def review_overdue(self, on: datetime.date) -> RiskQuerySet:
        """Open risks whose next review date has passed by `on`."""
        return self.open().filter(review_on__lt=on)

    def top(self) -> RiskQuerySet:
        """Highest residual score first, then highest impact, then the oldest."""
        return self.order_by("-score", "-residual_impact", "raised_on", "pk")


class Risk(TimestampedModel):
    """One entry of the RAID log: a risk, an issue or a dependency."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="risks"
    )
    reference = models.CharField(
        max_length=20,
        help_text='How the log refers to it, e.g. "R1". Left empty, the next number is given.',
        blank=True,
    )
    kind = models.CharField(max_length=20, choices=RiskKind.choices, default=RiskKind.RISK)
    title = models.CharField(max_length=300, help_text="The risk in a line.")
    description = models.TextField(blank=True)
    cause = models.TextField(blank=True, help_text="What could bring it about.")
    effect = models.TextField(blank=True, help_text="What would follow for the plan.")
    programme = models.ForeignKey(
        "interventions.Programme",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="risks",
        help_text="Leave empty for a risk to the plan as a whole.",
    )
    depends_on_programme = models.ForeignKey(
        "interventions.Programme",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="depended_on_by",
        verbose_name="depends on programme",
        help_text="For a dependency on another programme of the plan.",
    )
    depends_on_body = models.CharField(
        "depends on a body outside the council",
        max_length=300,
        blank=True,
        help_text="For a dependency on a body outside the council, e.g. a government department.",
    )
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_risks",
        help_text="Reviews it and keeps its mitigations moving.",
    )
    inherent_likelihood = _scale_field("inherent likelihood", LIKELIHOOD_CHOICES)
    inherent_impact = _scale_field("inherent impact", IMPACT_CHOICES)
    residual_likelihood = _scale_field("residual likelihood", LIKELIHOOD_CHOICES)
    residual_impact = _scale_field("residual impact", IMPACT_CHOICES)
    score = models.PositiveSmallIntegerField(
        editable=False, default=1, help_text="Residual likelihood × residual impact."
    )
    band = models.CharField(
        max_length=10, choices=RiskBand.choices, default=RiskBand.GREEN, editable=False
    )
    raised_on = models.DateField(help_text="The day it was raised: it counts from then.")
    last_reviewed_on = models.DateField(null=True, blank=True, editable=False)
    review_on = models.DateField(
        "next review", null=True, blank=True, help_text="The day it is next to be reviewed."
    )
    status = models.CharField(max_length=10, choices=RiskStatus.choices, default=RiskStatus.OPEN)
    closed_on = models.DateField(null=True, blank=True)
    closure_note = models.TextField(blank=True, help_text="Why it was closed.")
    source = models.TextField(
        blank=True, help_text="Where it is stated: the plan, report or paper, and the page."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    objects = RiskQuerySet.as_manager()

    class Meta:
        ordering = ["-score", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "reference"], name="risk_reference_unique"
            ),
            models.CheckConstraint(
                condition=Q(status="open", closed_on__isnull=True)
                | Q(status="closed", closed_on__isnull=False),
                name="risk_closed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(
                    inherent_likelihood__gte=1,
                    inherent_likelihood__lte=5,
                    inherent_impact__gte=1,
                    inherent_impact__lte=5,
                    residual_likelihood__gte=1,
                    residual_likelihood__lte=5,
                    residual_impact__gte=1,
                    residual_impact__lte=5,
                ),
                name="risk_scores_on_the_scale",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}" if self.reference else self.title

    def get_absolute_url(self) -> str:
        return address("interventions:risk_detail", slug=self.intervention.slug, pk=self.pk)

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.score = self.residual_likelihood * self.residual_impact
        self.band = band_for(self.score)
        if not self.reference:
            self.reference = next_reference(self.intervention_id, self.kind)
        super().save(*args, **kwargs)

    @property
    def inherent_score(self) -> int:
        return int(self.inherent_likelihood * self.inherent_impact)

    @property
    def inherent_band(self) -> str:
        return band_for(self.inherent_score)

    @property
    def band_label(self) -> str:
        return band_label(self.band)

    @property
    def is_open(self) -> bool:
        return self.status == RiskStatus.OPEN

    def review_overdue(self, on: datetime.date) -> bool:
        return self.is_open and self.review_on is not None and self.review_on < on

    @property
    def scope(self) -> str:
        """Whose risk it is, in words: a programme's or the plan's."""
        if self.programme is not None:
            return f"Programme {self.programme.number}"
        return "Plan-wide"

    @property
    def depends_on(self) -> str:
        """What a dependency relies on, in words."""
        parts = []
        if self.depends_on_programme is not None:
            parts.append(str(self.depends_on_programme))
        if self.depends_on_body:
            parts.append(self.depends_on_body)
        return "; ".join(parts)

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """A risk counts from the day it was raised; a review from the day it was held; its
        closing from the day it was closed; whenever each was entered."""
        if previous is None:
            return self.raised_on
        if self.closed_on and self.closed_on != previous.closed_on:
            return self.closed_on
        if self.last_reviewed_on and self.last_reviewed_on != previous.last_reviewed_on:
            return self.last_reviewed_on
        return None

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        """A history record as it stood on `day`: open until the day it was closed, scored
        by its own likelihood and impact (a record written from a file's versions carries
        the row's later score)."""
        record.score = record.residual_likelihood * record.residual_impact
        record.band = band_for(record.score)
        if record.closed_on and record.closed_on > day:
            record.status = RiskStatus.OPEN
            record.closed_on = None
        return record


PREFIXES = {RiskKind.RISK: "R", RiskKind.ISSUE: "I", RiskKind.DEPENDENCY: "D"}


def next_reference(intervention_id: int, kind: str) -> str:
    """The next free reference of a kind in an intervention: R1, R2 …; I1 …; D1 …"""
    prefix = PREFIXES[RiskKind(kind)]
    taken = set(
        Risk.objects.filter(
            intervention_id=intervention_id, reference__startswith=prefix
        ).values_list("reference", flat=True)
    )
    n = 1
    while f"{prefix}{n}" in taken:
        n += 1
    return f"{prefix}{n}"


class Mitigation(TimestampedModel):
    """An action that lowers a risk (or resolves an issue, or secures a dependency): who does
    it, by when, and the day it was done."""

    risk = models.ForeignKey(Risk, on_delete=models.CASCADE, related_name="mitigations")
    action = models.TextField()
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_mitigations",
    )
    due_on = models.DateField("due", null=True, blank=True)
    done_on = models.DateField(
        "done", null=True, blank=True, help_text="The day it was done; empty while it is not."
    )
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    class Meta:
        ordering = ["risk", "due_on", "pk"]

    def __str__(self) -> str:
        return self.action[:80]

    @property
    def done(self) -> bool:
        return self.done_on is not None

    def overdue(self, on: datetime.date) -> bool:
        return self.done_on is None and self.due_on is not None and self.due_on < on

    def took_effect_on(self, previous: Any) -> datetime.date | None:
        """Marking it done counts from the day it was done, whenever that was entered."""
        if previous is not None and self.done_on and self.done_on != previous.done_on:
            return self.done_on
        return None

    @classmethod
    def as_it_stood(cls, record: Any, day: datetime.date) -> Any:
        if record.done_on and record.done_on > day:
            record.done_on = None
        return record
