"""Pages of the audit trail: an object's history, and what changed in an intervention.

The entries come from `interventions.history.timeline`; these views only find the intervention (who
may see it is `get_intervention`'s decision), read the filters and render or export.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from types import SimpleNamespace
from typing import Any

from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django_tables2 import RequestConfig

from boards.models import Recommendation
from directions.models import Direction
from interventions.access.permissions import reads_only_published
from interventions.history.forms import WhatChangedForm
from interventions.history.tables import ChangeTable, PagedEntries
from interventions.history.timeline import (
    Changes,
    Entry,
    changes_in,
    timeline_for,
    withhold_responses,
)
from interventions.kit.exports import (
    export_response,
    refuse_unknown_format,
    requested_format,
    table_rows,
)
from interventions.kit.kept import Kept
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Intervention, Milestone, Programme
from interventions.models.data_version import current_version

DEFAULT_DAYS = 30


# ------------------------------------------------------------------------ object history

# kind in the URL: (queryset, lookup of its intervention, section, list name, list URL name)
HISTORY_KINDS: dict[str, tuple[Any, str, str, str, str]] = {
    "programme": (
        Programme.objects.select_related("intervention"),
        "intervention",
        "programmes",
        "Programmes",
        "interventions:programme_list",
    ),
    "milestone": (
        Milestone.objects.for_list(),
        "programme__intervention",
        "milestones",
        "Milestones",
        "interventions:milestone_list",
    ),
    "direction": (
        Direction.objects.for_list(),
        "direction_set__intervention",
        "directions",
        "Directions",
        "directions:direction_list",
    ),
    "recommendation": (
        Recommendation.objects.select_related("intervention"),
        "intervention",
        "recommendations",
        "Recommendations",
        "boards:recommendation_list",
    ),
}


def history_url(obj: Model, slug: str) -> str:
    """The history page of a programme, milestone, Direction or recommendation."""
    kind = type(obj).__name__.lower()
    kwargs = {"slug": slug, "kind": kind, "pk": obj.pk}
    return reverse("interventions:object_history", kwargs=kwargs)


@intervention_page
def object_history(
    request: HttpRequest, intervention: Intervention, kind: str, pk: int
) -> HttpResponse:
    """Every change to one object, newest first (for a programme, with its period updates)."""
    if kind not in HISTORY_KINDS:
        raise Http404("No history of that kind of thing.")
    queryset, lookup, section, list_name, list_url = HISTORY_KINDS[kind]
    obj = get_object_or_404(queryset, **{lookup: intervention, "pk": pk})
    crumbs = crumbs_for(
        intervention,
        (list_name, reverse(list_url, kwargs={"slug": intervention.slug})),
        (str(obj), obj.get_absolute_url()),
    )
    context = {
        "intervention": intervention,
        "section": section,
        "crumbs": crumbs,
        "object": obj,
        "kind": kind,
        "timeline": (
            withhold_responses(timeline_for(obj, intervention.slug))
            if reads_only_published(request.user)
            else timeline_for(obj, intervention.slug)
        ),
    }
    return render(request, "audit/object_history.html", context)


# -------------------------------------------------------------------------- what changed


def export_changes(entries: Sequence[Entry], export_format: str, filename: str) -> HttpResponse:
    """The changes as a CSV or XLSX download: the page's table, every row, each change in
    one line (`filename` without its extension)."""
    headers, rows = table_rows(ChangeTable(entries))
    return export_response(headers, rows, export_format, filename, title="What changed")


# What changed's pages, for each intervention and choice of dates and filters.
_PAGES = Kept(kept=64)


@intervention_page
def whats_changed(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    """Every change in the intervention in a date range (the last 30 days unless chosen),
    newest first, narrowed by programme, person, theme and kind; `?_export=csv` or
    `?_export=xlsx` downloads exactly the rows shown."""
    if refusal := refuse_unknown_format(request):
        return refusal
    today = timezone.localdate()
    data: dict[str, object] = {
        "from_date": (today - datetime.timedelta(days=DEFAULT_DAYS)).isoformat(),
        "to_date": today.isoformat(),
    }
    data.update({key: value for key, value in request.GET.items() if value})
    form = WhatChangedForm(data, intervention=intervention)
    entries: Sequence[Entry] = []
    if form.is_valid():
        chosen = form.cleaned_data
        withhold = reads_only_published(request.user)

        def find() -> Sequence[Entry]:
            return changes_in(
                intervention,
                chosen["from_date"],
                chosen["to_date"],
                user=chosen["person"],
                programme=chosen["programme"],
                theme=chosen["theme"],
                kind=chosen["kind"],
                withhold=withhold,
            )

        if export_format := requested_format(request):
            name = f"{intervention.slug}-changes-{chosen['from_date']}-to-{chosen['to_date']}"
            return export_changes(find(), export_format, name)
        # The pages read are kept, counted and worded, until the next change is saved
        # (interventions.kit.kept); an export reads them all afresh and keeps nothing.
        key = (
            intervention.pk,
            chosen["from_date"],
            chosen["to_date"],
            *(getattr(chosen[name], "pk", None) for name in ("person", "programme", "theme")),
            chosen["kind"],
            withhold,
        )
        entries = _PAGES.get(key, current_version(), find)

    # Only the page shown is read and worded (`Changes`); an export reads them all.
    table = ChangeTable(PagedEntries(entries) if isinstance(entries, Changes) else entries)
    table.caption = "Changes"
    table.caption_hidden = True
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "intervention": intervention,
        "section": "changes",
        "crumbs": crumbs_for(intervention),
        "title": "What changed",
        "filter": SimpleNamespace(form=form),
        "form": form,
        "filters_applied": any(
            request.GET.get(name) for name in ("programme", "person", "theme", "kind")
        ),
        "range": (form.cleaned_data if form.is_valid() else {}),
        "table": table,
        "more_than_counted": isinstance(table.data, PagedEntries) and table.data.more_than_counted,
    }
    return render(request, "audit/whats_changed.html", context)
