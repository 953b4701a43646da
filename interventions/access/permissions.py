"""Who may change what, checked on the server for every change.

- An administrator may change anything.
- The improvement team may update everything in the interventions they are named in, decide
  change requests, delegate, and change the shape of the plan (aims and programmes).
- A council officer may update the programmes they sponsor or are SRO of, and what has been
  delegated to them (a whole programme or one milestone), while the delegation lasts.
- The oversight (Envoys, Commissioners, the members of an Improvement and Assurance Board:
  the role group `roles.OVERSIGHT`) and Board members read everything in their intervention and
  may comment or challenge; so may anyone else who can see it. What the oversight may also do
  (write its own reports, run the boards it chairs) is in `reports.permissions` and
  `boards.permissions`, as the intervention's model gives it.
- A challenge is answered by whoever may update what it challenges (its sponsor or SRO, their
  delegates, the improvement team), and resolved by the person who raised it or the
  improvement team; only these take part in its thread (`can_answer`, `can_resolve`).
- The Department reads the interventions it is granted and changes nothing: it may not
  comment or challenge (`can_comment`), and is refused drafts, exempt papers and unpublished
  responses (`reads_only_published`, asked by `reports.permissions` and `boards.permissions`).
- Nobody edits or deletes history, comments or decided change requests.

Seeing an intervention at all is `Intervention.objects.visible_to(user)`.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.utils import timezone

from interventions.access import roles
from interventions.models import (
    Appointment,
    Comment,
    Intervention,
    Milestone,
    Person,
    Programme,
)
from interventions.querysets import MilestoneQuerySet, group_names, sees_everything

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.auth.models import User as Account

    User = Account | AnonymousUser


def has_role(user: User, role: str) -> bool:
    return role in group_names(user)


def person_in(user: User, intervention: Intervention) -> Person | None:
    """The user's person record in the intervention, if they are named in it."""
    if not user.is_authenticated:
        return None
    # Each page asks several rules, each asking this: the answer is kept on the request's
    # user object, one per intervention.
    kept: dict[int, Person | None] | None = getattr(user, _PEOPLE, None)
    if kept is None:
        kept = {}
        setattr(user, _PEOPLE, kept)
    if intervention.pk not in kept:
        kept[intervention.pk] = Person.objects.filter(intervention=intervention, user=user).first()
    return kept[intervention.pk]


_PEOPLE = "_stocktake_people"


def is_oversight_of(user: User, intervention: Intervention) -> bool:
    """The user oversees the council in this intervention (an Envoy, a Commissioner …)."""
    return has_role(user, roles.OVERSIGHT) and person_in(user, intervention) is not None


def role_name_in(user: User, intervention: Intervention, on: datetime.date | None = None) -> str:
    """The user's role as the intervention's model names it: a Commissioner is shown as
    "Commissioner" (or "Lead Commissioner" while appointed as one), never "Envoy"."""
    if not user.is_authenticated:
        return ""
    if sees_everything(user):
        return roles.ADMINISTRATOR
    words = intervention.words
    if has_role(user, roles.OVERSIGHT):
        on = on or timezone.localdate()
        held = [
            appointment.role
            for appointment in Appointment.objects.filter(
                person__intervention=intervention, person__user=user, role__in=list(words.roles)
            ).current(on)
        ]
        named = [name for role, name in words.roles.items() if role in held]
        return named[0] if named else words.oversight
    return next((name for name in roles.ROLE_NAMES if has_role(user, name)), "")


def reads_only_published(user: User) -> bool:
    """The user reads only what is finished or public: issued reports, public papers and
    published responses. The Department's rule, outside any one intervention; an
    administrator reads everything whatever their groups."""
    return has_role(user, roles.DEPARTMENT) and not sees_everything(user)


def sees_portfolio(user: User) -> bool:
    """The portfolio, every granted intervention side by side, is the Department's page (and
    an administrator's)."""
    return has_role(user, roles.DEPARTMENT) or sees_everything(user)


def is_improvement_team_of(user: User, intervention: Intervention) -> bool:
    if sees_everything(user):
        return True
    return has_role(user, roles.IMPROVEMENT_TEAM) and person_in(user, intervention) is not None


def _delegated(on: datetime.date) -> Q:
    return Q(delegations__starts_on__lte=on) & (
        Q(delegations__ends_on__isnull=True) | Q(delegations__ends_on__gte=on)
    )


def programmes_editable_by(user: User, on: datetime.date | None = None) -> QuerySet[Programme]:
    """Every programme the user may update (status, RAG, period updates, evidence)."""
    on = on or timezone.localdate()
    programmes = Programme.objects.all()
    if not user.is_authenticated:
        return programmes.none()
    if sees_everything(user):
        return programmes
    mine = Q(intervention__people__user=user)
    if has_role(user, roles.IMPROVEMENT_TEAM):
        return programmes.filter(mine).distinct()
    if has_role(user, roles.COUNCIL_OFFICER):
        owned = Q(sponsor__user=user) | Q(sro__user=user)
        delegated = _delegated(on) & Q(
            delegations__person__user=user, delegations__milestone__isnull=True
        )
        return programmes.filter(owned | delegated).distinct()
    return programmes.none()


def milestones_editable_by(user: User, on: datetime.date | None = None) -> MilestoneQuerySet:
    """Every milestone the user may update: those of their programmes, and those delegated."""
    on = on or timezone.localdate()
    programmes = programmes_editable_by(user, on)
    milestones = Milestone.objects.filter(programme__in=programmes.values("pk"))
    if (
        user.is_authenticated
        and has_role(user, roles.COUNCIL_OFFICER)
        and not sees_everything(user)
    ):
        delegated = Milestone.objects.filter(_delegated(on), delegations__person__user=user).values(
            "pk"
        )
        milestones = Milestone.objects.filter(
            Q(programme__in=programmes.values("pk")) | Q(pk__in=delegated)
        )
    return milestones


def can_update_programme(user: User, programme: Programme) -> bool:
    return programmes_editable_by(user).filter(pk=programme.pk).exists()


def can_update_milestone(user: User, milestone: Milestone) -> bool:
    return milestones_editable_by(user).filter(pk=milestone.pk).exists()


def can_decide_changes(user: User, intervention: Intervention) -> bool:
    """Approving or rejecting change requests is the improvement team's."""
    return is_improvement_team_of(user, intervention)


def can_delegate(user: User, programme: Programme) -> bool:
    """The improvement team, and the programme's own sponsor and SRO, may delegate it."""
    if is_improvement_team_of(user, programme.intervention):
        return True
    return has_role(user, roles.COUNCIL_OFFICER) and user.pk in {
        getattr(programme.sponsor, "user_id", None),
        getattr(programme.sro, "user_id", None),
    }


def can_change_plan(user: User, intervention: Intervention) -> bool:
    """Adding, renumbering, moving, merging and closing aims and programmes is the
    improvement team's, as managing the plan is."""
    return is_improvement_team_of(user, intervention)


def can_comment(user: User, intervention: Intervention) -> bool:
    """Anyone who can see an intervention may comment on or challenge its plan, except the
    Department, which only reads."""
    if reads_only_published(user):
        return False
    return Intervention.objects.visible_to(user).filter(pk=intervention.pk).exists()


def can_answer(user: User, challenge: Comment) -> bool:
    """The owner of what is challenged answers it: whoever may update the milestone (or the
    programme, for a challenge on the programme as a whole), so the sponsor and SRO, their
    delegates and the improvement team."""
    if challenge.milestone_id is not None:
        return milestones_editable_by(user).filter(pk=challenge.milestone_id).exists()
    return programmes_editable_by(user).filter(pk=challenge.programme_id).exists()


def can_resolve(user: User, challenge: Comment) -> bool:
    """Whoever raised the challenge says whether the answer settles it; the improvement team,
    which keeps the record, may also close it (when the challenger has left, say)."""
    if not user.is_authenticated:
        return False
    if challenge.author_id == user.pk:
        return True
    return is_improvement_team_of(user, challenge.programme.intervention)


def can_reply(user: User, challenge: Comment) -> bool:
    """A challenge's thread is between those who answer it and those who may resolve it."""
    return can_resolve(user, challenge) or can_answer(user, challenge)
