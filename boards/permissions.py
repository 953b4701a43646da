"""Who runs the Board, and who answers its recommendations.

- The improvement team of an intervention is the Board's secretariat: it creates and edits
  meetings, agendas, papers, attendance, minutes, the action log and recommendations, and may
  record and publish any response. Administrators may do everything.
- Where the intervention's model lets the oversight run boards (Commissioners, an Improvement
  and Assurance Board: `words.runs_boards_they_chair`), a member of the oversight runs the
  boards they chair on the day (a chair's membership of the board): its meetings, agendas,
  papers, attendance, minutes and action log. Envoys only advise, so they run none.
- A council officer records and publishes the council's response to the recommendations they
  own.
- The oversight, Board members and everyone else who can see the intervention read.
- Exempt papers are read only by those who can see the intervention, never by the public,
  and not by the Department, which reads only what is public (`readable_papers`).
- A response to a recommendation is read by everyone who can see the intervention once it is
  recorded, except the Department, which reads it once it is published
  (`can_read_response`, `recommendations_searchable`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from boards.choices import BoardRole
from interventions.access import roles
from interventions.access.permissions import (
    has_role,
    is_improvement_team_of,
    is_oversight_of,
    reads_only_published,
)

if TYPE_CHECKING:
    from boards.models import Board, Paper, Recommendation
    from interventions.access.permissions import User
    from interventions.models import Intervention


def is_secretariat_of(user: User, intervention: Intervention) -> bool:
    return is_improvement_team_of(user, intervention)


def chairs(user: User, board: Board, on: datetime.date | None = None) -> bool:
    """The user holds the chair of the board on the day (today unless given)."""
    if not user.is_authenticated:
        return False
    on = on or timezone.localdate()
    return (
        board.memberships.filter(role=BoardRole.CHAIR, person__user=user)
        .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=on))
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .exists()
    )


def can_run(user: User, board: Board) -> bool:
    """May change the board's meetings, agendas, papers, attendance, minutes and actions: the
    secretariat, or a member of the oversight who chairs it where the model lets them."""
    intervention = board.intervention
    if is_secretariat_of(user, intervention):
        return True
    return (
        intervention.words.runs_boards_they_chair
        and is_oversight_of(user, intervention)
        and chairs(user, board)
    )


def can_respond_to(user: User, recommendation: Recommendation) -> bool:
    """The recommendation's owner (a council officer), or the secretariat."""
    if is_secretariat_of(user, recommendation.intervention):
        return True
    owner = recommendation.owner
    return (
        owner is not None
        and owner.user_id is not None
        and owner.user_id == user.pk
        and has_role(user, roles.COUNCIL_OFFICER)
    )


def readable_papers(user: User, papers: QuerySet[Paper]) -> QuerySet[Paper]:
    """The papers of `papers` the user may read (the caller has checked they can see the
    intervention): all of them, or the public ones for the Department."""
    if reads_only_published(user):
        return papers.filter(exempt=False)
    return papers


def can_read_response(user: User, recommendation: Recommendation) -> bool:
    """May read the council's response as recorded: once published for the Department,
    as soon as it is recorded for everyone else who can see the intervention."""
    return recommendation.response_published or not reads_only_published(user)


def recommendations_searchable(
    user: User, recommendations: QuerySet[Recommendation]
) -> QuerySet[Recommendation]:
    """The recommendations whose text (the response included) the user's search may match:
    for the Department, those whose response, if any, is published, so that a search never
    finds a recommendation by words of a response it may not read yet."""
    if reads_only_published(user):
        return recommendations.filter(Q(published_on__isnull=False) | Q(response=""))
    return recommendations
