"""Vocabularies of the intervention domain, each mapped once to its GOV.UK tag colour."""

from django.db import models


class InterventionModel(models.TextChoices):
    """How the Secretary of State oversees the council; what each model calls its people, its
    main board and its reports is `interventions.vocabulary`."""

    MINISTERIAL_ENVOYS = "ministerial_envoys", "Ministerial Envoys"
    COMMISSIONERS = "commissioners", "Commissioners"
    IMPROVEMENT_ASSURANCE_BOARD = "improvement_assurance_board", "Improvement and Assurance Board"


class InterventionStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    ACTIVE = "active", "Active"
    EXTENDED = "extended", "Extended"
    CLOSED = "closed", "Closed"


class DatePrecision(models.TextChoices):
    """How much of a date the record gives: old papers sometimes say only "2014"."""

    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"


class AuthorityKind(models.TextChoices):
    LONDON_BOROUGH = "london_borough", "London borough"
    METROPOLITAN_DISTRICT = "metropolitan_district", "Metropolitan district"
    UNITARY = "unitary", "Unitary authority"
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    COMBINED_AUTHORITY = "combined_authority", "Combined authority"


class Role(models.TextChoices):
    """Roles a person holds in an intervention, each for a dated period."""

    LEAD_ENVOY = "lead_envoy", "Lead Ministerial Envoy"
    ENVOY = "envoy", "Ministerial Envoy"
    LEAD_COMMISSIONER = "lead_commissioner", "Lead Commissioner"
    COMMISSIONER = "commissioner", "Commissioner"
    MANAGING_DIRECTOR_COMMISSIONER = (
        "managing_director_commissioner",
        "Managing Director Commissioner",
    )
    BOARD_MEMBER = "board_member", "Board member"
    TAB_LEAD = "tab_lead", "Board Lead for a theme"
    CHAIR = "chair", "Chair of the Board"
    MAYOR = "mayor", "Mayor"
    LEADER = "leader", "Leader of the Council"
    CHIEF_EXECUTIVE = "chief_executive", "Chief Executive"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring Officer"
    S151_OFFICER = "s151_officer", "Section 151 Officer"
    IMPROVEMENT_LEAD = "improvement_lead", "Improvement lead"
    CORPORATE_DIRECTOR = "corporate_director", "Corporate Director"
    SPONSOR = "sponsor", "Senior Sponsor"
    SRO = "sro", "Senior Responsible Officer"
    LEAD_MEMBER = "lead_member", "Lead member"
    COUNCILLOR = "councillor", "Councillor"
    COMMUNITY_LEAD = "community_lead", "Community Lead"
    LGA_ADVISER = "lga_adviser", "LGA adviser"
    INSPECTOR = "inspector", "Best Value inspector"
    EXTERNAL_AUDITOR = "external_auditor", "External auditor"
    GOVERNMENT_OFFICIAL = "government_official", "Government official"
    OTHER = "other", "Other"


class RAG(models.TextChoices):
    """Delivery confidence, as the Board reads it."""

    NOT_STARTED = "not_started", "Not started"
    GREEN = "green", "Green"
    AMBER = "amber", "Amber"
    RED = "red", "Red"
    COMPLETE = "complete", "Complete"


RAG_TAG_COLOURS = {
    RAG.NOT_STARTED: "grey",
    RAG.GREEN: "green",
    RAG.AMBER: "yellow",
    RAG.RED: "red",
    RAG.COMPLETE: "",  # GOV.UK's default tag, blue
}


class Phase(models.TextChoices):
    DISCOVERY = "discovery", "Discovery"
    DESIGN = "design", "Design"
    MOBILISATION = "mobilisation", "Mobilisation"
    DELIVERY = "delivery", "Delivery"
    CLOSED = "closed", "Closed"


class WorkStatus(models.TextChoices):
    """Where a programme or milestone is in its life, separate from how well it is going."""

    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    COMPLETE = "complete", "Complete"
    ON_HOLD = "on_hold", "On hold"
    CANCELLED = "cancelled", "Cancelled"


WORK_STATUS_TAG_COLOURS = {
    WorkStatus.NOT_STARTED: "grey",
    WorkStatus.IN_PROGRESS: "teal",
    WorkStatus.COMPLETE: "green",
    WorkStatus.ON_HOLD: "orange",
    WorkStatus.CANCELLED: "grey",
}


class MilestoneSchedule(models.TextChoices):
    """Where a milestone stands against its dates on a given day (worked out, not stored)."""

    COMPLETE = "complete", "Complete"
    ON_TRACK = "on_track", "On track"
    SLIPPED = "slipped", "Slipped"
    OVERDUE = "overdue", "Overdue"
    CANCELLED = "cancelled", "Cancelled"


class SlipBaseline(models.TextChoices):
    """Which agreed end a forecast is measured against to say a milestone has slipped: the
    first agreed end (the original baseline, the default) or the end last approved through
    change control. Approving a slip moves the second, never the first."""

    ORIGINAL = "original", "The original baseline"
    APPROVED = "approved", "The last approved baseline"


RAG_DEFINITIONS = {
    RAG.NOT_STARTED: "Work has not begun, as planned.",
    RAG.GREEN: "On track: delivery to time, scope and budget is expected.",
    RAG.AMBER: "At risk: problems the programme can resolve itself, with attention.",
    RAG.RED: "Off track: needs decisions or help from outside the programme.",
    RAG.COMPLETE: "Delivered, with the evidence recorded.",
}


class EvidenceKind(models.TextChoices):
    FILE = "file", "Uploaded file"
    LINK = "link", "Link"


class ChangeKind(models.TextChoices):
    """Changes to an agreed milestone that go through change control."""

    END_DATE = "end_date", "Move the end date past the baseline"
    SCOPE = "scope", "Change the scope"
    CLOSE_EARLY = "close_early", "Close early"


class ChangeStatus(models.TextChoices):
    PENDING = "pending", "Awaiting decision"
    APPROVED = "approved", "Approved"
    REJECTED = "rejected", "Rejected"


CHANGE_STATUS_TAG_COLOURS = {
    ChangeStatus.PENDING: "yellow",
    ChangeStatus.APPROVED: "green",
    ChangeStatus.REJECTED: "red",
}


class CommentKind(models.TextChoices):
    CHALLENGE = "challenge", "Challenge"
    COMMENT = "comment", "Comment"


class ResponseDueRule(models.TextChoices):
    """How the response to a new recommendation is given its default due date."""

    WORKING_DAYS = "working_days", "A number of working days after it was made"
    NEXT_BOARD_MEETING = "next_board_meeting", "By the next meeting of the Board"


class MeasureDirection(models.TextChoices):
    """Which way a success measure's figure should move."""

    HIGHER = "higher", "Higher is better"
    LOWER = "lower", "Lower is better"


class MeasureFrequency(models.TextChoices):
    """How often a success measure is reported: its periods run with the council's financial
    year (quarters from April, halves from April and October, years from April)."""

    MONTHLY = "monthly", "Monthly"
    QUARTERLY = "quarterly", "Quarterly"
    SIX_MONTHLY = "six_monthly", "Six-monthly"
    ANNUALLY = "annually", "Annually"


class MeasureAgreement(models.TextChoices):
    """Whether a success measure is agreed: by the oversight and by the Board, both."""

    PROPOSED = "proposed", "Proposed"
    AGREED = "agreed", "Agreed"


MEASURE_AGREEMENT_TAG_COLOURS = {
    MeasureAgreement.PROPOSED: "yellow",
    MeasureAgreement.AGREED: "green",
}


class MeasureStanding(models.TextChoices):
    """Where a success measure stands against its target on a day (`Measure.standing_on`)."""

    ON_TRACK = "green", "Green: on or ahead of trajectory"
    SLIGHTLY_BEHIND = "amber", "Amber: slightly behind trajectory"
    OFF_TRACK = "red", "Red: well behind trajectory"
    NO_READING = "no_reading", "No reading yet"


# Amber or red: what the dashboard and reports count as off target.
OFF_TARGET = (MeasureStanding.SLIGHTLY_BEHIND, MeasureStanding.OFF_TRACK)

MEASURE_STANDING_TAG_COLOURS = {
    MeasureStanding.ON_TRACK: "green",
    MeasureStanding.SLIGHTLY_BEHIND: "orange",
    MeasureStanding.OFF_TRACK: "red",
    MeasureStanding.NO_READING: "grey",
}
