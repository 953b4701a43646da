"""Change requests: an agreed milestone moves only with a reason and the improvement team's say."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from interventions.choices import ChangeKind, ChangeStatus
from interventions.kit.routing import address
from interventions.models.base import History, TimestampedModel


class ChangeRequest(TimestampedModel):
    """A proposed change to an agreed milestone that the improvement team must approve: an end
    date past the baseline, a change of scope, or closing it early."""

    milestone = models.ForeignKey(
        "interventions.Milestone", on_delete=models.CASCADE, related_name="change_requests"
    )
    kind = models.CharField(max_length=20, choices=ChangeKind.choices)
    proposed_end = models.DateField(null=True, blank=True)
    proposed_title = models.TextField(blank=True)
    proposed_steps = models.TextField(blank=True)
    reason = models.TextField()
    status = models.CharField(
        max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    baseline_before = models.DateField(
        null=True, blank=True, help_text="The baseline end when the request was decided."
    )
    history = History()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.milestone}"

    def get_absolute_url(self) -> str:
        return address(
            "interventions:change_request_detail",
            slug=self.milestone.programme.intervention.slug,
            pk=self.pk,
        )
