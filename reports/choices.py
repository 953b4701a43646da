"""Vocabularies of the reports the intervention produces."""

from django.db import models


class ReportKind(models.TextChoices):
    """The reports the Directions and the Board's terms of reference call for."""

    BOARD = "board", "Delivery report to the Board"
    SOS = "sos", "Report to the Secretary of State"
    STOCKTAKE = "stocktake", "Envoys' stocktake"


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Issued"


REPORT_STATUS_TAG_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.FINAL: "green",
}
