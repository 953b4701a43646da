"""Who may do what with success measures, checked on the server for every change.

As with milestones: a measure's owner enters its readings (and corrects them); the
improvement team manages the measures (adds, edits, enters readings for any of them and
records the Board's agreement); the oversight (Envoys, Commissioners …: `roles.OVERSIGHT`)
of the intervention agrees a measure on its behalf. Everyone who can see the intervention
reads them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from interventions.access.permissions import (
    is_improvement_team_of,
    is_oversight_of,
    person_in,
)
from interventions.models import Intervention, Measure, Person
from interventions.querysets import sees_everything

if TYPE_CHECKING:
    from interventions.access.permissions import User


def can_manage_measures(user: User, intervention: Intervention) -> bool:
    """Adding and editing measures, and recording the Board's agreement: the improvement
    team's (and an administrator's)."""
    return is_improvement_team_of(user, intervention)


def can_enter_reading(user: User, measure: Measure) -> bool:
    """A measure's owner enters its readings; so may the improvement team."""
    if not user.is_authenticated:
        return False
    if is_improvement_team_of(user, measure.intervention):
        return True
    owner = measure.owner
    return owner is not None and owner.user_id is not None and owner.user_id == user.pk


def oversight_person(user: User, intervention: Intervention) -> Person | None:
    """The person who agrees a measure for the oversight: the user's record, if they are
    the intervention's oversight (an administrator is not)."""
    if sees_everything(user) or not is_oversight_of(user, intervention):
        return None
    return person_in(user, intervention)


def can_agree_measure(user: User, measure: Measure) -> bool:
    """Agreeing a measure for the oversight is the oversight's own act: only a member of
    the intervention's oversight may do it."""
    return oversight_person(user, measure.intervention) is not None
