"""Delegations: someone a sponsor or the improvement team lets update a programme or milestone."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models

from interventions.models.base import History, TimestampedModel


class Delegation(TimestampedModel):
    """A programme's sponsor or SRO (or the improvement team) lets another person update the
    programme, or one of its milestones, for a period."""

    programme = models.ForeignKey(
        "interventions.Programme", on_delete=models.CASCADE, related_name="delegations"
    )
    milestone = models.ForeignKey(
        "interventions.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="delegations",
        help_text="Empty: the whole programme.",
    )
    person = models.ForeignKey(
        "interventions.Person", on_delete=models.CASCADE, related_name="delegations"
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    starts_on = models.DateField(default=datetime.date.today)
    ends_on = models.DateField(null=True, blank=True)
    note = models.CharField(max_length=300, blank=True)
    history = History()

    class Meta:
        ordering = ["programme__number", "starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="delegation_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        scope = self.milestone or self.programme
        return f"{self.person} may update {scope}"

    def get_absolute_url(self) -> str:
        return (self.milestone or self.programme).get_absolute_url()
