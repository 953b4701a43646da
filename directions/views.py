"""Pages of an intervention's Directions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Case, F, Prefetch, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date

from directions.choices import DeadlineKind
from directions.filters import DirectionFilterSet
from directions.forms import ComplianceForm
from directions.models import Direction, DirectionSet
from directions.tables import DirectionTable
from interventions.access import permissions
from interventions.dates.schedules import occurrence_dates, period_end
from interventions.kit.lists import DATE_FORMAT, ObjectListView
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import versioned_edit
from interventions.models import Intervention, Programme


def in_reading_order(queryset: QuerySet[Direction]) -> QuerySet[Direction]:
    """Directions as the Directions list them: a, a.i, a.ii, b, c …, set by set."""
    return queryset.annotate(
        tree_position=Coalesce("parent__position", "position"),
        tree_id=Coalesce("parent_id", "id"),
        is_item=Case(When(parent__isnull=True, then=Value(0)), default=Value(1)),
    ).order_by(
        "direction_set__made_on",
        "direction_set_id",
        "tree_position",
        "tree_id",
        "is_item",
        F("position").asc(),
    )


class DirectionListView(ObjectListView):
    """The Directions in force on the as-of day; with more than one set, each row says its set.
    Ended ones are listed when the filter asks (`directions.filters`)."""

    queryset = in_reading_order(Direction.objects.for_list().prefetch_related("themes"))
    intervention_field = "direction_set__intervention"
    filterset_class = DirectionFilterSet
    table_class = DirectionTable
    title = "Directions"
    item_name = "Directions and sub-items"
    item_name_one = "Direction or sub-item"
    section = "directions"

    def get_table_kwargs(self) -> dict[str, Any]:
        filterset = getattr(self, "filterset", None)
        day = filterset.in_force_day if filterset is not None else timezone.localdate()
        several = DirectionSet.objects.filter(intervention=self.intervention).count() > 1
        return {"as_of": day, "exclude": () if several else ("direction_set",)}


def months(n: int) -> str:
    return "one month" if n == 1 else f"{n} months"


def explain_deadline(direction: Direction, today: datetime.date) -> list[str]:
    """The deadline rule in plain English, one sentence a line."""
    if direction.parent_id and not direction.deadline_as_written:
        return [
            f"The same as for Direction {direction.parent.ref}:",
            *explain_deadline(direction.parent, today),
        ]
    made_on = direction.direction_set.made_on_text
    first = direction.first_deadline()
    first_text = format_date(first, DATE_FORMAT) if first else ""
    last = direction.last_day_in_force()
    ended = ""
    if last is not None and last < today:
        ended = (
            f"{direction.state_on(today)}: its duties stopped then, and nothing falls due "
            "after it. Occurrences missed before it stay on record as missed."
        )
    match direction.deadline_kind:
        case DeadlineKind.RELATIVE:
            span = months(direction.offset_months or 0)
            if direction.offset_days:
                days = direction.offset_days
                span += f" and {days} day{'' if days == 1 else 's'}"
            due = f"Due {span} after the date of the Directions ({made_on}): by {first_text}."
            return [due, ended] if ended else [due]
        case DeadlineKind.RECURRING:
            first_text = direction.first_due_text
            lines = [
                f"Recurring every {months(direction.interval_months or 0)}; first due {first_text}."
            ]
            if direction.first_due_source:
                lines.append(f"The first due date rests on: {direction.first_due_source}.")
            current = [v for v in direction.variations.all() if v.effective_from <= today]
            if current:
                latest = current[-1]
                lines.append(
                    f"Since {format_date(latest.effective_from, DATE_FORMAT)} the interval is "
                    f"{months(latest.interval_months)}."
                )
            intervention = direction.direction_set.intervention
            until = period_end(intervention, today)
            if last is not None:
                until = min(until, last)
            dates = occurrence_dates(
                first or today,
                direction.interval_months,
                [(v.effective_from, v.interval_months) for v in direction.variations.all()],
                until,
            )
            upcoming = [day for day in dates if day >= today]
            if upcoming:
                lines.append(f"Next due {format_date(upcoming[0], DATE_FORMAT)}.")
            elif ended:
                lines.append(ended)
            else:
                lines.append("No occurrence is due before the end of the intervention.")
            return lines
        case DeadlineKind.EVENT:
            event = direction.event or "the event it names"
            if ended:
                return [f"Was due each time {event} happened.", ended]
            return [f"Due each time {event} happens; there is no fixed date."]
        case DeadlineKind.STANDING:
            if ended:
                return [f"Applied from {made_on}; there was no single deadline.", ended]
            return [
                f"Applies all through the Direction period, from {made_on}; "
                "there is no single deadline."
            ]
        case DeadlineKind.FIXED:
            due = f"Due on {first_text}." if first else "Due on a date not yet recorded."
            return [due, ended] if ended else [due]
    return []


@intervention_page
def direction_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    recommendations = Direction.recommendations.rel.related_model._default_manager.all()
    direction = get_object_or_404(
        Direction.objects.for_list().prefetch_related(
            "themes",
            "variations",
            Prefetch("items", Direction.objects.select_related("parent").order_by("position")),
            Prefetch("programmes", Programme.objects.select_related("intervention")),
            # Recommendations are the Board's (a layer above): reached through the relation.
            Prefetch(
                "recommendations",
                recommendations.select_related("intervention").order_by("made_on"),
            ),
        ),
        direction_set__intervention=intervention,
        pk=pk,
    )
    crumbs = crumbs_for(
        intervention,
        ("Directions", reverse("directions:direction_list", kwargs={"slug": intervention.slug})),
    )
    if direction.parent_id:
        crumbs.append((str(direction.parent), direction.parent.get_absolute_url()))
    today = timezone.localdate()
    context = {
        "intervention": intervention,
        "section": "directions",
        "crumbs": crumbs,
        "direction": direction,
        "can_record_compliance": permissions.is_improvement_team_of(request.user, intervention),
        "deadline_explained": explain_deadline(direction, today),
        "state": direction.state_on(today),
        "state_colour": direction.state_colour(today),
        "set_state": direction.direction_set.state_on(today),
        "several_sets": DirectionSet.objects.filter(intervention=intervention).count() > 1,
    }
    return render(request, "directions/direction_detail.html", context)


@intervention_page
def direction_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The improvement team records a Direction's compliance and the evidence for it."""
    direction = get_object_or_404(
        Direction.objects.for_list(), direction_set__intervention=intervention, pk=pk
    )
    if not permissions.is_improvement_team_of(request.user, intervention):
        raise PermissionDenied("Only the improvement team records compliance with Directions.")
    form = ComplianceForm(request.POST or None, instance=direction)

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"],
        message=f"Direction {direction.reference} updated.",
        done=direction.get_absolute_url(),
        page=lambda stale: render(
            request,
            "directions/direction_edit.html",
            {
                "intervention": intervention,
                "section": "directions",
                "crumbs": crumbs_for(
                    intervention,
                    (
                        "Directions",
                        reverse("directions:direction_list", kwargs={"slug": intervention.slug}),
                    ),
                    (f"Direction {direction.reference}", direction.get_absolute_url()),
                ),
                "direction": direction,
                "form": form,
                "stale": stale,
            },
        ),
    )
