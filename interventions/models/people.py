"""People in an intervention and the roles they hold over time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from interventions.choices import DatePrecision, Role
from interventions.dates.fuzzy import add_months
from interventions.models.base import History, TimestampedModel
from interventions.models.intervention import as_precise
from interventions.querysets import AppointmentQuerySet


class Person(TimestampedModel):
    """Someone named in an intervention, or a post not yet filled (a post with no name).

    A corporate body may hold a role too (a firm appointed as Commissioner): it is a person
    with `is_organisation` set, and reads "Acme LLP (organisation)".

    A person may be linked to a user account; that link is what lets the user see the
    intervention.
    """

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="people"
    )
    key = models.SlugField(max_length=80, help_text="Unique in the intervention; used by imports.")
    name = models.CharField(
        max_length=200, blank=True, help_text="Empty for a post not yet filled."
    )
    post = models.CharField(max_length=200, blank=True)
    organisation = models.CharField(max_length=200, blank=True)
    political_group = models.CharField(max_length=100, blank=True)
    is_organisation = models.BooleanField(
        "Organisation",
        default=False,
        help_text="A corporate body holding a role (e.g. a firm appointed as Commissioner), "
        "not an individual.",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    history = History()

    class Meta:
        ordering = ["name", "post"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(fields=["intervention", "key"], name="person_key_unique"),
            models.CheckConstraint(
                condition=~models.Q(name="", post=""), name="person_has_name_or_post"
            ),
        ]

    def __str__(self) -> str:
        if not self.name:
            return f"{self.post} (post not yet filled)"
        if self.is_organisation:
            return f"{self.name} (organisation)"
        return f"{self.name} ({self.post})" if self.post else self.name


class Appointment(TimestampedModel):
    """A person's role in the intervention for a dated period (open-ended while it lasts)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="appointments")
    role = models.CharField(max_length=30, choices=Role.choices)
    theme = models.ForeignKey(
        "interventions.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True, help_text="The role as written.")
    starts_on = models.DateField(null=True, blank=True)
    starts_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the start date the record gives; a month or a year is stored as "
        "its first day.",
    )
    ends_on = models.DateField(null=True, blank=True)
    ends_on_precision = models.CharField(
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.DAY,
        help_text="How much of the end date the record gives; a month or a year is stored as "
        "its first day.",
    )
    interim = models.BooleanField(default=False)
    source = models.TextField(blank=True)
    history = History()

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["role", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="appointment_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.get_role_display()}"

    @property
    def role_name(self) -> str:
        """The role as the intervention's model names it ("Lead Envoy", "Managing Director
        Commissioner"); the role's own label for everyone else."""
        return self.person.intervention.words.role_label(self.role, self.get_role_display())

    @property
    def starts_on_text(self) -> str:
        """The start as precisely as it is known: "3 Mar 2025", "March 2025", "2014"."""
        return as_precise(self.starts_on, self.starts_on_precision) if self.starts_on else ""

    @property
    def ends_on_text(self) -> str:
        return as_precise(self.ends_on, self.ends_on_precision) if self.ends_on else ""

    @property
    def last_day(self) -> datetime.date | None:
        """The last day it can have been held: an end known only to the month or the year
        runs to the end of that month or year."""
        if self.ends_on is None:
            return None
        if self.ends_on_precision == DatePrecision.YEAR:
            return self.ends_on.replace(month=12, day=31)
        if self.ends_on_precision == DatePrecision.MONTH:
            return add_months(self.ends_on.replace(day=1), 1) - datetime.timedelta(days=1)
        return self.ends_on

    def is_current(self, on: datetime.date) -> bool:
        """Whether the appointment is held on the given day (as `current` in SQL)."""
        started = self.starts_on is None or self.starts_on <= on
        last = self.last_day
        return started and (last is None or on <= last)
