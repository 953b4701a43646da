"""Period updates: a programme's update for one reporting period (a quarter)."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models

from interventions.choices import RAG, WorkStatus
from interventions.dates.periods import ReportingPeriod
from interventions.models.base import (
    History,
    TimestampedModel,
    set_change_reason,
    set_effective_date,
)


class ProgrammeUpdate(TimestampedModel):
    """A programme's update for one reporting period (the quarter the Board receives):
    reports quote it as "the update for Q2 2025/26".

    It is where the programme's RAG and status are set: the programme's own RAG and status
    are those of its latest update (`interventions.work.items.carry_to_programme`)."""

    programme = models.ForeignKey(
        "interventions.Programme", on_delete=models.CASCADE, related_name="updates"
    )
    period_start = models.DateField(help_text="First day of the quarter.")
    rag = models.CharField("RAG", max_length=20, choices=RAG.choices)
    status = models.CharField(
        max_length=20,
        choices=WorkStatus.choices,
        default=WorkStatus.IN_PROGRESS,
        help_text="Where the programme is in its life at the end of the period.",
    )
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

    def carry_to_programme(self) -> None:
        """Make the programme's RAG and status this update's, from the day it speaks for.

        The programme's own RAG and status are those of its latest update, and its history
        says, for every day, what the update in effect then said: each update from the end of
        its quarter (`took_effect_on`; from the day it is written, when that is earlier). An
        update written for an earlier quarter after a later one was written counts only up to
        the later one, so the later updates are recorded again after it, each from its own day
        (a later record wins from its day on: `interventions.models.valid_time`). An update
        that changes neither, and is the latest, writes nothing to the programme."""
        programme = type(self.programme).objects.select_for_update().get(pk=self.programme_id)
        later = list(
            type(self)
            .objects.filter(programme_id=self.programme_id, period_start__gt=self.period_start)
            .order_by("period_start")
        )
        unchanged = programme.rag == self.rag and programme.status == self.status
        if unchanged and not later:
            return
        # Once set in an update, the RAG and status are no longer the improvement team's
        # entries for a plan that does not state them.
        programme.not_in_source = [
            name for name in programme.not_in_source if name not in ("rag", "status")
        ]
        # The change is the update's author's, whether saved from a page or not.
        programme._history_user = self.author  # type: ignore[attr-defined]  # simple-history's
        for update in [self, *later]:
            programme.rag = update.rag
            programme.status = update.status
            set_effective_date(programme, update.period.end)
            set_change_reason(programme, f"RAG and status from the update for {update.period}")
            programme.save(update_fields=["rag", "status", "not_in_source", "updated"])
