"""Keeping the plan true: period updates, evidence, change control, delegation and challenge."""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible

from interventions.choices import RAG, ChangeKind, ChangeStatus, CommentKind, EvidenceKind
from interventions.models.base import History, TimestampedModel
from interventions.periods import ReportingPeriod


@deconstructible(path="interventions.models.updates.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """Uploaded evidence lives outside the web root, in settings.EVIDENCE_ROOT (read on every
    use, so it follows the setting), and is only ever served by a view that checks
    permission: it has no URL."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


evidence_storage = EvidenceStorage()


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is never the uploaded one: no path tricks, no clashes.
    return f"{instance.intervention_id}/{instance.uuid}"


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


class Evidence(TimestampedModel):
    """A file or link that supports a programme's or milestone's reported status."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="evidence"
    )
    programme = models.ForeignKey(
        "interventions.Programme", on_delete=models.CASCADE, related_name="evidence"
    )
    milestone = models.ForeignKey(
        "interventions.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    uuid = models.UUIDField(unique=True, editable=False)
    kind = models.CharField(max_length=10, choices=EvidenceKind.choices)
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True, max_length=500)
    file = models.FileField(storage=evidence_storage, upload_to=evidence_path, blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    history = History()

    class Meta:
        ordering = ["-created"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="file") & ~models.Q(file=""))
                | (models.Q(kind="link") & ~models.Q(url="")),
                name="evidence_is_a_file_or_a_link",
            )
        ]

    def __str__(self) -> str:
        return self.title


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


class Comment(TimestampedModel):
    """A challenge or comment by an Envoy, Board member or officer on a programme or milestone.
    Comments are not edited or deleted: they are part of the record."""

    programme = models.ForeignKey(
        "interventions.Programme", on_delete=models.CASCADE, related_name="comments"
    )
    milestone = models.ForeignKey(
        "interventions.Milestone",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="comments",
    )
    kind = models.CharField(max_length=10, choices=CommentKind.choices)
    text = models.TextField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    history = History()

    class Meta:
        ordering = ["created"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author} on {self.milestone or self.programme}"
