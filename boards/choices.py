"""Vocabularies of boards, their meetings and the recommendations made to the council."""

from django.db import models


class BoardKind(models.TextChoices):
    # The board that oversees the intervention, whatever the model calls it (Transformation
    # and Assurance Board, Improvement and Recovery Board …: `intervention.words.main_board`).
    # The stored value "tab" is kept from the first intervention recorded.
    TRANSFORMATION_ASSURANCE = "tab", "Main board"
    INTERNAL_ASSURANCE = "internal_assurance", "Internal Assurance Board"
    AUDIT_COMMITTEE = "audit_committee", "Audit Committee"
    STANDARDS = "standards", "Standards committee"
    SCRUTINY = "scrutiny", "Overview and Scrutiny"
    HR_COMMITTEE = "hr_committee", "HR Committee"
    FULL_COUNCIL = "full_council", "Full Council"
    OTHER = "other", "Other"


class BoardRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    VICE_CHAIR = "vice_chair", "Vice-chair"
    ENVOY = "envoy", "Ministerial Envoy"
    COMMISSIONER = "commissioner", "Commissioner"
    THEME_LEAD = "theme_lead", "Board Lead for a theme"
    COUNCILLOR = "councillor", "Councillor"
    COMMUNITY_LEAD = "community_lead", "Community Lead"
    LGA_ADVISER = "lga_adviser", "LGA adviser"
    OFFICER = "officer", "Officer in attendance"
    MEMBER = "member", "Member"


class MeetingKind(models.TextChoices):
    WORKSHOP = "workshop", "Workshop"
    FORMAL = "formal", "Formal meeting"
    INFORMAL = "informal", "Informal meeting"


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", "Scheduled"
    HELD = "held", "Held"
    MINUTES_APPROVED = "minutes_approved", "Minutes approved"
    CANCELLED = "cancelled", "Cancelled"


MEETING_STATUS_TAG_COLOURS = {
    MeetingStatus.SCHEDULED: "teal",
    MeetingStatus.HELD: "green",
    MeetingStatus.MINUTES_APPROVED: "",  # GOV.UK's default tag, blue
    MeetingStatus.CANCELLED: "grey",
}


class RecommendationSource(models.TextChoices):
    BOARD = "board", "Board meeting"
    EXTERNAL_AUDITOR = "external_auditor", "External auditor's statutory recommendation"
    ENVOYS_STOCKTAKE = "envoys_stocktake", "Envoys' stocktake"
    INSPECTION = "inspection", "Best Value inspection"
    PEER_CHALLENGE = "peer_challenge", "LGA peer challenge"
    COMMISSIONERS = "commissioners", "Commissioners"
    OTHER = "other", "Other"


class RecommendationStatus(models.TextChoices):
    OPEN = "open", "Open"
    ACCEPTED = "accepted", "Accepted"
    PARTLY_ACCEPTED = "partly_accepted", "Partly accepted"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    IMPLEMENTED = "implemented", "Implemented"
    CLOSED = "closed", "Closed"


RECOMMENDATION_STATUS_TAG_COLOURS = {
    RecommendationStatus.OPEN: "yellow",
    RecommendationStatus.ACCEPTED: "teal",
    RecommendationStatus.PARTLY_ACCEPTED: "orange",
    RecommendationStatus.NOT_ACCEPTED: "red",
    RecommendationStatus.IMPLEMENTED: "green",
    RecommendationStatus.CLOSED: "grey",
}


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Sent apologies"
    ABSENT = "absent", "Absent"
    SUBSTITUTE = "substitute", "Sent a substitute"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


ACTION_STATUS_TAG_COLOURS = {
    ActionStatus.OPEN: "yellow",
    ActionStatus.DONE: "green",
    ActionStatus.DROPPED: "grey",
}
