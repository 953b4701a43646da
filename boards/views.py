"""Pages of an intervention's boards, meetings and recommendations."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from boards.filters import BoardFilterSet, RecommendationFilterSet
from boards.models import Board, Recommendation
from boards.permissions import can_read_response, can_respond_to, can_run, is_secretariat_of
from boards.tables import BoardTable, MeetingTable, MembershipTable, RecommendationTable
from directions.models import Direction
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Intervention, Milestone, Programme


def held_on(day: datetime.date, prefix: str = "") -> Q:
    """Memberships (or anything with starts_on/ends_on) that are held on `day`."""
    return (Q(**{f"{prefix}starts_on__isnull": True}) | Q(**{f"{prefix}starts_on__lte": day})) & (
        Q(**{f"{prefix}ends_on__isnull": True}) | Q(**{f"{prefix}ends_on__gte": day})
    )


class BoardListView(ObjectListView):
    intervention_field = "intervention"
    filterset_class = BoardFilterSet
    table_class = BoardTable
    title = "Boards"
    section = "boards"

    def get_queryset(self) -> QuerySet[Board]:
        today = timezone.localdate()
        queryset = Board.objects.select_related("intervention", "parent").annotate(
            current_members=Count(
                "memberships", filter=held_on(today, "memberships__"), distinct=True
            ),
            meeting_count=Count("meetings", distinct=True),
        )
        return queryset.filter(intervention=self.intervention)


class RecommendationListView(ObjectListView):
    queryset = Recommendation.objects.select_related("intervention", "owner")
    intervention_field = "intervention"
    filterset_class = RecommendationFilterSet
    table_class = RecommendationTable
    title = "Recommendations"
    section = "recommendations"
    template_name = "boards/recommendation_list.html"

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        assert self.intervention is not None
        context["can_add"] = is_secretariat_of(self.request.user, self.intervention)
        context["overdue_count"] = (
            Recommendation.objects.filter(intervention=self.intervention)
            .overdue(timezone.localdate())
            .count()
        )
        return context


@intervention_page
def board_detail(request: HttpRequest, intervention: Intervention, key: str) -> HttpResponse:
    board = get_object_or_404(
        Board.objects.select_related("intervention", "parent"), intervention=intervention, key=key
    )
    members = MembershipTable(board.memberships.select_related("person", "theme"))
    members.caption = "Members"
    meetings = MeetingTable(board.meetings.select_related("board__intervention"))
    meetings.caption = "Meetings"
    for table in (members, meetings):
        RequestConfig(request, paginate=False).configure(table)
    today = timezone.localdate()
    last_meeting = board.meetings.filter(date__lte=today).exclude(status="cancelled").last()
    context = {
        "intervention": intervention,
        "section": "boards",
        "crumbs": crumbs_for(
            intervention,
            ("Boards", reverse("boards:board_list", kwargs={"slug": intervention.slug})),
        ),
        "board": board,
        "members": members,
        "meetings": meetings,
        "composition": board.composition(today),
        "last_meeting": last_meeting,
        "changes_until": today,
        "next_date": board.next_meeting_date(),
        "can_run": can_run(request.user, board),
        "sub_boards": list(board.sub_boards.order_by("name")),
    }
    return render(request, "boards/board_detail.html", context)


@intervention_page
def recommendation_detail(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    recommendation = get_object_or_404(
        Recommendation.objects.select_related(
            "intervention", "owner", "meeting__board"
        ).prefetch_related(
            Prefetch(
                "directions",
                Direction.objects.select_related("parent", "direction_set__intervention"),
            ),
            Prefetch("programmes", Programme.objects.select_related("intervention")),
            Prefetch("milestones", Milestone.objects.select_related("programme__intervention")),
        ),
        intervention=intervention,
        pk=pk,
    )
    today = timezone.localdate()
    context = {
        "intervention": intervention,
        "section": "recommendations",
        "crumbs": crumbs_for(
            intervention,
            (
                "Recommendations",
                reverse("boards:recommendation_list", kwargs={"slug": intervention.slug}),
            ),
        ),
        "recommendation": recommendation,
        "overdue": recommendation.is_overdue(today),
        "today": today,
        "can_edit": is_secretariat_of(request.user, intervention),
        "can_respond": can_respond_to(request.user, recommendation),
        "can_read_response": can_read_response(request.user, recommendation),
    }
    return render(request, "boards/recommendation_detail.html", context)
