"""Delegating a programme, or one of its milestones, to someone who may then update it."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from interventions.access import permissions
from interventions.kit.pages import intervention_page, programme_crumbs
from interventions.models import Delegation, Intervention, Programme
from interventions.models.base import set_change_reason
from interventions.updates.forms import DelegationForm, EndDelegationForm


def _programme(intervention: Intervention, number: int) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("intervention", "sponsor", "sro"),
        intervention=intervention,
        number=number,
    )


@intervention_page
def programme_delegations(
    request: HttpRequest, intervention: Intervention, number: int
) -> HttpResponse:
    programme = _programme(intervention, number)
    may_delegate = permissions.can_delegate(request.user, programme)
    form = DelegationForm(request.POST or None, programme=programme) if may_delegate else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied("Only the improvement team, sponsor and SRO delegate.")
        if form.is_valid():
            delegation = form.save(commit=False)
            delegation.programme = programme
            delegation.granted_by = request.user
            set_change_reason(delegation, "Delegated")
            delegation.save()
            messages.success(
                request, f"{delegation.person} may now update {delegation.milestone or programme}."
            )
            return redirect(request.path)
    today = timezone.localdate()
    delegations = programme.delegations.select_related("person", "milestone", "granted_by")
    return render(
        request,
        "updates/delegations.html",
        {
            "intervention": programme.intervention,
            "section": "programmes",
            "crumbs": programme_crumbs(programme),
            "programme": programme,
            "delegations": [(d, _is_current(d, today)) for d in delegations],
            "form": form,
            "may_delegate": may_delegate,
            "today": today,
        },
    )


@intervention_page
def end_delegation(
    request: HttpRequest, intervention: Intervention, number: int, pk: int
) -> HttpResponse:
    programme = _programme(intervention, number)
    if not permissions.can_delegate(request.user, programme):
        raise PermissionDenied("Only the improvement team, sponsor and SRO end delegations.")
    delegation = get_object_or_404(Delegation, programme=programme, pk=pk)
    form = EndDelegationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ends_on = form.cleaned_data["ends_on"]
        if ends_on < delegation.starts_on:
            form.add_error("ends_on", "The last day must be on or after the first.")
        else:
            delegation.ends_on = ends_on
            set_change_reason(delegation, "Delegation ended")
            delegation.save()
            messages.success(
                request, f"The delegation to {delegation.person} ends on {ends_on:%-d %b %Y}."
            )
            return redirect(
                reverse(
                    "interventions:programme_delegations",
                    args=[intervention.slug, programme.number],
                )
            )
    if not form.is_bound:
        form = EndDelegationForm(initial={"ends_on": timezone.localdate()})
    return render(
        request,
        "updates/end_delegation.html",
        {
            "intervention": programme.intervention,
            "section": "programmes",
            "crumbs": programme_crumbs(programme),
            "programme": programme,
            "delegation": delegation,
            "form": form,
        },
    )


def _is_current(delegation: Delegation, on: datetime.date) -> bool:
    return delegation.starts_on <= on and (delegation.ends_on is None or on <= delegation.ends_on)
