"""Who runs the Board, and who answers its recommendations.

- The improvement team of an intervention is the Board's secretariat: it creates and edits
  meetings, agendas, papers, attendance, minutes, the action log and recommendations, and may
  record and publish any response. Administrators may do everything.
- A council officer records and publishes the council's response to the recommendations they
  own.
- Envoys, Board members and everyone else who can see the intervention read.
- Exempt papers are read only by those who can see the intervention, never by the public.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interventions.access import roles
from interventions.access.permissions import has_role, is_improvement_team_of

if TYPE_CHECKING:
    from boards.models import Recommendation
    from interventions.access.permissions import User
    from interventions.models import Intervention


def is_secretariat_of(user: User, intervention: Intervention) -> bool:
    return is_improvement_team_of(user, intervention)


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
