"""The search page: `/i/<slug>/search/?q=…`, with `kind=` for all of one kind, paged.

Without a kind, each kind with matches shows its first few results and its count; with one,
its results are paged. The queries are a count per kind and one page of rows per kind shown,
however many rows match (`tests/test_search.py` pins them).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from interventions.kit.pages import crumbs_for, intervention_page
from interventions.models import Intervention
from interventions.search.engine import KIND_KEYS, KINDS, Kind, Result, Search

FIRST_FEW = 5
PER_PAGE = 20


@dataclass
class Group:
    """The results of one kind: its count, and the rows shown."""

    kind: Kind
    count: int
    results: list[Result]
    url: str

    @property
    def counted(self) -> str:
        return self.kind.counted(self.count)


def _results(search: Search, kind: Kind, rows: Iterable[Any]) -> list[Result]:
    return [search.result(kind, row) for row in rows]


@intervention_page
def search_page(request: HttpRequest, intervention: Intervention) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    search = Search(intervention, request.user, query)
    chosen = KIND_KEYS.get(request.GET.get("kind", ""))
    base = reverse("interventions:search", kwargs={"slug": intervention.slug})
    counts: dict[str, int] = {}
    groups: list[Group] = []
    page: Page[Any] | None = None
    page_numbers: list[int | str] = []
    if search.terms:
        for kind in KINDS:
            counts[kind.key] = search.matches(kind).count()
        for kind in [chosen] if chosen else KINDS:
            count = counts[kind.key]
            if not count:
                continue
            url = f"{base}?{_encode(query, kind.key)}"
            # The extract is worked out only for the rows of the page or the first few.
            matches = search.with_extracts(kind, search.matches(kind))
            if chosen:
                paginator = Paginator(matches, PER_PAGE)
                paginator.count = count  # counted above: no second COUNT
                page = paginator.get_page(request.GET.get("page"))
                rows = page.object_list
                page_numbers = list(paginator.get_elided_page_range(page.number, on_each_side=2))
            else:
                rows = matches[:FIRST_FEW]
            groups.append(
                Group(kind=kind, count=count, results=_results(search, kind, rows), url=url)
            )
    total = sum(counts.values())
    kinds = [
        {"kind": kind, "count": counts[kind.key], "url": f"{base}?{_encode(query, kind.key)}"}
        for kind in KINDS
        if counts.get(kind.key)
    ]
    context = {
        "intervention": intervention,
        "section": "search",
        "crumbs": crumbs_for(intervention),
        "query": query,
        "searched": bool(search.terms),
        "total": total,
        "kinds": kinds,
        "all_url": f"{base}?{_encode(query)}",
        "chosen": chosen,
        "groups": groups,
        "page": page,
        "page_numbers": page_numbers,
        "ellipsis": Paginator.ELLIPSIS,
        "first_few": FIRST_FEW,
    }
    return render(request, "search/search.html", context)


def _encode(query: str, kind: str = "") -> str:
    return urlencode({"q": query, **({"kind": kind} if kind else {})})
