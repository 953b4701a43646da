"""Vocabularies of the reports the intervention produces."""

from django.db import models

from directions.choices import ReportKind  # named with the Directions that call for them


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    FINAL = "final", "Issued"


REPORT_STATUS_TAG_COLOURS = {
    ReportStatus.DRAFT: "grey",
    ReportStatus.FINAL: "green",
}


class BuildState(models.TextChoices):
    """Where the background build of a report's PDF has got to."""

    NONE = "none", "Not built"
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Building"
    DONE = "done", "Built"
    FAILED = "failed", "Failed"


BUILD_STATE_TAG_COLOURS = {
    BuildState.NONE: "grey",
    BuildState.QUEUED: "yellow",
    BuildState.RUNNING: "teal",
    BuildState.DONE: "green",
    BuildState.FAILED: "red",
}

# The sections of each kind of report that carry their own commentary, in reading order. Each
# is numbered (2, 3 …, after the executive summary, 1), and its paragraphs with it (2.1, 2.2 …),
# as the oversight's letters are. The evidence appendix follows them, unnumbered.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    ReportKind.BOARD: [
        ("directions", "Progress against each Direction"),
        ("programmes", "Programme delivery"),
        ("milestones", "Milestones completed and slipped"),
        ("decisions", "Risks and decisions needed"),
        ("measures", "Success measures"),
        ("risks", "Risks, issues and dependencies"),
        ("outlook", "Risks and next steps by theme"),
        ("board", "The Board's work"),
        ("movement", "Movement since the previous report"),
    ],
    ReportKind.SOS: [
        ("directions", "Progress against each Direction"),
        ("plan", "The improvement plan"),
        ("measures", "Success measures"),
        ("risks", "Risks, issues and dependencies"),
        ("outlook", "Risks and next steps by theme"),
        ("board", "The Board's work"),
        ("recommendations", "Recommendations and responses"),
        ("movement", "Movement since the previous report"),
        ("expectations", "Expectations set in earlier reports"),
        ("exit", "Readiness to exit intervention"),
        ("next_period", "The next period"),
    ],
    ReportKind.STOCKTAKE: [
        ("themes", "Judgement by Best Value theme"),
        ("directions", "Progress against each Direction"),
        ("plan", "The improvement plan"),
        ("measures", "Success measures"),
        ("risks", "Risks, issues and dependencies"),
        ("outlook", "Risks and next steps by theme"),
        ("board", "The Board's work"),
        ("new_recommendations", "New recommendations"),
        ("movement", "Movement since the previous stocktake"),
        ("expectations", "Expectations set in earlier reports"),
        ("next_period", "Expectations for the next period"),
    ],
}


class ThemeRating(models.TextChoices):
    """How a stocktake rates the council's progress on one Best Value theme."""

    GOOD = "good", "Good progress"
    SOME = "some", "Some progress"
    LIMITED = "limited", "Limited progress"
    CONCERN = "concern", "Serious concern"


THEME_RATING_TAG_COLOURS = {
    ThemeRating.GOOD: "green",
    ThemeRating.SOME: "yellow",
    ThemeRating.LIMITED: "orange",
    ThemeRating.CONCERN: "red",
}

# Signatories a covering letter has room for.
MAX_SIGNATORIES = 4


class ExpectationJudgement(models.TextChoices):
    """How the oversight judges an expectation it set, in its next stocktake."""

    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


class ExpectationState(models.TextChoices):
    """Where an expectation stands on a day (`reports.expectations.state_of`): judged, else
    answered and waiting for the judgement, else waiting for its answer (overdue once its due
    date has passed)."""

    AWAITING_ANSWER = "awaiting_answer", "Waiting for an answer"
    OVERDUE = "overdue", "Due, not answered"
    ANSWERED = "answered", "Answered, not yet judged"
    MET = "met", "Met"
    PARTLY_MET = "partly_met", "Partly met"
    NOT_MET = "not_met", "Not met"


EXPECTATION_STATE_TAG_COLOURS = {
    ExpectationState.AWAITING_ANSWER: "grey",
    ExpectationState.OVERDUE: "red",
    ExpectationState.ANSWERED: "blue",
    ExpectationState.MET: "green",
    ExpectationState.PARTLY_MET: "yellow",
    ExpectationState.NOT_MET: "red",
}

# The states in which an expectation is still open: anything short of judged met.
OPEN_STATES = frozenset(
    {
        ExpectationState.AWAITING_ANSWER,
        ExpectationState.OVERDUE,
        ExpectationState.ANSWERED,
        ExpectationState.PARTLY_MET,
        ExpectationState.NOT_MET,
    }
)


class ExitReadiness(models.TextChoices):
    """The oversight's judgement of whether the council could leave intervention on one Best
    Value theme (`reports.models.ExitJudgement`)."""

    READY = "ready", "Ready"
    NEARLY_READY = "nearly_ready", "Nearly ready"
    NOT_READY = "not_ready", "Not ready"


EXIT_READINESS_TAG_COLOURS = {
    ExitReadiness.READY: "green",
    ExitReadiness.NEARLY_READY: "yellow",
    ExitReadiness.NOT_READY: "red",
}
