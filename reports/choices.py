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

# The sections of each kind of report that carry their own commentary, in reading order.
SECTIONS: dict[str, list[tuple[str, str]]] = {
    ReportKind.BOARD: [
        ("programmes", "Programme delivery"),
        ("milestones", "Milestones completed and slipped"),
        ("decisions", "Risks and decisions needed"),
        ("movement", "Movement since the previous report"),
    ],
    ReportKind.SOS: [
        ("directions", "Compliance with each Direction"),
        ("plan", "The improvement plan"),
        ("board", "The Board's work"),
        ("recommendations", "Recommendations and responses"),
        ("movement", "Movement since the previous report"),
        ("next_period", "The next period"),
    ],
    ReportKind.STOCKTAKE: [
        ("themes", "Judgement by Best Value theme"),
        ("movement", "Movement since the previous stocktake"),
        ("next_period", "Expectations for the next period"),
    ],
}
