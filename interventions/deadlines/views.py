"""Pages of deadlines: all of them, overdue, the next days, a month calendar, by person and by
theme; calendar feeds; and the schedules of recurring duties.

The occurrences come from `interventions.deadlines.engine`; these views find the intervention (who
may see it is `get_intervention`'s decision), read the filters and render or export.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from directions.choices import DeadlineKind
from directions.models import Direction, IntervalVariation, ReportingDuty
from interventions.access.permissions import is_improvement_team_of, person_in
from interventions.dates.fuzzy import add_months
from interventions.dates.schedules import occurrence_dates, period_end
from interventions.deadlines import ical
from interventions.deadlines.engine import (
    STATE_TAG_COLOURS,
    Occurrence,
    State,
    deadlines_for,
)
from interventions.deadlines.filters import (
    PER_PAGE,
    DeadlineFilterSet,
    DeadlineTable,
    export_deadlines,
)
from interventions.deadlines.forms import FeedForm, VariationForm
from interventions.kit.as_of import read_as_of
from interventions.kit.exports import refuse_unknown_format, requested_format
from interventions.kit.lists import person_name
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import FeedToken, Intervention
from interventions.models.base import set_change_reason

WINDOWS = (7, 30, 90)


def _crumbs(intervention: Intervention, *more: tuple[str, str]) -> list[tuple[str, str]]:
    home = reverse("interventions:deadline_list", kwargs={"slug": intervention.slug})
    return crumbs_for(intervention, ("Deadlines", home), *more)


def _context(request: HttpRequest, intervention: Intervention, **extra: Any) -> dict[str, Any]:
    as_of = read_as_of(request)
    query = "" if as_of == timezone.localdate() else f"?as_of={as_of.isoformat()}"
    context = {
        "intervention": intervention,
        "section": "deadlines",
        "as_of": as_of,
        "as_of_is_today": as_of == timezone.localdate(),
        "as_of_query": query,
        "windows": [(days, f"next-{days}") for days in WINDOWS],
        "tag_colours": STATE_TAG_COLOURS,
    }
    context.update(extra)
    return context


def _list_page(
    request: HttpRequest,
    intervention: Intervention,
    *,
    title: str,
    view: str,
    intro: str,
    keep: Callable[[Occurrence], bool] = lambda item: True,
) -> HttpResponse:
    request.intervention = intervention  # type: ignore[attr-defined]  # for the filters
    if refusal := refuse_unknown_format(request):
        return refusal
    as_of = read_as_of(request)
    items = [item for item in deadlines_for(intervention, as_of) if keep(item)]
    filterset = DeadlineFilterSet(request.GET or None, items=items, request=request)
    items = filterset.qs
    if export_format := requested_format(request):
        return export_deadlines(
            items,
            export_format,
            f"{intervention.slug}-deadlines-{view}-as-of-{as_of.isoformat()}",
            title=title,
            base_url=request.build_absolute_uri("/").rstrip("/"),
        )
    table = DeadlineTable(items)
    table.caption = title
    table.caption_hidden = True
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    context = _context(
        request,
        intervention,
        title=title,
        view=view,
        intro=intro,
        crumbs=_crumbs(intervention) if view != "all" else crumbs_for(intervention),
        filter=filterset,
        filters_applied=any(
            request.GET.get(name) for name in ("state", "source", "person", "theme")
        ),
        table=table,
        count=len(items),
    )
    return render(request, "deadlines/deadline_list.html", context)


@intervention_page
def deadline_list(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Every deadline of the intervention, from the first to the end of its period."""
    return _list_page(
        request,
        intervention,
        title="Deadlines",
        view="all",
        intro="Every dated obligation: Directions, reports, milestone ends, responses to "
        "recommendations and board meetings, with what meets each one.",
    )


@intervention_page
def deadline_overdue(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Deadlines that have passed without being met."""
    return _list_page(
        request,
        intervention,
        title="Overdue deadlines",
        view="overdue",
        intro="Deadlines that passed without what meets them.",
        keep=lambda item: item.state == State.MISSED,
    )


@intervention_page
def deadline_next(request: HttpRequest, intervention: Intervention, days: int) -> HttpResponse:
    """Deadlines in the next 7, 30 or 90 days from the as-of date."""
    if days not in WINDOWS:
        raise Http404("Choose 7, 30 or 90 days.")
    return _list_page(
        request,
        intervention,
        title=f"Deadlines in the next {days} days",
        view=f"next-{days}",
        intro=f"Deadlines due from the as-of date to {days} days after it.",
        keep=lambda item: 0 <= item.days_left <= days,
    )


# ---------------------------------------------------------------------------- calendar


@intervention_page
def deadline_calendar(
    request: HttpRequest,
    intervention: Intervention,
    year: int | None = None,
    month: int | None = None,
) -> HttpResponse:
    """A month of deadlines as a calendar table; the as-of date's month unless chosen."""
    as_of = read_as_of(request)
    if year is None or month is None:
        year, month = as_of.year, as_of.month
    if not (1 <= month <= 12 and datetime.MINYEAR < year < datetime.MAXYEAR):
        raise Http404("No such month.")
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    by_day: dict[datetime.date, list[Occurrence]] = defaultdict(list)
    for item in deadlines_for(intervention, as_of):
        if first <= item.due <= last:
            by_day[item.due].append(item)
    weeks = [
        [(day, by_day.get(day, [])) if day.month == month else (None, []) for day in week]
        for week in calendar.Calendar().monthdatescalendar(year, month)
    ]
    previous, following = add_months(first, -1), add_months(first, 1)

    def month_url(day: datetime.date) -> str:
        kwargs = {"slug": intervention.slug, "year": day.year, "month": day.month}
        return reverse("interventions:deadline_calendar_month", kwargs=kwargs)

    context = _context(
        request,
        intervention,
        title=f"Deadlines in {first:%B %Y}",
        view="calendar",
        crumbs=_crumbs(intervention),
        month=first,
        weeks=weeks,
        day_names=[(calendar.day_name[i], calendar.day_abbr[i]) for i in range(7)],
        count=sum(len(items) for items in by_day.values()),
        previous=previous,
        previous_url=month_url(previous),
        following=following,
        following_url=month_url(following),
    )
    return render(request, "deadlines/deadline_calendar.html", context)


# ---------------------------------------------------------------------- person and theme


def _summary_page(
    request: HttpRequest,
    intervention: Intervention,
    *,
    view: str,
    title: str,
    heading: str,
    keys: Callable[[Occurrence], list[tuple[str, str, str]]],
) -> HttpResponse:
    """Counts of open deadlines per group; each count links to the filtered list."""
    as_of = read_as_of(request)
    rows: dict[str, dict[str, Any]] = {}
    for item in deadlines_for(intervention, as_of):
        for key, label, param in keys(item):
            row = rows.setdefault(
                key, {"label": label, "param": param, "missed": 0, "due_soon": 0, "upcoming": 0}
            )
            if item.state in (State.MISSED, State.DUE_SOON, State.UPCOMING):
                row[item.state.value] += 1
            row["total"] = row.get("total", 0) + 1
    list_url = reverse("interventions:deadline_list", kwargs={"slug": intervention.slug})
    as_of_param = "" if as_of == timezone.localdate() else f"&as_of={as_of.isoformat()}"
    for row in rows.values():
        row["url"] = f"{list_url}?{row['param']}{as_of_param}"
    me = person_in(request.user, intervention) if view == "people" else None
    context = _context(
        request,
        intervention,
        title=title,
        heading=heading,
        view=view,
        crumbs=_crumbs(intervention),
        rows=sorted(rows.values(), key=lambda row: row["label"].lower()),
        mine_url=f"{list_url}?person={me.pk}{as_of_param}" if me and str(me.pk) in rows else "",
    )
    return render(request, "deadlines/deadline_summary.html", context)


@intervention_page
def deadline_people(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Deadlines by the person responsible for them."""

    def keys(item: Occurrence) -> list[tuple[str, str, str]]:
        if item.responsible is None:
            return []
        person = item.responsible
        return [(str(person.pk), person_name(person), f"person={person.pk}")]

    return _summary_page(
        request,
        intervention,
        view="people",
        title="Deadlines by person",
        heading="Person",
        keys=keys,
    )


@intervention_page
def deadline_themes(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Deadlines by Best Value theme."""

    def keys(item: Occurrence) -> list[tuple[str, str, str]]:
        return [(theme.slug, theme.name, f"theme={theme.pk}") for theme in item.themes]

    return _summary_page(
        request, intervention, view="themes", title="Deadlines by theme", heading="Theme", keys=keys
    )


# --------------------------------------------------------------------------- calendar feeds


@intervention_page
def deadline_feeds(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The user's calendar feeds of this intervention: their addresses, a new one, revoking."""
    assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
    if request.method == "POST":
        form = FeedForm(request.POST)
        if form.is_valid():
            FeedToken.objects.create(
                user=request.user,
                intervention=intervention,
                mine_only=form.cleaned_data["mine_only"],
            )
            messages.success(request, "Your new calendar feed is ready: copy its address below.")
            return redirect("interventions:deadline_feeds", slug=intervention.slug)
    else:
        form = FeedForm()
    tokens = FeedToken.objects.live().filter(user=request.user, intervention=intervention)
    feeds = [
        (
            token,
            request.build_absolute_uri(
                reverse("interventions:deadline_feed", kwargs={"token": token.token})
            ),
        )
        for token in tokens
    ]
    context = _context(
        request,
        intervention,
        title="Calendar feeds",
        view="feeds",
        crumbs=_crumbs(intervention),
        form=form,
        feeds=feeds,
    )
    return render(request, "deadlines/deadline_feeds.html", context)


@require_POST
@intervention_page
def deadline_feed_revoke(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Revoke one of the user's own feeds: its address stops working at once."""
    token = get_object_or_404(
        FeedToken.objects.live(), pk=pk, user=request.user, intervention=intervention
    )
    token.revoke()
    messages.success(request, "The calendar feed was revoked: its address no longer works.")
    return redirect("interventions:deadline_feeds", slug=intervention.slug)


@login_not_required
def deadline_feed(request: HttpRequest, token: str) -> HttpResponse:
    """An iCalendar feed for calendar programs, found by its secret token.

    No sign-in: the token is the secret. A revoked or unknown token, or one whose user can no
    longer see the intervention, is not found.
    """
    feed = (
        FeedToken.objects.live()
        .select_related("user", "intervention__authority")
        .filter(token=token, user__is_active=True)
        .first()
    )
    if feed is None:
        raise Http404("No such calendar feed.")
    visible = Intervention.objects.visible_to(feed.user).filter(pk=feed.intervention_id).exists()
    if not visible:
        raise Http404("No such calendar feed.")
    items = deadlines_for(feed.intervention)
    if feed.mine_only:
        items = [
            item for item in items if item.responsible and item.responsible.user_id == feed.user_id
        ]
    body = ical.calendar_for(
        feed.intervention,
        items,
        base_url=request.build_absolute_uri("/").rstrip("/"),
        mine_only=feed.mine_only,
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{feed.intervention.slug}.ics"'
    return response


# -------------------------------------------------------------- schedules of recurring duties


def _schedules(intervention: Intervention) -> list[dict[str, Any]]:
    """Every recurring schedule: recurring Directions, and reporting duties of their own."""
    duties = list(
        ReportingDuty.objects.filter(intervention=intervention)
        .select_related("direction")
        .prefetch_related("variations")
    )
    by_direction = {duty.direction_id: duty for duty in duties if duty.direction_id}
    directions = (
        Direction.objects.filter(
            direction_set__intervention=intervention,
            parent__isnull=True,
            deadline_kind=DeadlineKind.RECURRING,
        )
        .select_related("direction_set__intervention")
        .prefetch_related("variations")
    )
    until = period_end(intervention, timezone.localdate())
    schedules = []
    for direction in directions:
        variations = list(direction.variations.all())
        first = direction.first_deadline()
        duty = by_direction.get(direction.pk)
        schedules.append(
            {
                "kind": "direction",
                "pk": direction.pk,
                "title": f"Direction {direction.reference}: {direction.short_title}",
                "as_written": direction.deadline_as_written,
                "report": intervention.words.report_label(duty.report_kind) if duty else "",
                "interval": direction.interval_months,
                "variations": variations,
                "dates": occurrence_dates(
                    first,
                    direction.interval_months,
                    [(v.effective_from, v.interval_months) for v in variations],
                    until,
                )
                if first
                else [],
            }
        )
    for duty in duties:
        if duty.direction_id:
            continue
        variations = list(duty.variations.all())
        first = add_months(intervention.directions_date, duty.first_due_months or 0)
        schedules.append(
            {
                "kind": "duty",
                "pk": duty.pk,
                "title": duty.title,
                "as_written": duty.as_written,
                "report": intervention.words.report_label(duty.report_kind),
                "interval": duty.interval_months,
                "variations": variations,
                "dates": occurrence_dates(
                    first,
                    duty.interval_months,
                    [(v.effective_from, v.interval_months) for v in variations],
                    until,
                ),
            }
        )
    return schedules


@intervention_page
def deadline_schedules(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """The recurring duties, their intervals and every change of interval, with the dates
    they give; the improvement team may record a change of interval."""
    context = _context(
        request,
        intervention,
        title="Recurring duties",
        view="schedules",
        crumbs=_crumbs(intervention),
        schedules=_schedules(intervention),
        can_vary=is_improvement_team_of(request.user, intervention),
    )
    return render(request, "deadlines/deadline_schedules.html", context)


def _schedule_name(owner: Direction | ReportingDuty) -> str:
    if isinstance(owner, Direction):
        return f"Direction {owner.reference}: {owner.short_title}"
    return owner.title


def _variation_page(
    request: HttpRequest, intervention: Intervention, form: Any, name: str, title: str
) -> HttpResponse:
    """The form that records or corrects a change of a recurring duty's interval."""
    schedules_url = reverse("interventions:deadline_schedules", kwargs={"slug": intervention.slug})
    context = _context(
        request,
        intervention,
        title=title,
        view="schedules",
        crumbs=_crumbs(intervention, ("Recurring duties", schedules_url)),
        form=form,
        name=name,
        cancel_url=schedules_url,
    )
    return render(request, "deadlines/variation_form.html", context)


@intervention_page
def variation_add(
    request: HttpRequest, intervention: Intervention, kind: str, pk: int
) -> HttpResponse:
    """The improvement team records that a recurring duty's interval changes from a date on."""
    if not is_improvement_team_of(request.user, intervention):
        raise Http404("Only the improvement team changes the interval of a recurring duty.")
    owner: Direction | ReportingDuty
    if kind == "direction":
        owner = get_object_or_404(
            Direction,
            pk=pk,
            direction_set__intervention=intervention,
            parent__isnull=True,
            deadline_kind=DeadlineKind.RECURRING,
        )
    elif kind == "duty":
        owner = get_object_or_404(
            ReportingDuty, pk=pk, intervention=intervention, direction__isnull=True
        )
    else:
        raise Http404("No such schedule.")
    name = _schedule_name(owner)
    form = VariationForm(request.POST or None, owner=owner)
    if request.method == "POST" and form.is_valid():
        variation = form.save(commit=False)
        if kind == "direction":
            variation.direction = owner
        else:
            variation.duty = owner
        set_change_reason(variation, form.cleaned_data["reason"])
        with transaction.atomic():
            variation.save()
        messages.success(
            request, f"The interval of {name} now changes on {variation.effective_from:%-d %B %Y}."
        )
        return redirect("interventions:deadline_schedules", slug=intervention.slug)
    return _variation_page(request, intervention, form, name, "Change the interval")


@intervention_page
def variation_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The improvement team corrects a recorded change of interval (audited, with a reason)."""
    if not is_improvement_team_of(request.user, intervention):
        raise Http404("Only the improvement team changes the interval of a recurring duty.")
    variation = get_object_or_404(
        IntervalVariation.objects.select_related("direction__parent", "duty"),
        Q(direction__direction_set__intervention=intervention) | Q(duty__intervention=intervention),
        pk=pk,
    )
    owner = variation.direction or variation.duty
    assert owner is not None  # a variation belongs to exactly one schedule (a constraint)
    name = _schedule_name(owner)
    form = VariationForm(request.POST or None, instance=variation, owner=owner)
    if request.method == "POST" and form.is_valid():
        variation = form.save(commit=False)
        set_change_reason(variation, form.cleaned_data["reason"])
        variation.save()
        messages.success(request, f"The change of interval of {name} was corrected.")
        return redirect("interventions:deadline_schedules", slug=intervention.slug)
    return _variation_page(request, intervention, form, name, "Correct a change of interval")
