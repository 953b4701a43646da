"""Comments and challenges on a programme or milestone, kept as they were written, and the
replies that answer a challenge until it is resolved."""

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
    # A reply belongs to a challenge's thread; a challenge or comment has no parent.
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    # A challenge is answered by the first reply of someone who may answer it (the owner of
    # what is challenged, a delegate or the improvement team), and resolved by the challenger
    # or the improvement team. A challenger's reply after an answer asks again: the answer is
    # cleared, and history keeps it.
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["created"]
        indexes = [
            models.Index(
                fields=["kind", "resolved_at", "answered_at"], name="comment_open_challenges"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} by {self.author} on {self.milestone or self.programme}"

    @property
    def is_challenge(self) -> bool:
        return self.kind == CommentKind.CHALLENGE and self.parent_id is None

    @property
    def state(self) -> str:
        """ "resolved", "answered" or "open" (awaiting an answer); "" for comments and replies."""
        if not self.is_challenge:
            return ""
        if self.resolved_at is not None:
            return "resolved"
        if self.answered_at is not None:
            return "answered"
        return "open"

    @property
    def subject(self) -> str:
        """What the challenge is about, as a reader names it: "milestone 7.3", "programme 7"."""
        if self.milestone_id is not None:
            return f"milestone {self.milestone.label}"  # type: ignore[union-attr]
        return f"programme {self.programme.number}"

    def get_absolute_url(self) -> str:
        target = self.milestone if self.milestone_id is not None else self.programme
        assert target is not None
        return f"{target.get_absolute_url()}#comment-{self.parent_id or self.pk}"
