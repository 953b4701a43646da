"""Who reads what through the API, decided by the rules the pages use, never rules of its own.

An intervention is read in one of two ways:

- **in full**, by a signed-in user who may see it (`Intervention.objects.visible_to`, the rule
  of every signed-in page: `interventions.kit.pages.get_intervention`): everything its pages
  show them, exempt papers, unapproved minutes and unpublished responses included;
- **as published**, by anyone else while its public pages are switched on: exactly what the
  public pages show (`boards.public_views`: published meetings, public papers, approved
  minutes, published responses), and its Directions with their compliance.

Otherwise the intervention does not exist for the reader (404), as on the pages.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest

from boards.models import Meeting, Paper, Recommendation
from boards.public_views import public_meetings, public_papers, public_recommendations
from directions.models import Direction, DirectionQuerySet
from interventions.access.permissions import reads_only_published
from interventions.models import Intervention, Milestone, Programme
from interventions.querysets import MilestoneQuerySet, ProgrammeQuerySet


@dataclass(frozen=True)
class Reading:
    """One reader's view of one intervention: `full` for its own signed-in users."""

    intervention: Intervention
    full: bool
    # A signed-in reader of finished and public things only (the Department): read in full
    # but, as on the pages, without exempt papers or unpublished responses
    # (`interventions.access.permissions.reads_only_published`).
    published_only: bool = False

    @property
    def access(self) -> str:
        return "full" if self.full else "published"


def readable_interventions(request: HttpRequest) -> QuerySet[Intervention]:
    """The interventions the reader may see: their own (signed in), and every one whose public
    pages are on."""
    visible = Intervention.objects.visible_to(request.user).values("pk")
    return Intervention.objects.filter(Q(pk__in=visible) | Q(public_pages=True))


def reading(request: HttpRequest, slug: str) -> Reading:
    """How the reader reads the intervention `slug`; 404 if they may not read it at all."""
    own = (
        Intervention.objects.visible_to(request.user)
        .select_related("authority")
        .filter(slug=slug)
        .first()
    )
    if own is not None:
        return Reading(own, full=True, published_only=reads_only_published(request.user))
    published = (
        Intervention.objects.select_related("authority")
        .filter(slug=slug, public_pages=True)
        .first()
    )
    if published is None:
        raise Http404("No intervention with that name is open to you.")
    return Reading(published, full=False)


def full_reading(request: HttpRequest, slug: str) -> Reading:
    """As `reading`, for what only the intervention's own users read (the plan): 404 for
    everyone else, as the plan's pages are."""
    found = reading(request, slug)
    if not found.full:
        raise Http404("Only the intervention's own signed-in users read its plan.")
    return found


def directions(found: Reading) -> DirectionQuerySet:
    """Directions are published documents: every reader of the intervention reads them."""
    return Direction.objects.for_intervention(found.intervention)


def meetings(found: Reading) -> QuerySet[Meeting]:
    if found.full:
        return Meeting.objects.filter(board__intervention=found.intervention).select_related(
            "board"
        )
    return public_meetings(found.intervention)


def papers(found: Reading) -> QuerySet[Paper]:
    if found.full:
        every = Paper.objects.filter(meeting__board__intervention=found.intervention)
        if found.published_only:
            every = every.filter(exempt=False)
        return every.select_related("meeting__board", "agenda_item")
    return (
        public_papers()
        .filter(meeting__board__intervention=found.intervention)
        .select_related("meeting__board", "agenda_item")
    )


def recommendations(found: Reading) -> QuerySet[Recommendation]:
    if found.full:
        return Recommendation.objects.filter(intervention=found.intervention).select_related(
            "intervention", "meeting__board", "owner"
        )
    return public_recommendations(found.intervention)


def programmes(found: Reading) -> ProgrammeQuerySet:
    return Programme.objects.for_list().filter(intervention=found.intervention)


def milestones(found: Reading) -> MilestoneQuerySet:
    return Milestone.objects.for_list().filter(programme__intervention=found.intervention)
