"""Calendar feeds of deadlines and the reminder emails sent about them."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone

from interventions.models.base import TimestampedModel


def new_token() -> str:
    return secrets.token_urlsafe(32)


class FeedTokenQuerySet(models.QuerySet["FeedToken"]):
    def live(self) -> FeedTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class FeedToken(TimestampedModel):
    """The secret in a calendar feed's address, so a calendar program can subscribe without
    signing in. A feed is of one intervention's deadlines: all of them, or only those of the
    token's owner (`mine_only`). Revoking the token ends the feed for good."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_tokens"
    )
    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="feed_tokens"
    )
    mine_only = models.BooleanField(
        default=False, help_text="Only the deadlines the user is responsible for."
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = FeedTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created"]

    def __str__(self) -> str:
        scope = "my deadlines" if self.mine_only else "all deadlines"
        return f"{self.user} — {self.intervention}, {scope}"

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at", "updated"])


class ReminderSent(models.Model):
    """One daily digest of deadlines emailed to a person; kept so a second run on the same day
    sends nothing twice."""

    person = models.ForeignKey(
        "interventions.Person", on_delete=models.CASCADE, related_name="reminders_sent"
    )
    sent_on = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)
    email = models.EmailField()
    items = models.PositiveIntegerField(help_text="How many deadlines the digest listed.")

    class Meta:
        ordering = ["-sent_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "sent_on"], name="one_reminder_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.sent_on:%-d %b %Y}"
