"""Evidence: the files and links behind a reported status, stored outside the web root."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.deconstruct import deconstructible

from interventions.choices import EvidenceKind
from interventions.models.base import History, TimestampedModel


@deconstructible(path="interventions.models.evidence.EvidenceStorage")
class EvidenceStorage(FileSystemStorage):
    """Uploaded evidence lives outside the web root, in settings.EVIDENCE_ROOT (read on every
    use, so it follows the setting), and is only ever served by a view that checks
    permission: it has no URL. Files are readable by the service's own user and group only
    (0640, folders 0750), whatever the umask: they can hold personal data."""

    def __init__(self) -> None:
        super().__init__(
            base_url=None, file_permissions_mode=0o640, directory_permissions_mode=0o750
        )

    @property
    def base_location(self) -> str:
        return str(settings.EVIDENCE_ROOT)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)


evidence_storage = EvidenceStorage()


def evidence_path(instance: Evidence, filename: str) -> str:
    # The stored name is never the uploaded one: no path tricks, no clashes.
    return f"{instance.intervention_id}/{instance.uuid}"


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
