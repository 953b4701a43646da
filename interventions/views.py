"""Pages of an intervention: the list of interventions, its home, programmes and milestones."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.db.models.enums import ChoicesType
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from boards.choices import RecommendationStatus
from boards.models import Board, Meeting, Recommendation
from directions.choices import Compliance
from directions.models import Direction
from interventions.choices import RAG, ChangeStatus, Phase, WorkStatus
from interventions.evidence import evidence_context
from interventions.filters import InterventionFilterSet, MilestoneFilterSet, ProgrammeFilterSet
from interventions.generic import ObjectListView, crumbs_for, get_intervention
from interventions.models import Appointment, Intervention, Milestone, Programme
from interventions.tables import (
    InterventionTable,
    MilestoneTable,
    ProgrammeMilestoneTable,
    ProgrammeTable,
)
from interventions.timeline import recent_history
from interventions.work import period_updates_context


class InterventionListView(ObjectListView):
    title = "Interventions"
    section = "interventions"
    filterset_class = InterventionFilterSet
    table_class = InterventionTable

    def get_queryset(self) -> QuerySet[Intervention]:
        return Intervention.objects.visible_to(self.request.user).select_related("authority")


class ProgrammeListView(ObjectListView):
    queryset = Programme.objects.for_list()
    intervention_field = "intervention"
    filterset_class = ProgrammeFilterSet
    table_class = ProgrammeTable
    title = "Programmes"
    section = "programmes"


class MilestoneListView(ObjectListView):
    queryset = Milestone.objects.for_list()
    intervention_field = "programme__intervention"
    filterset_class = MilestoneFilterSet
    table_class = MilestoneTable
    title = "Milestones"
    section = "milestones"


def count_by(queryset: QuerySet, field: str, choices: ChoicesType, url: str) -> list[dict]:
    """How many rows have each value of a choice field, each with a link to those rows."""
    counts = dict(queryset.order_by().values_list(field).annotate(n=Count("pk")))
    return [
        {
            "value": choice.value,
            "label": choice.label,
            "count": counts.get(choice.value, 0),
            "url": f"{url}?{field}={choice.value}",
        }
        for choice in choices
    ]


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The intervention's home: what it is, and figures that lead to the pages behind them."""
    intervention = get_intervention(request, slug)
    today = timezone.localdate()

    directions = Direction.objects.for_intervention(intervention)
    direction_totals = directions.aggregate(
        directions=Count("pk", filter=Q(parent__isnull=True)),
        items=Count("pk", filter=Q(parent__isnull=False)),
    )
    programmes = Programme.objects.filter(intervention=intervention)
    milestones = Milestone.objects.filter(programme__intervention=intervention)
    recommendations = Recommendation.objects.filter(intervention=intervention).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
    )
    meetings = Meeting.objects.filter(board__intervention=intervention).select_related("board")
    people_now = (
        Appointment.objects.filter(person__intervention=intervention)
        .current(today)
        .select_related("person", "theme")
    )

    def url(name: str) -> str:
        return reverse(name, kwargs={"slug": slug})

    directions_url = url("directions:direction_list")
    programmes_url = url("interventions:programme_list")
    milestones_url = url("interventions:milestone_list")
    context = {
        "intervention": intervention,
        "section": "overview",
        "crumbs": crumbs_for(None),
        "today": today,
        "direction_totals": direction_totals,
        "directions_by_compliance": count_by(directions, "compliance", Compliance, directions_url),
        "programme_total": programmes.count(),
        "programmes_by_rag": count_by(programmes, "rag", RAG, programmes_url),
        "programmes_by_phase": count_by(programmes, "phase", Phase, programmes_url),
        "milestone_total": milestones.count(),
        "milestones_by_status": count_by(milestones, "status", WorkStatus, milestones_url),
        "recommendations": recommendations,
        "boards": Board.objects.filter(intervention=intervention),
        "recent_meetings": list(meetings.filter(date__lt=today).order_by("-date")[:3]),
        "next_meetings": list(meetings.filter(date__gte=today).order_by("date")[:3]),
        "people_now": people_now,
    }
    return render(request, "interventions/intervention_detail.html", context)


def programme_list_url(slug: str) -> str:
    return reverse("interventions:programme_list", kwargs={"slug": slug})


def programme_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    intervention = get_intervention(request, slug)
    programme = get_object_or_404(
        Programme.objects.for_list().prefetch_related(
            "themes",
            Prefetch("directions", Direction.objects.select_related("parent", "direction_set")),
        ),
        intervention=intervention,
        number=number,
    )
    milestones = ProgrammeMilestoneTable(
        programme.milestones.select_related("programme__intervention")
    )
    milestones.caption = "Milestones"
    RequestConfig(request, paginate=False).configure(milestones)
    context = {
        "intervention": intervention,
        "section": "programmes",
        "crumbs": crumbs_for(intervention, ("Programmes", programme_list_url(slug))),
        "programme": programme,
        "milestones": milestones,
        **recent_history(programme, slug),
        **evidence_context(request, programme),
        "period_updates": period_updates_context(request.user, programme),
    }
    return render(request, "interventions/programme_detail.html", context)


def milestone_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = get_intervention(request, slug)
    milestone = get_object_or_404(
        Milestone.objects.for_list(), programme__intervention=intervention, pk=pk
    )
    steps = [line.strip() for line in milestone.steps.splitlines() if line.strip()]
    context = {
        "intervention": intervention,
        "section": "milestones",
        "crumbs": crumbs_for(
            intervention,
            ("Milestones", reverse("interventions:milestone_list", kwargs={"slug": slug})),
        ),
        "milestone": milestone,
        "steps": steps,
        "overdue": milestone.is_overdue(timezone.localdate()),
        **recent_history(milestone, slug),
        **evidence_context(request, milestone.programme, milestone),
        "pending_changes": list(
            milestone.change_requests.filter(status=ChangeStatus.PENDING).select_related(
                "requested_by"
            )
        ),
    }
    return render(request, "interventions/milestone_detail.html", context)
