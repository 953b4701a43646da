"""Who may do what with the RAID log (risks, issues and dependencies), checked on the server
for every change.

As with milestones and success measures: a risk's owner updates it (edits it, reviews it,
adds and updates its mitigations, closes it); the improvement team manages the log (adds
risks and does all an owner does, for any risk). The oversight (Envoys, Commissioners …),
Board members and everyone else who can see the intervention read it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from interventions.access.permissions import is_improvement_team_of
from interventions.models import Intervention, Risk

if TYPE_CHECKING:
    from interventions.access.permissions import User


def can_manage_risks(user: User, intervention: Intervention) -> bool:
    """Adding risks to the log: the improvement team's (and an administrator's)."""
    return is_improvement_team_of(user, intervention)


def can_update_risk(user: User, risk: Risk) -> bool:
    """A risk's owner updates it; so may the improvement team."""
    if not user.is_authenticated:
        return False
    if is_improvement_team_of(user, risk.intervention):
        return True
    owner = risk.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def risks_owned_by(user: User) -> Q:
    """The risks whose owner is the user's person record (in any intervention)."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    return Q(owner__user=user)


def risks_updatable_by(user: User, team: QuerySet[Intervention]) -> Q:
    """The risks the user updates: their own, and every risk of the interventions in `team`
    (those whose improvement team they are in)."""
    return risks_owned_by(user) | Q(intervention__in=team.values("pk"))
