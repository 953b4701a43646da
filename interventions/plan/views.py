"""Pages of the plan: the list of interventions, and each one's programmes and milestones."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from directions.models import Direction
from interventions.choices import ChangeStatus
from interventions.evidence.services import evidence_context
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Intervention, Milestone, Programme
from interventions.plan.filters import InterventionFilterSet, MilestoneFilterSet, ProgrammeFilterSet
from interventions.plan.tables import (
    InterventionTable,
    MilestoneTable,
    ProgrammeMilestoneTable,
    ProgrammeTable,
)
from interventions.work.items import period_updates_context


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


def programme_list_url(slug: str) -> str:
    return reverse("interventions:programme_list", kwargs={"slug": slug})


@intervention_page
def programme_detail(request: HttpRequest, intervention: Intervention, number: int) -> HttpResponse:
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
        "crumbs": crumbs_for(intervention, ("Programmes", programme_list_url(intervention.slug))),
        "programme": programme,
        "milestones": milestones,
        **evidence_context(request, programme),
        "period_updates": period_updates_context(request.user, programme),
    }
    return render(request, "interventions/programme_detail.html", context)


@intervention_page
def milestone_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.for_list(), programme__intervention=intervention, pk=pk
    )
    steps = [line.strip() for line in milestone.steps.splitlines() if line.strip()]
    context = {
        "intervention": intervention,
        "section": "milestones",
        "crumbs": crumbs_for(
            intervention,
            (
                "Milestones",
                reverse("interventions:milestone_list", kwargs={"slug": intervention.slug}),
            ),
        ),
        "milestone": milestone,
        "steps": steps,
        "overdue": milestone.is_overdue(timezone.localdate()),
        **evidence_context(request, milestone.programme, milestone),
        "pending_changes": list(
            milestone.change_requests.filter(status=ChangeStatus.PENDING).select_related(
                "requested_by"
            )
        ),
    }
    return render(request, "interventions/milestone_detail.html", context)
