"""Each programme's period updates: the list, and writing the update for an open period.

Permission is checked here, on the server: a user who may not update a programme gets 403,
and a programme of an intervention they cannot see is not found (404).
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from interventions.access import permissions
from interventions.dates.periods import ReportingPeriod
from interventions.kit.pages import intervention_page, programme_crumbs
from interventions.kit.saving import StaleEdit, keep_input_at
from interventions.models import Intervention, Programme, ProgrammeUpdate
from interventions.work.forms import ProgrammeUpdateForm
from interventions.work.items import (
    open_periods,
    period_from_slug,
    period_slug,
    save_period_update,
    update_edit_url,
    updates_url,
    writable_change,
)

# Period updates


def _programme(intervention: Intervention, number: int) -> Programme:
    return get_object_or_404(
        Programme.objects.select_related("intervention", "sro", "sponsor"),
        intervention=intervention,
        number=number,
    )


def _programme_crumbs(intervention: Intervention, programme: Programme) -> list[tuple[str, str]]:
    return programme_crumbs(programme)


@intervention_page
def programme_updates(
    request: HttpRequest, intervention: Intervention, number: int
) -> HttpResponse:
    """A programme's updates, newest period first."""
    programme = _programme(intervention, number)
    today = timezone.localdate()
    updates = list(
        ProgrammeUpdate.objects.filter(programme=programme)
        .select_related("author")
        .order_by("-period_start")
    )
    may_update = permissions.can_update_programme(request.user, programme)
    written = {update.period_start for update in updates}
    open_ = open_periods(today) if may_update else []
    for update in updates:
        # For the template: where to edit the update while its period is open.
        update.edit_url = (  # type: ignore[attr-defined]  # not a field; set for the page
            update_edit_url(programme, update.period) if update.period in open_ else None
        )
    missing = [
        {"period": period, "url": update_edit_url(programme, period)}
        for period in open_
        if period.start not in written
    ]
    return render(
        request,
        "work/programme_updates.html",
        {
            "intervention": intervention,
            "section": "programmes",
            "crumbs": _programme_crumbs(intervention, programme),
            "programme": programme,
            "updates": updates,
            "missing": missing,
            "may_update": may_update,
            "current_period": ReportingPeriod.containing(today),
        },
    )


@intervention_page
def programme_update_edit(
    request: HttpRequest, intervention: Intervention, number: int, period: str
) -> HttpResponse:
    """Write or change a programme's update for an open reporting period."""
    programme = _programme(intervention, number)
    try:
        reporting_period = period_from_slug(period)
    except ValueError:
        raise Http404("No such reporting period.") from None
    if not permissions.can_update_programme(request.user, programme):
        raise PermissionDenied("You cannot update this programme.")
    today = timezone.localdate()
    context: dict[str, Any] = {
        "intervention": intervention,
        "section": "programmes",
        "crumbs": [
            *_programme_crumbs(intervention, programme),
            ("Updates", updates_url(programme)),
        ],
        "programme": programme,
        "period": reporting_period,
    }
    open_ = open_periods(today)
    if reporting_period not in open_:
        context["open_periods"] = [
            {"period": p, "url": update_edit_url(programme, p)} for p in open_
        ]
        context["future"] = reporting_period > open_[0]
        return render(request, "work/period_closed.html", context, status=403)

    update = (
        ProgrammeUpdate.objects.filter(programme=programme, period_start=reporting_period.start)
        .select_related("author")
        .first()
    )
    form = ProgrammeUpdateForm(
        request.POST or None,
        instance=update,
        period=reporting_period,
        # A new update starts from where the programme stands; its RAG is chosen afresh.
        initial={"status": programme.status} if update is None else None,
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            save_period_update(
                programme,
                reporting_period,
                form.update_data(),
                by=request.user,
                expected_version=form.cleaned_data["version"],
            )
        except StaleEdit as refused:
            # Keep the user's input, but at the current version: saving again, after
            # reading what the other person changed, replaces theirs.
            keep_input_at(form, refused.current.version)
            stale = {
                "update": refused.current,
                "changes": [c.sentence() for c in refused.their_changes if writable_change(c)],
            }
        else:
            messages.success(request, f"The update for {reporting_period.label} is saved.")
            return redirect(updates_url(programme))
    context.update(
        form=form,
        update=update,
        stale=stale,
        period_slug=period_slug(reporting_period),
        is_new=update is None,
        # The quarters either side, where their update may be written too.
        previous_period=_open_neighbour(programme, reporting_period.previous(), open_),
        next_period=_open_neighbour(programme, reporting_period.next(), open_),
        next_opens=reporting_period.next() if reporting_period == open_[0] else None,
    )
    return render(request, "work/programme_update_form.html", context)


def _open_neighbour(
    programme: Programme, period: ReportingPeriod, open_: list[ReportingPeriod]
) -> dict[str, object] | None:
    """The period and its update page, if its update may be written now."""
    if period not in open_:
        return None
    return {"period": period, "url": update_edit_url(programme, period)}
