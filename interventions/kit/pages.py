"""Pages of one intervention: finding the intervention a URL names (404 for anyone who may not
see it), the breadcrumbs to a page, and `@intervention_page`, which gives a view the
intervention instead of its slug.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Concatenate

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse

from interventions.models import Intervention, Milestone, Programme


def get_intervention(request: HttpRequest, slug: str) -> Intervention:
    """The intervention named in the URL, or 404 if this user may not see it."""
    return get_object_or_404(
        Intervention.objects.visible_to(request.user).select_related("authority"), slug=slug
    )


def crumbs_for(intervention: Intervention | None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    """Breadcrumbs to a page: the interventions, the intervention, then `more` (label, url)."""
    crumbs = [("Interventions", reverse("interventions:intervention_list"))]
    if intervention is not None:
        crumbs.append((intervention.title, intervention.get_absolute_url()))
    return [*crumbs, *more]


def programme_crumbs(programme: Programme) -> list[tuple[str, str]]:
    """Breadcrumbs to a page of a programme or under it: the programmes, then the programme."""
    intervention = programme.intervention
    listing = reverse("interventions:programme_list", kwargs={"slug": intervention.slug})
    return crumbs_for(
        intervention,
        ("Programmes", listing),
        (f"Programme {programme.number}", programme.get_absolute_url()),
    )


def milestone_crumbs(milestone: Milestone) -> list[tuple[str, str]]:
    """Breadcrumbs to a page under a milestone: its programme, then the milestone."""
    return [
        *programme_crumbs(milestone.programme),
        (f"Milestone {milestone.label}", milestone.get_absolute_url()),
    ]


def intervention_page[R](
    view: Callable[Concatenate[HttpRequest, Intervention, ...], R],
) -> Callable[..., R]:
    """A view of a page inside one intervention (`kit.routing.intervention_pages`): it is called
    with the intervention the URL's slug names, after `get_intervention` has checked that the
    signed-in user may see it."""

    @functools.wraps(view)
    def page(request: HttpRequest, *args: Any, slug: str, **kwargs: Any) -> R:
        return view(request, get_intervention(request, slug), *args, **kwargs)

    return page
