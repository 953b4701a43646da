"""Adding and editing recommendations, and the council's response to them.

The secretariat adds and edits recommendations from every source; the owner (a council
officer) or the secretariat records the council's response and publishes it. Every edit is
versioned: an edit of a recommendation someone else saved meanwhile is refused, not lost.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from boards.forms import NewRecommendationForm, PublishForm, RecommendationForm, ResponseForm
from boards.models import Meeting, Recommendation
from boards.permissions import can_respond_to, is_secretariat_of
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import StaleEdit, keep_input_at, versioned_edit
from interventions.models import Intervention
from interventions.models.base import create_with_links, set_change_reason


def _crumbs(intervention: Intervention, *more: tuple[str, str]) -> list[tuple[str, str]]:
    listing = reverse("boards:recommendation_list", kwargs={"slug": intervention.slug})
    return crumbs_for(intervention, ("Recommendations", listing), *more)


def _recommendation(intervention: Intervention, pk: int) -> Recommendation:
    return get_object_or_404(
        Recommendation.objects.select_related("intervention", "owner"),
        intervention=intervention,
        pk=pk,
    )


def _page(
    request: HttpRequest,
    recommendation: Recommendation | None,
    *,
    intervention: Intervention,
    **context: object,
) -> HttpResponse:
    crumbs = _crumbs(intervention)
    if recommendation is not None:
        label = f"Recommendation {recommendation.reference}"
        crumbs = _crumbs(intervention, (label, recommendation.get_absolute_url()))
    return render(
        request,
        "boards/recommendation_form.html",
        {
            "intervention": intervention,
            "section": "recommendations",
            "crumbs": crumbs,
            "recommendation": recommendation,
            **context,
        },
    )


@intervention_page
def recommendation_add(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    if not is_secretariat_of(request.user, intervention):
        raise PermissionDenied("Only the Board's secretariat adds recommendations.")
    # Added from a meeting's page: made at that meeting, on its date. Otherwise the date is
    # asked for, never assumed to be today.
    initial: dict[str, object] = {}
    meeting_pk = request.GET.get("meeting", "")
    meeting = (
        Meeting.objects.filter(board__intervention=intervention, pk=meeting_pk).first()
        if meeting_pk.isdigit()
        else None
    )
    if meeting is not None:
        initial.update(meeting=meeting.pk, source="board", made_on=meeting.date)
    form = NewRecommendationForm(request.POST or None, intervention=intervention, initial=initial)
    if request.method == "POST" and form.is_valid():
        recommendation = form.save(commit=False)
        recommendation.intervention = intervention
        set_change_reason(recommendation, form.cleaned_data["reason"] or "Recommendation added")
        data = form.cleaned_data
        create_with_links(
            recommendation,
            {
                "directions": data["directions"],
                "programmes": data["programmes"],
                "milestones": data["milestones"],
            },
        )
        messages.success(
            request,
            f"Recommendation {recommendation.reference} added; response due "
            f"{recommendation.response_due:%-d %B %Y}.",
        )
        return redirect(recommendation.get_absolute_url())
    return _page(
        request, None, intervention=intervention, form=form, heading="Add a recommendation"
    )


@intervention_page
def recommendation_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    recommendation = _recommendation(intervention, pk)
    intervention = recommendation.intervention
    if not is_secretariat_of(request.user, intervention):
        raise PermissionDenied("Only the Board's secretariat edits recommendations.")
    form = RecommendationForm(
        request.POST or None, instance=recommendation, intervention=intervention
    )

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"] or "Recommendation edited",
        after_save=lambda: form.save_m2m(),  # the links, once the row is saved
        message=f"Recommendation {recommendation.reference} updated.",
        done=recommendation.get_absolute_url(),
        page=lambda stale: _page(
            request,
            recommendation,
            intervention=intervention,
            form=form,
            stale=stale,
            heading="Edit the recommendation",
        ),
    )


@intervention_page
def recommendation_respond(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    """The owner or the secretariat records the council's response (not yet published)."""
    recommendation = _recommendation(intervention, pk)
    if not can_respond_to(request.user, recommendation):
        raise PermissionDenied("Only the recommendation's owner or the secretariat responds.")
    form = ResponseForm(request.POST or None, instance=recommendation)
    stale = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            recommendation.record_response(
                response=data["response"],
                status=data["status"],
                responded_on=data["responded_on"],
                version=data["version"],
            )
        except StaleEdit as error:
            stale = error
            keep_input_at(form, error.current.version)
        else:
            messages.success(request, "Response recorded. It is not public until you publish it.")
            return redirect(recommendation.get_absolute_url())
    return _page(
        request,
        recommendation,
        intervention=recommendation.intervention,
        form=form,
        stale=stale,
        heading="Record the council's response",
    )


@require_POST
@intervention_page
def recommendation_publish(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    recommendation = _recommendation(intervention, pk)
    if not can_respond_to(request.user, recommendation):
        raise PermissionDenied("Only the recommendation's owner or the secretariat publishes.")
    form = PublishForm(request.POST)
    if not form.is_valid():
        problems = form.errors.get("published_on") or ["Enter the date the response was published"]
        messages.error(request, f"{problems[0]}.")
        return redirect(recommendation.get_absolute_url())
    try:
        recommendation.publish_response(
            on=form.cleaned_data["published_on"], version=form.cleaned_data["version"]
        )
    except StaleEdit:
        messages.error(
            request,
            "Someone changed the response after you opened the page; read it again, then publish.",
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Response published: it now appears on the public pages.")
    return redirect(recommendation.get_absolute_url())
