"""The API's operations: each list as JSON a page at a time, and as a CSV download of every
row. Which rows a reader gets is `access`; what each row says is `schemas`."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from ninja import Query, Router, Schema
from pydantic import BaseModel, Field

from directions import in_force
from directions.views import in_reading_order
from interventions.api import access
from interventions.api.http import PageParams, page_of
from interventions.api.schemas import (
    DirectionOut,
    InterventionOut,
    MeetingOut,
    Message,
    MilestoneOut,
    Page,
    PaperOut,
    ProgrammeOut,
    RecommendationOut,
    direction_out,
    intervention_out,
    meeting_out,
    milestone_out,
    paper_out,
    programme_out,
    recommendation_out,
)
from interventions.choices import SlipBaseline
from interventions.kit.exports import CSV, export_response
from interventions.models import Intervention

router = Router()

ERRORS: dict[int, type[Schema]] = {404: Message, 422: Message, 429: Message}
_MESSAGE = {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}}
CSV_RESPONSE = {
    "responses": {
        200: {
            "description": "Every row of the list, as CSV (UTF-8 with a byte-order mark).",
            "content": {"text/csv": {"schema": {"type": "string"}}},
        },
        404: {"description": "Not found, or not open to you.", "content": _MESSAGE},
        422: {"description": "A parameter is not valid.", "content": _MESSAGE},
        429: {"description": "Too many requests: see Retry-After.", "content": _MESSAGE},
    }
}
INTERVENTION_TAG = ["Interventions"]
PUBLISHED_TAG = ["Published: Directions, recommendations, meetings and papers"]
PLAN_TAG = ["The plan (signed-in users of the intervention)"]


class AsOf(Schema):
    as_of: datetime.date | None = Field(
        None, description="Read the list as of this day (YYYY-MM-DD); today if absent."
    )


class DirectionParams(AsOf):
    include_ended: bool = Field(
        False,
        description="Also list Directions not in force on the as-of day (superseded, "
        "revoked, expired or not yet made), as the Directions page does when asked.",
    )


class ProgrammeParams(Schema):
    include_closed: bool = Field(
        False, description="Also list programmes closed or merged, as the programmes page can."
    )


def _day(params: AsOf) -> datetime.date:
    return params.as_of or timezone.localdate()


def _page(
    request: HttpRequest,
    rows: QuerySet[Any],
    params: PageParams,
    out: Callable[[Any], BaseModel],
) -> dict[str, Any]:
    count, items, next_page, previous = page_of(request, rows, params)
    return {
        "count": count,
        "next": next_page,
        "previous": previous,
        "items": [out(item) for item in items],
    }


def _csv(
    rows: Iterable[Any], schema: type[BaseModel], out: Callable[[Any], BaseModel], filename: str
) -> HttpResponse:
    """Every row as CSV, each cell through the exports' guard against spreadsheet formulas
    (`interventions.kit.exports`)."""
    headers = list(schema.model_fields)
    lines = [list(out(row).model_dump().values()) for row in rows]
    return export_response(headers, lines, CSV, filename)


# Interventions


@router.get(
    "/interventions/",
    response={200: Page[InterventionOut], **ERRORS},
    tags=INTERVENTION_TAG,
    summary="The interventions you may read",
)
def intervention_list(request: HttpRequest, page: Query[PageParams]) -> dict[str, Any]:
    """Signed in: the interventions you are named in (every one for an administrator), in
    full. Everyone: the interventions whose public pages are on, as published."""
    own = set(Intervention.objects.visible_to(request.user).values_list("pk", flat=True))
    rows = access.readable_interventions(request).select_related("authority").order_by("title")
    return _page(request, rows, page, lambda row: intervention_out(row, row.pk in own))


@router.get(
    "/interventions/{slug}/",
    response={200: InterventionOut, **ERRORS},
    tags=INTERVENTION_TAG,
    summary="One intervention",
)
def intervention_detail(request: HttpRequest, slug: str) -> InterventionOut:
    found = access.reading(request, slug)
    return intervention_out(found.intervention, found.full)


# Directions


def _directions(request: HttpRequest, slug: str, params: DirectionParams) -> QuerySet[Any]:
    rows = access.directions(access.reading(request, slug)).for_list()
    if not params.include_ended:
        rows = rows.filter(in_force.direction_in_force(_day(params)))
    return in_reading_order(rows)


@router.get(
    "/interventions/{slug}/directions/",
    response={200: Page[DirectionOut], **ERRORS},
    tags=PUBLISHED_TAG,
    summary="Directions and their compliance",
)
def direction_list(
    request: HttpRequest, slug: str, params: Query[DirectionParams], page: Query[PageParams]
) -> dict[str, Any]:
    """The Directions and sub-items in force on the as-of day, in the order the Directions
    list them, each with its compliance and where it stood that day."""
    day = _day(params)
    rows = _directions(request, slug, params)
    return _page(request, rows, page, lambda row: direction_out(row, day))


@router.get(
    "/interventions/{slug}/directions.csv",
    tags=PUBLISHED_TAG,
    summary="Directions and their compliance, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def direction_csv(request: HttpRequest, slug: str, params: Query[DirectionParams]) -> HttpResponse:
    day = _day(params)
    rows = _directions(request, slug, params)
    return _csv(rows, DirectionOut, lambda row: direction_out(row, day), f"{slug}-directions")


# Recommendations


def _recommendations(request: HttpRequest, slug: str) -> tuple[access.Reading, QuerySet[Any]]:
    found = access.reading(request, slug)
    return found, access.recommendations(found).order_by("-made_on", "reference")


@router.get(
    "/interventions/{slug}/recommendations/",
    response={200: Page[RecommendationOut], **ERRORS},
    tags=PUBLISHED_TAG,
    summary="Recommendations and the council's responses",
)
def recommendation_list(
    request: HttpRequest, slug: str, params: Query[AsOf], page: Query[PageParams]
) -> dict[str, Any]:
    """Without sign-in: the recommendations whose response the council has published, with
    that response. Signed in: every recommendation, answered or not, published or not.
    `overdue` is as of the as-of day, as on the recommendations page."""
    found, rows = _recommendations(request, slug)
    day = _day(params)
    return _page(
        request,
        rows,
        page,
        lambda row: recommendation_out(row, day, found.full, found.published_only),
    )


@router.get(
    "/interventions/{slug}/recommendations.csv",
    tags=PUBLISHED_TAG,
    summary="Recommendations and responses, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def recommendation_csv(request: HttpRequest, slug: str, params: Query[AsOf]) -> HttpResponse:
    found, rows = _recommendations(request, slug)
    day = _day(params)
    return _csv(
        rows,
        RecommendationOut,
        lambda row: recommendation_out(row, day, found.full, found.published_only),
        f"{slug}-recommendations",
    )


# Meetings


def _meetings(request: HttpRequest, slug: str) -> tuple[access.Reading, QuerySet[Any]]:
    found = access.reading(request, slug)
    return found, access.meetings(found).order_by("-date", "board__name")


@router.get(
    "/interventions/{slug}/meetings/",
    response={200: Page[MeetingOut], **ERRORS},
    tags=PUBLISHED_TAG,
    summary="Meetings and their minutes",
)
def meeting_list(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    """Without sign-in: the meetings whose papers are published (never cancelled ones), with
    their minutes once approved. Signed in: every meeting of the intervention's boards."""
    found, rows = _meetings(request, slug)
    return _page(request, rows, page, lambda row: meeting_out(row, found.full))


@router.get(
    "/interventions/{slug}/meetings.csv",
    tags=PUBLISHED_TAG,
    summary="Meetings and their minutes, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def meeting_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found, rows = _meetings(request, slug)
    return _csv(rows, MeetingOut, lambda row: meeting_out(row, found.full), f"{slug}-meetings")


# Papers


def _papers(request: HttpRequest, slug: str) -> tuple[access.Reading, QuerySet[Any]]:
    found = access.reading(request, slug)
    return found, access.papers(found).order_by("-meeting__date", "title", "pk")


def _paper_url(request: HttpRequest, found: access.Reading) -> Callable[[Any], PaperOut]:
    name = "boards:paper_download" if found.full else "boards:public_paper"
    slug = found.intervention.slug

    def out(paper: Any) -> PaperOut:
        url = reverse(name, kwargs={"slug": slug, "uuid": paper.uuid})
        return paper_out(paper, request.build_absolute_uri(url))

    return out


@router.get(
    "/interventions/{slug}/papers/",
    response={200: Page[PaperOut], **ERRORS},
    tags=PUBLISHED_TAG,
    summary="Meeting papers (what they are, not their files)",
)
def paper_list(request: HttpRequest, slug: str, page: Query[PageParams]) -> dict[str, Any]:
    """Without sign-in: the public papers of published meetings, never an exempt one. Signed
    in: every paper, exempt ones marked. Each gives the address its file is downloaded from."""
    found, rows = _papers(request, slug)
    return _page(request, rows, page, _paper_url(request, found))


@router.get(
    "/interventions/{slug}/papers.csv",
    tags=PUBLISHED_TAG,
    summary="Meeting papers, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def paper_csv(request: HttpRequest, slug: str) -> HttpResponse:
    found, rows = _papers(request, slug)
    return _csv(rows, PaperOut, _paper_url(request, found), f"{slug}-papers")


# The plan: signed-in users of the intervention only.


def _programmes(request: HttpRequest, slug: str, params: ProgrammeParams) -> QuerySet[Any]:
    rows = access.programmes(access.full_reading(request, slug))
    if not params.include_closed:
        rows = rows.open_on(timezone.localdate())
    return rows.order_by("number")


@router.get(
    "/interventions/{slug}/programmes/",
    response={200: Page[ProgrammeOut], **ERRORS},
    tags=PLAN_TAG,
    summary="Programmes of the plan",
)
def programme_list(
    request: HttpRequest, slug: str, params: Query[ProgrammeParams], page: Query[PageParams]
) -> dict[str, Any]:
    """The programmes open today (closed and merged ones too when asked)."""
    rows = _programmes(request, slug, params)
    return _page(request, rows, page, programme_out)


@router.get(
    "/interventions/{slug}/programmes.csv",
    tags=PLAN_TAG,
    summary="Programmes of the plan, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def programme_csv(request: HttpRequest, slug: str, params: Query[ProgrammeParams]) -> HttpResponse:
    rows = _programmes(request, slug, params)
    return _csv(rows, ProgrammeOut, programme_out, f"{slug}-programmes")


def _milestones(request: HttpRequest, slug: str, day: datetime.date) -> QuerySet[Any]:
    rows = access.milestones(access.full_reading(request, slug))
    return rows.with_schedule(day, SlipBaseline.ORIGINAL).order_by(
        "programme__number", "position", "pk"
    )


@router.get(
    "/interventions/{slug}/milestones/",
    response={200: Page[MilestoneOut], **ERRORS},
    tags=PLAN_TAG,
    summary="Milestones (key activities) and where they stand",
)
def milestone_list(
    request: HttpRequest, slug: str, params: Query[AsOf], page: Query[PageParams]
) -> dict[str, Any]:
    """Every milestone, with where it stood against its dates on the as-of day (slips
    measured against the original baseline, as the milestones page does by default)."""
    rows = _milestones(request, slug, _day(params))
    return _page(request, rows, page, lambda row: milestone_out(row, row.schedule))


@router.get(
    "/interventions/{slug}/milestones.csv",
    tags=PLAN_TAG,
    summary="Milestones, as CSV",
    openapi_extra=CSV_RESPONSE,
)
def milestone_csv(request: HttpRequest, slug: str, params: Query[AsOf]) -> HttpResponse:
    rows = _milestones(request, slug, _day(params))
    return _csv(
        rows, MilestoneOut, lambda row: milestone_out(row, row.schedule), f"{slug}-milestones"
    )
