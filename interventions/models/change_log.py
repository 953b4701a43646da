"""The change log: one row per history record, saying whether What changed lists it and as
which kinds of change, so that the page can count, filter and page in SQL.

Derived data, never the record: every row follows from a history record, the record before it
and their links (`interventions.history.change_log` writes it as each change is saved, and
`manage.py rebuild_change_log` writes it again from history). A test checks it against history.
"""

from __future__ import annotations

from django.db import models


class ChangeLog(models.Model):
    """What the audit trail's reader makes of one history record (docs/performance.md).

    `model` and `history_id` name the record (the label of the audited model, such as
    "interventions.milestone", and the record's id in that model's history table); when it was
    recorded, who by and which intervention it belongs to are copied from it so that a range
    of an intervention's changes is read from one index; `rank` orders records of one moment.
    `shown` is False for a save with nothing a reader would see as a change; `kinds` holds
    the kinds of change it is, each between spaces (" new rag "), for the kind-of-change
    filter.
    """

    model = models.CharField(max_length=60)
    history_id = models.IntegerField()
    intervention_id = models.IntegerField(null=True)
    history_date = models.DateTimeField()
    # Where the record's model comes in What changed's order of records made at one moment.
    rank = models.PositiveSmallIntegerField()
    user_id = models.IntegerField(null=True)
    shown = models.BooleanField()
    kinds = models.CharField(max_length=200, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["model", "history_id"], name="change_log_record"),
        ]
        indexes = [
            # A range of an intervention's changes in the order pages show them; with shown
            # and model in it (as keys: SQLite has no INCLUDE), counting and paging read the
            # index alone.
            models.Index(
                fields=[
                    "intervention_id",
                    "-history_date",
                    "-rank",
                    "-history_id",
                    "shown",
                    "model",
                ],
                name="change_log_by_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.model} #{self.history_id}"
