"""Period updates: a programme's update for one reporting period (a quarter)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models

from interventions.choices import RAG
from interventions.dates.periods import ReportingPeriod
from interventions.models.base import History, TimestampedModel


class ProgrammeUpdate(TimestampedModel):
    """A programme's update for one reporting period (the quarter the Board receives):
    reports quote it as "the update for Q2 2025/26"."""

    programme = models.ForeignKey(
        "interventions.Programme", on_delete=models.CASCADE, related_name="updates"
    )
    period_start = models.DateField(help_text="First day of the quarter.")
    rag = models.CharField("RAG", max_length=20, choices=RAG.choices)
    summary = models.TextField(help_text="Progress in the period.")
    next_steps = models.TextField(blank=True)
    risks = models.TextField(blank=True, help_text="Risks and issues to escalate.")
    decisions_needed = models.TextField(blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    version = models.PositiveIntegerField(default=1, editable=False)
    history = History()

    class Meta:
        ordering = ["programme__number", "-period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "period_start"], name="one_update_per_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme}: update for {self.period}"

    @property
    def period(self) -> ReportingPeriod:
        return ReportingPeriod(self.period_start)

    def took_effect_on(self, previous: Any) -> datetime.date:
        """An update speaks for its quarter: written after the quarter, it is true from the
        quarter's last day (an update written during the quarter counts from when it is)."""
        return self.period.end
