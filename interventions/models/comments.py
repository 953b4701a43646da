"""Comments and challenges on a programme or milestone, kept as they were written."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from interventions.choices import CommentKind
from interventions.models.base import History, TimestampedModel


class Comment(TimestampedModel):
    """A challenge or comment by the oversight (an Envoy, a Commissioner …), a Board member or
    an officer on a programme or milestone. Comments are not edited or deleted: they are part
    of the record."""

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
