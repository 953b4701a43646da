"""What lands in a person's inbox, one source per kind of work.

A source is a queryset of the user's items across every intervention they take part in, the
path from an item to its intervention, the order items are listed in, and the template of one
item. Everything else (capping each intervention's list in SQL, counting the rest, the header's
count, the digest) is done the same way for every source by `interventions.inbox.items`, so a
new kind of work (measures and risks to review, say) is one more `Source` in `SOURCES`.

Who sees what follows the rules of `interventions.access.permissions` and
`boards.permissions`: an item is listed only to someone who may act on it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse

from boards.models import Recommendation
from interventions.access import permissions, roles
from interventions.access.risks import risks_updatable_by
from interventions.choices import ChangeStatus, CommentKind
from interventions.dates.periods import ReportingPeriod
from interventions.models import (
    ChangeRequest,
    Comment,
    Delegation,
    Intervention,
    Programme,
    ProgrammeUpdate,
    Risk,
)
from interventions.querysets import sees_everything
from interventions.schedule import CLOSED_STATUSES
from reports.expectation_lists import set_by
from reports.models import Expectation

if TYPE_CHECKING:
    from interventions.access.permissions import User

Rows = Callable[["User", datetime.date], QuerySet[Any]]


@dataclass(frozen=True)
class Source:
    """One kind of work in the inbox."""

    key: str
    # The heading of its list; "{period}" and "{days}" are filled in.
    heading: str
    # Whether its items count in the header's "My work (N)" and in the digest's subject: work
    # waiting for the user. Their own requests waiting for someone else, delegations and what
    # is merely coming up are listed but not counted.
    counted: bool
    rows: Rows
    # From an item to its intervention's id, to cap each intervention's list.
    intervention: str
    order: tuple[str, ...]
    related: tuple[str, ...]
    # The page that lists them all, when an intervention has more than are shown.
    see_all: Callable[[Intervention, datetime.date], str]
    # What the inbox says when one intervention has none of them.
    empty: str = ""

    @property
    def template(self) -> str:
        return f"inbox/items/{self.key}.html"

    def title(self, today: datetime.date) -> str:
        return self.heading.format(
            period=ReportingPeriod.containing(today).label, days=settings.DUE_SOON_DAYS
        )


def team_interventions(user: User) -> QuerySet[Intervention]:
    """The interventions whose improvement team the user is in (every one, for administrators)."""
    if not user.is_authenticated:
        return Intervention.objects.none()
    if sees_everything(user):
        return Intervention.objects.all()
    if permissions.has_role(user, roles.IMPROVEMENT_TEAM):
        return Intervention.objects.filter(people__user=user)
    return Intervention.objects.none()


# The rows of each source


def changes_to_decide(user: User, today: datetime.date) -> QuerySet[ChangeRequest]:
    """Pending change requests in the interventions whose improvement team decides them."""
    return ChangeRequest.objects.filter(
        status=ChangeStatus.PENDING,
        milestone__programme__intervention__in=team_interventions(user).values("pk"),
    )


def my_pending_changes(user: User, today: datetime.date) -> QuerySet[ChangeRequest]:
    """The user's own change requests still waiting for a decision."""
    if not user.is_authenticated:
        return ChangeRequest.objects.none()
    return ChangeRequest.objects.filter(status=ChangeStatus.PENDING, requested_by=user)


def _open_challenges() -> QuerySet[Comment]:
    return Comment.objects.filter(
        kind=CommentKind.CHALLENGE, parent__isnull=True, resolved_at__isnull=True
    )


def challenges_to_answer(user: User, today: datetime.date) -> QuerySet[Comment]:
    """Challenges awaiting an answer on what the user may update (`permissions.can_answer`),
    other than their own."""
    if not user.is_authenticated:
        return Comment.objects.none()
    milestones = permissions.milestones_editable_by(user, on=today).values("pk")
    programmes = permissions.programmes_editable_by(user, on=today).values("pk")
    return (
        _open_challenges()
        .filter(answered_at__isnull=True)
        .filter(Q(milestone__in=milestones) | Q(milestone__isnull=True, programme__in=programmes))
        .exclude(author=user)
    )


def challenges_to_resolve(user: User, today: datetime.date) -> QuerySet[Comment]:
    """The user's own challenges that have been answered: do they settle it?"""
    if not user.is_authenticated:
        return Comment.objects.none()
    return _open_challenges().filter(author=user, answered_at__isnull=False)


def recommendations_to_respond_to(user: User, today: datetime.date) -> QuerySet[Recommendation]:
    """Recommendations with no response recorded that the user answers
    (`boards.permissions.can_respond_to`): those they own as a council officer and, for the
    improvement team, those nobody owns yet."""
    if not user.is_authenticated:
        return Recommendation.objects.none()
    mine = Q(pk__in=[])
    if permissions.has_role(user, roles.COUNCIL_OFFICER):
        mine = Q(owner__user=user)
    unowned = Q(owner__isnull=True, intervention__in=team_interventions(user).values("pk"))
    return Recommendation.objects.filter(responded_on__isnull=True).filter(mine | unowned)


def expectations_to_answer(user: User, today: datetime.date) -> QuerySet[Expectation]:
    """Expectations set in a report issued by `today`, neither answered nor judged, that the
    user answers (`reports.permissions.can_answer_expectation`): those that fall to them and,
    for the improvement team, those that fall to nobody yet."""
    if not user.is_authenticated:
        return Expectation.objects.none()
    unowned = Q(owner__isnull=True, intervention__in=team_interventions(user).values("pk"))
    return (
        Expectation.objects.unanswered().filter(set_by(today)).filter(Q(owner__user=user) | unowned)
    )


def delegations_received(user: User, today: datetime.date) -> QuerySet[Delegation]:
    """What others have delegated to the user, current or starting later."""
    if not user.is_authenticated:
        return Delegation.objects.none()
    return Delegation.objects.filter(person__user=user).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=today)
    )


def programmes_needing_update(user: User, today: datetime.date) -> QuerySet[Programme]:
    """The user's open programmes without an update for the current reporting period."""
    current = ReportingPeriod.containing(today)
    return (
        Programme.objects.filter(
            pk__in=permissions.programmes_editable_by(user, on=today).values("pk")
        )
        .exclude(status__in=CLOSED_STATUSES)
        .exclude(
            Exists(
                ProgrammeUpdate.objects.filter(programme=OuterRef("pk"), period_start=current.start)
            )
        )
    )


def _open_milestones(user: User, today: datetime.date) -> QuerySet[Any]:
    # Filtered directly, not as `pk IN (…)` of them: PostgreSQL then scans the milestones once
    # rather than looking each of the user's up by its id (a third of the header's count).
    return (
        permissions.milestones_editable_by(user, on=today)
        .exclude(status__in=CLOSED_STATUSES)
        .with_due()
    )


def overdue_milestones(user: User, today: datetime.date) -> QuerySet[Any]:
    return _open_milestones(user, today).filter(due__lt=today)


def milestones_due_soon(user: User, today: datetime.date) -> QuerySet[Any]:
    soon = today + datetime.timedelta(days=settings.DUE_SOON_DAYS)
    return _open_milestones(user, today).filter(due__gte=today, due__lte=soon)


def risk_reviews_overdue(user: User, today: datetime.date) -> QuerySet[Risk]:
    """Open risks whose review date has passed: the user's own, and every one of the
    interventions whose improvement team they are in (`interventions.access.risks`)."""
    if not user.is_authenticated:
        return Risk.objects.none()
    return Risk.objects.review_overdue(today).filter(
        risks_updatable_by(user, team_interventions(user))
    )


# Where "see all" goes for each


def _url(name: str, intervention: Intervention, query: str = "", **kwargs: Any) -> str:
    return reverse(f"interventions:{name}", kwargs={"slug": intervention.slug, **kwargs}) + query


def _recommendations_url(intervention: Intervention, today: datetime.date) -> str:
    url = reverse("boards:recommendation_list", kwargs={"slug": intervention.slug})
    return f"{url}?status=open"


SOURCES: tuple[Source, ...] = (
    Source(
        key="changes_to_decide",
        heading="Change requests to decide",
        counted=True,
        rows=changes_to_decide,
        intervention="milestone__programme__intervention_id",
        order=("created", "pk"),
        related=("milestone__programme__intervention", "requested_by"),
        see_all=lambda i, today: _url("change_request_list", i, "?status=pending"),
    ),
    Source(
        key="challenges_to_answer",
        heading="Challenges to answer",
        counted=True,
        rows=challenges_to_answer,
        intervention="programme__intervention_id",
        order=("created", "pk"),
        related=("programme__intervention", "milestone__programme__intervention", "author"),
        see_all=lambda i, today: _url("programme_list", i),
    ),
    Source(
        key="challenges_to_resolve",
        heading="Your challenges that have been answered",
        counted=True,
        rows=challenges_to_resolve,
        intervention="programme__intervention_id",
        order=("answered_at", "pk"),
        related=(
            "programme__intervention",
            "milestone__programme__intervention",
            "answered_by",
            "author",
        ),
        see_all=lambda i, today: _url("programme_list", i),
    ),
    Source(
        key="recommendations",
        heading="Recommendations to respond to",
        counted=True,
        rows=recommendations_to_respond_to,
        intervention="intervention_id",
        order=("response_due", "made_on", "pk"),
        related=("intervention", "owner"),
        see_all=_recommendations_url,
    ),
    Source(
        key="expectations",
        heading="Expectations to answer",
        counted=True,
        rows=expectations_to_answer,
        intervention="intervention_id",
        order=("due_on", "report__as_of", "pk"),
        related=("intervention", "report__intervention", "owner"),
        see_all=lambda i, today: (
            reverse("reports:expectation_list", kwargs={"slug": i.slug}) + "?state=open"
        ),
    ),
    Source(
        key="overdue",
        heading="Overdue milestones",
        counted=True,
        rows=overdue_milestones,
        intervention="programme__intervention_id",
        order=("due", "programme__number", "position"),
        related=("programme__intervention",),
        see_all=lambda i, today: _url("milestone_list", i, "?schedule=overdue"),
        empty="Nothing is overdue.",
    ),
    Source(
        key="risk_reviews",
        heading="Risks whose review is overdue",
        counted=True,
        rows=risk_reviews_overdue,
        intervention="intervention_id",
        order=("review_on", "reference", "pk"),
        related=("intervention", "owner"),
        see_all=lambda i, today: _url("risk_list", i, "?review=overdue"),
    ),
    Source(
        key="needs_update",
        heading="Programmes that need an update for {period}",
        counted=True,
        rows=programmes_needing_update,
        intervention="intervention_id",
        order=("number",),
        related=("intervention", "sro"),
        see_all=lambda i, today: _url("programme_list", i),
    ),
    Source(
        key="due_soon",
        heading="Milestones due in the next {days} days",
        counted=False,
        rows=milestones_due_soon,
        intervention="programme__intervention_id",
        order=("due", "programme__number", "position"),
        related=("programme__intervention",),
        see_all=lambda i, today: _url("deadline_next", i, days=settings.DUE_SOON_DAYS),
        empty="Nothing is due in the next {days} days.",
    ),
    Source(
        key="my_changes",
        heading="Your change requests waiting for a decision",
        counted=False,
        rows=my_pending_changes,
        intervention="milestone__programme__intervention_id",
        order=("created", "pk"),
        related=("milestone__programme__intervention",),
        see_all=lambda i, today: _url("change_request_list", i, "?status=pending"),
    ),
    Source(
        key="delegations",
        heading="Delegated to you",
        counted=False,
        rows=delegations_received,
        intervention="programme__intervention_id",
        order=("starts_on", "pk"),
        related=("programme__intervention", "milestone__programme__intervention", "granted_by"),
        see_all=lambda i, today: _url("programme_list", i),
    ),
)


def order_fields(source: Source) -> list[Any]:
    """The source's order as expressions, nulls last (a recommendation with no due date
    comes after those with one)."""
    return [F(name).asc(nulls_last=True) for name in source.order]
