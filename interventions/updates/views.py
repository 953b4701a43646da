"""Pages where officers update programmes and milestones, and the improvement team decides
change requests. Permission is checked here, on the server, for every request."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from interventions.access import permissions
from interventions.choices import ChangeKind, ChangeStatus
from interventions.dates.periods import ReportingPeriod
from interventions.kit.forms import BatchEffectiveDateForm
from interventions.kit.lists import ObjectListView
from interventions.kit.pages import (
    crumbs_for,
    intervention_page,
    milestone_crumbs,
    programme_crumbs,
)
from interventions.kit.saving import versioned_edit
from interventions.models import ChangeRequest, Intervention, Milestone, Programme
from interventions.updates import bulk, change_control
from interventions.updates.filters import ChangeRequestFilterSet
from interventions.updates.forms import (
    ChangeRequestForm,
    DecisionForm,
    MilestoneRowForm,
    MilestoneUpdateForm,
    ProgrammeStatusForm,
)
from interventions.updates.tables import ChangeRequestTable
from interventions.work.items import update_edit_url


def _programme(intervention: Intervention, number: int) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("intervention", "sponsor", "sro"),
        intervention=intervention,
        number=number,
    )


def _milestone(intervention: Intervention, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.select_related("programme__intervention"),
        programme__intervention=intervention,
        pk=pk,
    )


@intervention_page
def programme_edit(request: HttpRequest, intervention: Intervention, number: int) -> HttpResponse:
    programme = _programme(intervention, number)
    if not permissions.can_update_programme(request.user, programme):
        raise PermissionDenied("You cannot update this programme.")
    form = ProgrammeStatusForm(request.POST or None, instance=programme)
    current_period = ReportingPeriod.containing(timezone.localdate())

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"],
        message=f"Programme {programme.number} updated.",
        done=programme.get_absolute_url(),
        page=lambda stale: render(
            request,
            "updates/programme_edit.html",
            {
                "intervention": intervention,
                "section": "programmes",
                "crumbs": programme_crumbs(programme),
                "programme": programme,
                "form": form,
                "stale": stale,
                "current_period": current_period,
                "current_update_url": update_edit_url(programme, current_period),
            },
        ),
    )


@intervention_page
def milestone_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    milestone = _milestone(intervention, pk)
    if not permissions.can_update_milestone(request.user, milestone):
        raise PermissionDenied("You cannot update this milestone.")
    baseline_end = milestone.baseline_end  # before the form writes to the instance
    form = MilestoneUpdateForm(request.POST or None, instance=milestone)

    def request_approval_of_a_slip() -> None:
        if form.slips:
            assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
            change_control.request_change(
                milestone,
                kind=ChangeKind.END_DATE,
                reason=form.cleaned_data["reason"].strip(),
                by=request.user,
                proposed_end=form.cleaned_data["forecast_end"],
            )

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"].strip(),
        after_save=request_approval_of_a_slip,
        message=lambda: (
            "Milestone updated. Moving the end past the baseline "
            f"({baseline_end:%-d %b %Y}) now waits for the improvement team's approval."
            if form.slips
            else "Milestone updated."
        ),
        done=milestone.get_absolute_url(),
        page=lambda stale: render(
            request,
            "updates/milestone_edit.html",
            {
                "intervention": intervention,
                "section": "milestones",
                "crumbs": milestone_crumbs(milestone),
                "milestone": milestone,
                "baseline_end": baseline_end,
                "form": form,
                "stale": stale,
            },
        ),
    )


@intervention_page
def milestones_bulk_edit(
    request: HttpRequest, intervention: Intervention, number: int
) -> HttpResponse:
    """Every milestone of a programme the user may update, on one page: status, RAG, percent
    complete, forecast end and commentary, with one "When did this happen?" for the batch.
    Saved all or nothing; each row keeps the single edit's version check and rules."""
    programme = _programme(intervention, number)
    milestones = list(
        permissions.milestones_editable_by(request.user)
        .filter(programme=programme)
        .select_related("programme__intervention")
        .order_by("position")
    )
    if not milestones:
        raise PermissionDenied("You cannot update this programme's milestones.")
    data = request.POST or None
    rows = [
        MilestoneRowForm(data, instance=milestone, prefix=f"m{milestone.pk}")
        for milestone in milestones
    ]
    when = BatchEffectiveDateForm(data)
    stale: dict[int, Any] = {}
    if request.method == "POST" and all([when.is_valid(), *[row.is_valid() for row in rows]]):
        changed = [row for row in rows if row.changed]
        if not changed:
            messages.info(request, "Nothing was changed, so nothing was saved.")
            return redirect(programme.get_absolute_url())
        if when.check_rows([row.instance for row in changed]):
            try:
                saved = bulk.update_milestones(changed, day=when.cleaned_data["effective_on"])
            except bulk.StaleRows as error:
                stale = error.rows
                _keep_rows_at(rows, stale)
            else:
                assert request.user.is_authenticated  # every page needs login
                for row in changed:
                    if row.slips:
                        change_control.request_change(
                            row.instance,
                            kind=ChangeKind.END_DATE,
                            reason=row.cleaned_data["reason"].strip(),
                            by=request.user,
                            proposed_end=row.cleaned_data["forecast_end"],
                        )
                slipped = sum(1 for row in changed if row.slips)
                noun = "milestone" if len(saved) == 1 else "milestones"
                message = f"{len(saved)} {noun} updated."
                if slipped:
                    message += (
                        f" {slipped} forecast end{'s' if slipped > 1 else ''} past the "
                        "baseline now wait for the improvement team's approval."
                    )
                messages.success(request, message)
                return redirect(programme.get_absolute_url())
    return render(
        request,
        "updates/milestones_bulk_edit.html",
        {
            "intervention": intervention,
            "section": "programmes",
            "crumbs": crumbs_for(intervention, (str(programme), programme.get_absolute_url())),
            "programme": programme,
            "rows": [(row, stale.get(row.instance.pk)) for row in rows],
            "forms": [when, *rows],
            "when": when,
            "stale": stale,
        },
    )


def _keep_rows_at(rows: list[MilestoneRowForm], stale: dict[int, Any]) -> None:
    """After a stale save, keep every answer but move the stale rows to their current
    version, so that saving again, after reading what changed, applies them on top."""
    for row in rows:
        if row.instance.pk in stale:
            data = row.data.copy() if isinstance(row.data, QueryDict) else dict(row.data)
            data[row.add_prefix("version")] = str(stale[row.instance.pk][0])
            row.data = data


@intervention_page
def change_request_new(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    milestone = _milestone(intervention, pk)
    if not permissions.can_update_milestone(request.user, milestone):
        raise PermissionDenied("You cannot change this milestone.")
    form = ChangeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
        change_control.request_change(
            milestone,
            kind=data["kind"],
            reason=data["reason"],
            by=request.user,
            proposed_title=data["proposed_title"],
            proposed_steps=data["proposed_steps"],
        )
        messages.success(request, "Change requested. The improvement team will decide on it.")
        return redirect(milestone.get_absolute_url())
    return render(
        request,
        "updates/change_request_form.html",
        {
            "intervention": intervention,
            "section": "milestones",
            "crumbs": milestone_crumbs(milestone),
            "milestone": milestone,
            "form": form,
        },
    )


@intervention_page
def change_request_detail(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    change = get_object_or_404(
        ChangeRequest.objects.select_related(
            "milestone__programme__intervention", "requested_by", "decided_by"
        ),
        milestone__programme__intervention=intervention,
        pk=pk,
    )
    may_decide = permissions.can_decide_changes(request.user, intervention)
    form = DecisionForm(request.POST or None) if may_decide else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the improvement team decides change requests.")
        if form.is_valid():
            decide = (
                change_control.approve
                if form.cleaned_data["decision"] == "approve"
                else change_control.reject
            )
            assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
            try:
                decide(change, by=request.user, note=form.cleaned_data["note"])
            except change_control.ChangeRefused as refused:
                messages.error(request, str(refused))
            else:
                change.refresh_from_db()
                messages.success(request, f"Change request {change.get_status_display().lower()}.")
            return redirect(
                reverse(
                    "interventions:change_request_detail",
                    kwargs={"slug": intervention.slug, "pk": change.pk},
                )
            )
    return render(
        request,
        "updates/change_request_detail.html",
        {
            "intervention": intervention,
            "section": "milestones",
            "crumbs": crumbs_for(
                intervention,
                (
                    "Change requests",
                    reverse("interventions:change_request_list", args=[intervention.slug]),
                ),
            ),
            "change": change,
            "milestone": change.milestone,
            "form": form if change.status == ChangeStatus.PENDING else None,
        },
    )


class ChangeRequestListView(ObjectListView):
    queryset = ChangeRequest.objects.select_related("milestone__programme__intervention")
    intervention_field = "milestone__programme__intervention"
    filterset_class = ChangeRequestFilterSet
    table_class = ChangeRequestTable
    title = "Change requests"
    section = "milestones"
    intro = "Changes to agreed milestones, waiting for the improvement team or decided."

    def get_filterset_kwargs(self, filterset_class: Any) -> dict[str, Any]:
        kwargs = super().get_filterset_kwargs(filterset_class)
        if kwargs["data"] is None or not kwargs["data"]:
            # Pending first: what needs a decision is what people come here for.
            kwargs["data"] = {"status": ChangeStatus.PENDING}
        return kwargs
