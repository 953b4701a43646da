"""Pages of the plan: the list of interventions, and each one's programmes and milestones."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import RequestConfig, Table

from directions.models import Direction
from interventions import schedule
from interventions.access.permissions import can_change_plan
from interventions.choices import ChangeKind, ChangeStatus, SlipBaseline
from interventions.evidence.services import evidence_context
from interventions.kit.kept import Kept
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page, programme_crumbs
from interventions.models import Intervention, Milestone, Programme
from interventions.models.data_version import current_version
from interventions.plan.filters import InterventionFilterSet, MilestoneFilterSet, ProgrammeFilterSet
from interventions.plan.tables import (
    InterventionTable,
    MilestoneTable,
    ProgrammeMilestoneTable,
    ProgrammeTable,
)
from interventions.querysets import ProgrammeQuerySet
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
    template_name = "interventions/programme_list.html"

    def get_queryset(self) -> QuerySet[Programme]:
        queryset = cast(ProgrammeQuerySet, super().get_queryset())
        if ProgrammeFilterSet.shows_closed(self.request.GET):
            return queryset
        return queryset.open_on(timezone.localdate())

    def get_table(self, **kwargs: Any) -> Table:
        table = super().get_table(**kwargs)
        if not ProgrammeFilterSet.shows_closed(self.request.GET):
            table.columns.hide("closed_on")
            table.columns.hide("merged_into")
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        assert self.intervention is not None  # a page inside an intervention
        context["can_change_plan"] = can_change_plan(self.request.user, self.intervention)
        return context


class MilestoneListView(ObjectListView):
    queryset = Milestone.objects.for_list()
    intervention_field = "programme__intervention"
    filterset_class = MilestoneFilterSet
    table_class = MilestoneTable
    title = "Milestones"
    section = "milestones"


def programme_list_url(slug: str) -> str:
    return reverse("interventions:programme_list", kwargs={"slug": slug})


_MILESTONE_TABLES = Kept(kept=512)


@intervention_page
def programme_detail(request: HttpRequest, intervention: Intervention, number: int) -> HttpResponse:
    # What the page shows of it (not the list's milestone count: the page lists them).
    programme = (
        Programme.objects.select_related("aim", "sponsor", "sro", "lead_member", "merged_into")
        .prefetch_related(
            "themes",
            "co_sponsors",
            Prefetch("directions", Direction.objects.select_related("parent", "direction_set")),
        )
        .filter(intervention=intervention, number=number)
        .first()
    )
    if programme is None:
        return _renumbered(request, intervention, number)
    programme.intervention = intervention

    def milestone_table() -> SafeString:
        table = ProgrammeMilestoneTable(
            programme.milestones.select_related("programme__intervention")
        )
        table.caption = "Milestones"
        RequestConfig(request, paginate=False).configure(table)
        return mark_safe(table.as_html(request))  # noqa: S308 - the table's template escapes

    # Drawn from the data alone (neither sorted nor paged), and the same for every reader:
    # kept for the programme and the day until the data changes (interventions.kit.kept).
    key = (programme.pk, timezone.localdate())
    context = {
        "intervention": intervention,
        "section": "programmes",
        "crumbs": crumbs_for(intervention, ("Programmes", programme_list_url(intervention.slug))),
        "programme": programme,
        "dated_states": programme.dated_states(),
        "milestones_html": _MILESTONE_TABLES.get(key, current_version(), milestone_table),
        **evidence_context(request, programme),
        "period_updates": period_updates_context(request.user, programme),
    }
    return render(request, "interventions/programme_detail.html", context)


def _renumbered(request: HttpRequest, intervention: Intervention, number: int) -> HttpResponse:
    """An old programme number, after a renumbering: to the programme that had it last, with
    a message saying so; 404 if no programme ever had it."""
    programme = Programme.objects.with_former_number(intervention, number)
    if programme is None:
        raise Http404(f"No programme {number} in this plan.")
    messages.info(
        request,
        f"Programme {number} was renumbered: it is now programme {programme.number}.",
    )
    return redirect(programme.get_absolute_url())


def baseline_context(milestone: Milestone) -> dict[str, Any]:
    """The milestone's change requests awaiting a decision, and its baselines: the original
    one, each re-baseline approved through change control (when, by whom, from which request)
    and the current forecast, as OpenProject compares a baseline with now. One query."""
    changes = list(
        milestone.change_requests.select_related("requested_by", "decided_by").order_by(
            "decided_at", "created", "pk"
        )
    )
    rebaselines = [
        change
        for change in changes
        if change.status == ChangeStatus.APPROVED and change.kind == ChangeKind.END_DATE
    ]
    original = milestone.original_baseline_end or milestone.baseline_end
    return {
        "pending_changes": [c for c in changes if c.status == ChangeStatus.PENDING],
        "rebaselines": rebaselines,
        "original_baseline": original,
        "slipped_against_original": schedule.is_slipped(milestone, SlipBaseline.ORIGINAL),
        "slipped_against_approved": schedule.is_slipped(milestone, SlipBaseline.APPROVED),
        "days_past_original": schedule.days_slipped(milestone, SlipBaseline.ORIGINAL),
        "days_past_approved": schedule.days_slipped(milestone, SlipBaseline.APPROVED),
    }


@intervention_page
def milestone_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    milestone = get_object_or_404(
        Milestone.objects.for_list(), programme__intervention=intervention, pk=pk
    )
    steps = [line.strip() for line in milestone.steps.splitlines() if line.strip()]
    context = {
        "intervention": intervention,
        "section": "milestones",
        "crumbs": programme_crumbs(milestone.programme),
        "milestone": milestone,
        "steps": steps,
        "overdue": milestone.is_overdue(timezone.localdate()),
        **evidence_context(request, milestone.programme, milestone),
        **baseline_context(milestone),
    }
    return render(request, "interventions/milestone_detail.html", context)
