"""Vocabularies of the Secretary of State's Directions."""

from django.db import models


class DeadlineKind(models.TextChoices):
    """How a Direction's deadline is set, in the words of the Directions themselves."""

    RELATIVE = "relative", "Relative to the date of the Directions"
    RECURRING = "recurring", "Recurring"
    EVENT = "event", "Event-driven"
    STANDING = "standing", "Standing for the Direction period"
    FIXED = "fixed", "Fixed date"


class Compliance(models.TextChoices):
    NOT_ASSESSED = "not_assessed", "Not assessed"
    NOT_YET_DUE = "not_yet_due", "Not yet due"
    ON_TRACK = "on_track", "On track"
    AT_RISK = "at_risk", "At risk"
    MET = "met", "Met"
    ONGOING = "ongoing", "Being complied with"
    NOT_MET = "not_met", "Not met"


COMPLIANCE_TAG_COLOURS = {
    Compliance.NOT_ASSESSED: "grey",
    Compliance.NOT_YET_DUE: "teal",
    Compliance.ON_TRACK: "green",
    Compliance.AT_RISK: "yellow",
    Compliance.MET: "",  # GOV.UK's default tag, blue
    Compliance.ONGOING: "turquoise",
    Compliance.NOT_MET: "red",
}


class DirectionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    IN_FORCE = "in_force", "In force"
    REVOKED = "revoked", "Revoked"
    SUPERSEDED = "superseded", "Superseded"
    EXPIRED = "expired", "Expired"


DIRECTION_STATUS_TAG_COLOURS = {
    DirectionStatus.PROPOSED: "grey",
    DirectionStatus.IN_FORCE: "green",
    DirectionStatus.REVOKED: "red",
    DirectionStatus.SUPERSEDED: "orange",
    DirectionStatus.EXPIRED: "grey",
}


class ReportKind(models.TextChoices):
    """The reports the Directions and the Board's terms of reference call for."""

    BOARD = "board", "Delivery report to the Board"
    SOS = "sos", "Report to the Secretary of State"
    STOCKTAKE = "stocktake", "Envoys' stocktake"
