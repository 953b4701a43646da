"""Reports built from the intervention's audited state as it stood on a date."""

from __future__ import annotations

import datetime
import hashlib
import os
import uuid
from typing import Any

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models.signals import pre_delete
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.deconstruct import deconstructible

from interventions.models.base import History, TimestampedModel
from interventions.periods import ReportingPeriod
from reports.choices import BuildState, ReportKind, ReportStatus

# A build of even the largest report takes well under a minute; one still unfinished after
# this long has lost its worker, and may be started again.
BUILD_STALLS_AFTER = datetime.timedelta(minutes=10)

# What may still change on an issued report: who may read it, not what it says.
CHANGEABLE_WHEN_ISSUED = {"shared_with_officers", "updated"}


class ReportIssued(Exception):
    """An issued report was about to be changed, rebuilt or deleted; nothing was changed."""


@deconstructible(path="reports.models.ReportStorage")
class ReportStorage(FileSystemStorage):
    """Report PDFs live outside the web root, in settings.REPORTS_ROOT (read on every use, so
    it follows the setting), with no URL: only a view that checks permission serves them.

    A file is never overwritten (each build gets a new name) and the file of an issued
    report is never deleted.
    """

    def __init__(self) -> None:
        super().__init__(base_url=None, file_permissions_mode=0o440)

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.REPORTS_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)

    def delete(self, name: str) -> None:
        if Report.objects.filter(pdf=name, status=ReportStatus.FINAL).exists():
            raise ReportIssued("The PDF of an issued report is never deleted.")
        super().delete(name)


report_storage = ReportStorage()


def report_path(instance: Report, filename: str) -> str:
    # A new name for every build: an issued file is never overwritten by a later one.
    return f"{instance.intervention_id}/{instance.pk}-{uuid.uuid4().hex}.pdf"


class ReportQuerySet(models.QuerySet):
    def issued(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.FINAL)

    def drafts(self) -> ReportQuerySet:
        return self.filter(status=ReportStatus.DRAFT)

    def update(self, **kwargs: Any) -> int:
        # Bulk updates skip save(); the same rule applies to them.
        if set(kwargs) - CHANGEABLE_WHEN_ISSUED and self.issued().exists():
            raise ReportIssued("Issued reports cannot be changed.")
        return super().update(**kwargs)


class Report(TimestampedModel):
    """One report of the intervention (to the Board, to the Secretary of State, or the Envoys'
    stocktake), built as things stood on its as-of date; once issued it never changes.

    The facts come from the audited history as of the end of `as_of` (UK time); the narrative
    (foreword, summary, commentary per section, and for stocktakes the Envoys' judgement per
    Best Value theme) is written here. Finalising stores the PDF with its SHA-256.
    """

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
    previous = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The last issued report of the same kind before this one: movement is "
        "measured from its as-of date.",
    )
    foreword = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    commentary = models.JSONField(
        default=dict, blank=True, help_text="Commentary for each section, by section key."
    )
    judgements = models.JSONField(
        "Envoys' judgements",
        default=dict,
        blank=True,
        help_text="For stocktakes: the Envoys' narrative judgement, by Best Value theme slug.",
    )
    shared_with_officers = models.BooleanField(
        default=False,
        help_text="Once issued, council officers may read it too (Envoys and Board members "
        "always may).",
    )
    pdf = models.FileField(storage=report_storage, upload_to=report_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    pdf_built_at = models.DateTimeField(null=True, blank=True)
    build_state = models.CharField(
        max_length=10, choices=BuildState.choices, default=BuildState.NONE
    )
    build_progress = models.PositiveSmallIntegerField(default=0)
    build_message = models.CharField(max_length=300, blank=True)
    build_task_id = models.CharField(max_length=64, blank=True)
    build_requested_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by each saved edit; refuses stale edits."
    )
    history = History()

    objects = ReportQuerySet.as_manager()

    class Meta:
        ordering = ["-as_of", "kind"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "reports:report_detail", kwargs={"slug": self.intervention.slug, "pk": self.pk}
        )

    @property
    def issued_on(self) -> datetime.date | None:
        """The day the report was issued (finalised), in UK time."""
        if self.finalised_at is None:
            return None
        return timezone.localdate(self.finalised_at)

    @property
    def is_final(self) -> bool:
        return self.status == ReportStatus.FINAL

    @property
    def is_building(self) -> bool:
        """A build is waiting or running, and has not stalled."""
        return (
            self.build_state in (BuildState.QUEUED, BuildState.RUNNING) and not self.build_stalled
        )

    @property
    def build_stalled(self) -> bool:
        """A build has been waiting or running for too long: the worker may have stopped."""
        if self.build_state not in (BuildState.QUEUED, BuildState.RUNNING):
            return False
        started = self.build_requested_at
        return started is None or timezone.now() - started > BUILD_STALLS_AFTER

    @property
    def period(self) -> ReportingPeriod:
        """The quarter a delivery report to the Board covers: the one its as-of date is in."""
        return ReportingPeriod.containing(self.as_of)

    @property
    def snapshot_at(self) -> datetime.datetime:
        """The last moment of the as-of date in UK time: the report shows the state then."""
        return snapshot_moment(self.as_of)

    def commentary_for(self, key: str) -> str:
        return str((self.commentary or {}).get(key, ""))

    def judgement_for(self, theme_slug: str) -> str:
        return str((self.judgements or {}).get(theme_slug, ""))

    def find_previous(self) -> Report | None:
        """The latest issued report of the same kind, as of an earlier date."""
        return (
            Report.objects.issued()
            .filter(intervention_id=self.intervention_id, kind=self.kind, as_of__lt=self.as_of)
            .exclude(pk=self.pk)
            .order_by("-as_of", "-finalised_at")
            .first()
        )

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            stored = Report.objects.filter(pk=self.pk).first()
            if stored is not None and stored.is_final:
                changed = {
                    field.attname
                    for field in self._meta.concrete_fields
                    if getattr(stored, field.attname) != getattr(self, field.attname)
                }
                if changed - CHANGEABLE_WHEN_ISSUED:
                    raise ReportIssued(f"{stored} has been issued and cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        if self.is_final or Report.objects.issued().filter(pk=self.pk).exists():
            raise ReportIssued(f"{self} has been issued and cannot be deleted.")
        return super().delete(*args, **kwargs)

    def verify_checksum(self) -> bool | None:
        """Whether the stored PDF still has the SHA-256 recorded when it was built; None when
        there is no PDF."""
        if not self.pdf or not self.sha256:
            return None
        try:
            with self.pdf.open("rb") as handle:
                digest = hashlib.file_digest(handle, "sha256").hexdigest()
        except FileNotFoundError:
            return False
        return digest == self.sha256

    @property
    def pdf_filename(self) -> str:
        kind = {ReportKind.BOARD: "board", ReportKind.SOS: "sos", ReportKind.STOCKTAKE: "stocktake"}
        suffix = "" if self.is_final else "-draft"
        return f"{self.intervention.slug}-{kind.get(self.kind, self.kind)}-{self.as_of}{suffix}.pdf"


def snapshot_moment(day: datetime.date) -> datetime.datetime:
    """The end of a day in UK time, as an aware datetime: history up to then counts."""
    start_next = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    return timezone.make_aware(start_next) - datetime.timedelta(microseconds=1)


@receiver(pre_delete, sender=Report)
def refuse_deleting_issued(sender: type[Report], instance: Report, **kwargs: Any) -> None:
    """Deleting through a queryset or a cascade skips Report.delete(); this still refuses."""
    if instance.is_final:
        raise ReportIssued(f"{instance} has been issued and cannot be deleted.")
