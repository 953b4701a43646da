"""Boards that oversee an intervention, their members and meetings, and recommendations."""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from simple_history.models import HistoricForeignKey

from boards.choices import (
    BoardKind,
    BoardRole,
    MeetingKind,
    MeetingStatus,
    RecommendationSource,
    RecommendationStatus,
)
from interventions.models.base import History, TimestampedModel


class Board(TimestampedModel):
    """A board or committee with a part in the intervention (TAB, Internal Assurance Board …)."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="boards"
    )
    key = models.SlugField(max_length=80)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=BoardKind.choices)
    purpose = models.TextField(blank=True)
    cadence_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Months between meetings."
    )
    history = History()

    class Meta:
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["intervention", "key"], name="board_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class BoardMembership(TimestampedModel):
    """A person's seat on a board for a dated period."""

    board = models.ForeignKey(Board, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "interventions.Person", on_delete=models.CASCADE, related_name="board_memberships"
    )
    role = models.CharField(max_length=20, choices=BoardRole.choices)
    theme = models.ForeignKey(
        "interventions.Theme", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=200, blank=True, help_text="The role as written.")
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    history = History()

    class Meta:
        ordering = ["board", "role", "person__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="membership_ends_after_it_starts",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person} — {self.title or self.get_role_display()}"


class Meeting(TimestampedModel):
    """A meeting of a board."""

    board = HistoricForeignKey(Board, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField()
    title = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=MeetingKind.choices, default=MeetingKind.FORMAL)
    status = models.CharField(
        max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    published = models.BooleanField(default=False, help_text="Papers are published.")
    summary = models.TextField(blank=True)
    source = models.TextField(blank=True)
    history = History()

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["board", "date"], name="meeting_date_unique")
        ]

    def __str__(self) -> str:
        label = self.title or self.get_kind_display()
        return f"{self.board.name}, {self.date:%-d %B %Y}: {label}"


class Recommendation(TimestampedModel):
    """A recommendation to the council, from any source, and the council's response."""

    intervention = models.ForeignKey(
        "interventions.Intervention", on_delete=models.CASCADE, related_name="recommendations"
    )
    reference = models.CharField(max_length=40)
    source = models.CharField(max_length=30, choices=RecommendationSource.choices)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="recommendations"
    )
    source_document = models.TextField(blank=True)
    title = models.CharField(max_length=300)
    text = models.TextField()
    made_on = models.DateField()
    response_due = models.DateField(null=True, blank=True)
    owner = models.ForeignKey(
        "interventions.Person",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="owned_recommendations",
    )
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    published_on = models.DateField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=RecommendationStatus.choices, default=RecommendationStatus.OPEN
    )
    directions = models.ManyToManyField(
        "directions.Direction", blank=True, related_name="recommendations"
    )
    programmes = models.ManyToManyField(
        "interventions.Programme", blank=True, related_name="recommendations"
    )
    history = History(m2m_fields=[directions, programmes])

    class Meta:
        ordering = ["made_on", "reference"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "reference"], name="recommendation_reference_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(published_on__isnull=True)
                | models.Q(responded_on__isnull=False),
                name="recommendation_published_only_when_responded",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.title}"

    def get_absolute_url(self) -> str:
        return reverse(
            "boards:recommendation_detail",
            kwargs={"slug": self.intervention.slug, "pk": self.pk},
        )
