"""Reports built from the intervention's audited state as it stood on a date."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from interventions.models.base import History, TimestampedModel
from reports.choices import ReportKind, ReportStatus


class ReportQuerySet(models.QuerySet):
    def issued(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.FINAL)


class Report(TimestampedModel):
    """One report of the intervention (to the Board, to the Secretary of State, or the Envoys'
    stocktake), built as things stood on its as-of date; once issued it never changes."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="reports"
    )
    kind = models.CharField(max_length=20, choices=ReportKind.choices)
    title = models.CharField(max_length=300)
    as_of = models.DateField(help_text="The report shows things as they stood on this date.")
    status = models.CharField(
        max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    full_council_on = models.DateField(
        null=True,
        blank=True,
        help_text="Reports to the Secretary of State go to Full Council first.",
    )
    history = History()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "kind"]

    def __str__(self) -> str:
        return self.title

    @property
    def issued_on(self) -> datetime.date | None:
        """The day the report was issued (finalised), in UK time."""
        if self.finalised_at is None:
            return None
        return timezone.localdate(self.finalised_at)
