"""Where an intervention stands: its home page, with figures that lead to the pages behind
them, and the dashboard the oversight (Envoys, Commissioners …) opens first."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q, QuerySet, TextChoices
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from boards.choices import RecommendationStatus
from boards.models import Board, Meeting, Recommendation
from directions.choices import Compliance
from directions.models import Direction
from interventions.access.permissions import role_name_in
from interventions.choices import RAG, Phase, SlipBaseline, WorkStatus
from interventions.dashboard.figures import dashboard_context
from interventions.dashboard.forms import AsOfForm
from interventions.dashboard.measures import measures_panel
from interventions.dashboard.risks import risks_panel
from interventions.deadlines.engine import STATE_TAG_COLOURS
from interventions.kit.as_of import AS_OF, legacy_as_of_redirect
from interventions.kit.kept import Kept
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Appointment, Intervention, Milestone, Programme
from interventions.models.data_version import current_version


def count_by(
    queryset: QuerySet, field: str, choices: type[TextChoices], url: str
) -> list[dict[str, object]]:
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


@intervention_page
def intervention_detail(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The intervention's home: what it is, and figures that lead to the pages behind them."""
    today = timezone.localdate()
    figures = _HOME.get(
        (intervention.pk, today), current_version(), lambda: _home_figures(intervention, today)
    )
    context = {
        "intervention": intervention,
        "section": "overview",
        "crumbs": crumbs_for(None),
        "today": today,
        "your_role": role_name_in(request.user, intervention, today),
        **figures,
    }
    return render(request, "interventions/intervention_detail.html", context)


# The home page's figures, the same for everyone who may open it, for each intervention and
# day, until the data changes (interventions.kit.kept).
_HOME = Kept(kept=128)


def _home_figures(intervention: Intervention, today: datetime.date) -> dict[str, object]:
    directions = Direction.objects.for_intervention(intervention)
    direction_totals = directions.aggregate(
        directions=Count("pk", filter=Q(parent__isnull=True)),
        items=Count("pk", filter=Q(parent__isnull=False)),
    )
    programmes = Programme.objects.filter(intervention=intervention).open_on(today)
    milestones = Milestone.objects.filter(programme__intervention=intervention)
    recommendations = Recommendation.objects.filter(intervention=intervention).aggregate(
        total=Count("pk"),
        open=Count("pk", filter=Q(status=RecommendationStatus.OPEN)),
        answered=Count("pk", filter=Q(responded_on__isnull=False)),
    )
    meetings = Meeting.objects.filter(board__intervention=intervention).select_related("board")
    # A closed intervention's people are those in role when it ended, not today.
    ended = intervention.end_date is not None and intervention.end_date < today
    people_on = intervention.end_date if ended and intervention.end_date else today
    people_now = (
        Appointment.objects.filter(person__intervention=intervention)
        .current(people_on)
        .select_related("person__intervention", "theme")
    )

    def url(name: str) -> str:
        return reverse(name, kwargs={"slug": intervention.slug})

    directions_url = url("directions:direction_list")
    programmes_url = url("interventions:programme_list")
    milestones_url = url("interventions:milestone_list")
    # Read here, not by the template: what is kept is shown to many requests.
    return {
        "people_on": people_on,
        "people_heading": (
            f"People in role when the intervention ended ({intervention.scheduled_end_text})"
            if ended
            else "People in role now"
        ),
        "direction_totals": direction_totals,
        "directions_by_compliance": count_by(directions, "compliance", Compliance, directions_url),
        "programme_total": programmes.count(),
        "programmes_by_rag": count_by(programmes, "rag", RAG, programmes_url),
        "programmes_by_phase": count_by(programmes, "phase", Phase, programmes_url),
        "milestone_total": milestones.count(),
        "milestones_by_status": count_by(milestones, "status", WorkStatus, milestones_url),
        "recommendations": recommendations,
        "boards": list(Board.objects.filter(intervention=intervention)),
        "recent_meetings": list(meetings.filter(date__lt=today).order_by("-date")[:3]),
        "next_meetings": list(meetings.filter(date__gte=today).order_by("date")[:3]),
        "people_now": list(people_now),
    }


@intervention_page
def dashboard(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    if redirect := legacy_as_of_redirect(request):
        return redirect
    today = timezone.localdate()
    form = AsOfForm(request.GET or None)
    valid = form.is_valid()
    on = (form.cleaned_data.get(AS_OF) if valid else None) or today
    against = (form.cleaned_data.get("against") if valid else None) or SlipBaseline.ORIGINAL
    context = {
        "intervention": intervention,
        "section": "dashboard",
        "crumbs": crumbs_for(intervention),
        "form": form,
        "on": on,
        "today": today,
        "tag_colours": STATE_TAG_COLOURS,
        "against": against,
        **_figures(intervention, on, against),
    }
    return render(request, "interventions/dashboard.html", context)


# The dashboard's figures and charts, the same for everyone who may open the dashboard, for each
# intervention, day and baseline, until the data changes (interventions.kit.kept).
_FIGURES = Kept(kept=128)


def _figures(intervention: Intervention, on: datetime.date, against: str) -> dict[str, object]:
    def work_out() -> dict[str, object]:
        return {
            **dashboard_context(intervention, on, against),
            "measures": measures_panel(intervention, on),
            "risks": risks_panel(intervention, on),
        }

    key = (intervention.pk, on, against, timezone.localdate())
    figures: dict[str, object] = _FIGURES.get(key, current_version(), work_out)
    return figures
