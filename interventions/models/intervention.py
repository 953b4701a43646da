"""Authorities, their interventions, and the Best Value themes."""

from __future__ import annotations

import datetime

from django.db import models

from interventions.choices import (
    AuthorityKind,
    DatePrecision,
    InterventionModel,
    InterventionStatus,
    ResponseDueRule,
)
from interventions.dates.fuzzy import add_months
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel
from interventions.querysets import InterventionQuerySet
from interventions.vocabulary import Vocabulary, words_for


def as_precise(day: datetime.date, precision: str) -> str:
    """A date written no more precisely than it is known."""
    if precision == DatePrecision.YEAR:
        return f"{day:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{day:%B %Y}"
    return f"{day.day} {day:%b %Y}"


class Theme(models.Model):
    """One of the seven Best Value themes of the statutory guidance. Fixed reference data."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=80, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self) -> str:
        return self.name


class Authority(TimestampedModel):
    """A local authority (council) that is, or has been, under intervention."""

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=AuthorityKind.choices)
    history = History()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "authorities"

    def __str__(self) -> str:
        return self.name


class Intervention(TimestampedModel):
    """A statutory Best Value intervention in one authority, from its Directions date.

    Everything else (Directions, plan, boards, people, recommendations) belongs to one.
    """

    authority = models.ForeignKey(Authority, on_delete=models.PROTECT, related_name="interventions")
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=200)
    model = models.CharField(max_length=30, choices=InterventionModel.choices)
    legal_basis = models.CharField(max_length=200, blank=True)
    directions_date = models.DateField(help_text="Date the Directions were made.")
    directions_date_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the date the record gives; a month or a year is stored as its "
        "first day.",
    )
    duration_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Initial period in months."
    )
    end_date = models.DateField(null=True, blank=True, help_text="Date it ended or is due to end.")
    end_date_precision = models.CharField(
        max_length=5, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    status = models.CharField(max_length=20, choices=InterventionStatus.choices)
    summary = models.TextField(blank=True)
    source = models.TextField(blank=True)
    public_pages = models.BooleanField(
        default=False,
        help_text="Publish pages anyone may read, without signing in: the Board's meetings with "
        "their public papers and approved minutes, published responses to recommendations, and "
        "a summary of the plan's progress.",
    )
    response_due_rule = models.CharField(
        max_length=30,
        choices=ResponseDueRule.choices,
        default=ResponseDueRule.WORKING_DAYS,
        help_text="How a new recommendation's response due date is suggested.",
    )
    response_due_working_days = models.PositiveSmallIntegerField(
        default=20,
        help_text="Working days (England and Wales) allowed for a response, when the rule "
        "counts working days, or when there is no next Board meeting to count to.",
    )
    history = History()

    objects = InterventionQuerySet.as_manager()

    class Meta:
        ordering = ["-directions_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("directions_date")),
                name="intervention_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return address("interventions:intervention_detail", slug=self.slug)

    @property
    def words(self) -> Vocabulary:
        """What this intervention's model calls its oversight, main board and reports
        (`interventions.vocabulary`): `intervention.words.oversight_plural` in a template."""
        return words_for(self.model)

    @property
    def directions_date_text(self) -> str:
        """The Directions date as precisely as it is known: "22 January 2025", "2014"."""
        return as_precise(self.directions_date, self.directions_date_precision)

    @property
    def scheduled_end_text(self) -> str:
        if self.end_date:
            return as_precise(self.end_date, self.end_date_precision)
        end = self.scheduled_end
        return as_precise(end, DatePrecision.DAY) if end else ""

    @property
    def scheduled_end(self) -> datetime.date | None:
        """The recorded end date, else the end of the initial period."""
        if self.end_date:
            return self.end_date
        if self.duration_months:
            return add_months(self.directions_date, self.duration_months) - datetime.timedelta(1)
        return None
