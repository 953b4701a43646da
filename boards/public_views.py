"""The public pages of an intervention: what anyone may read without signing in.

They exist only while an administrator has switched them on for the intervention
(`Intervention.public_pages`); otherwise every page and file here is 404. What they show is
decided by the querysets in this module and nowhere else:

- meetings whose papers the secretariat has published (never cancelled ones);
- of those, the agenda, the public papers (never an exempt one, not even its title) and the
  minutes once the Board has approved them;
- recommendations whose response the council has published, with that response;
- a summary of the plan's progress: each programme's status and its key activities done.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from boards.choices import MeetingStatus
from boards.meeting_views import serve_paper
from boards.models import Meeting, Paper, Recommendation
from interventions.choices import WorkStatus
from interventions.models import Intervention, Programme


def public_intervention(slug: str) -> Intervention:
    return get_object_or_404(
        Intervention.objects.select_related("authority"), slug=slug, public_pages=True
    )


def public_meetings(intervention: Intervention) -> QuerySet[Meeting]:
    return (
        Meeting.objects.filter(board__intervention=intervention, published=True)
        .exclude(status=MeetingStatus.CANCELLED)
        .select_related("board")
    )


def public_papers() -> QuerySet[Paper]:
    return Paper.objects.filter(exempt=False, meeting__published=True).exclude(
        meeting__status=MeetingStatus.CANCELLED
    )


def public_recommendations(intervention: Intervention) -> QuerySet[Recommendation]:
    return (
        Recommendation.objects.filter(intervention=intervention)
        .with_published_response()
        .select_related("intervention", "meeting__board")
        .order_by("-made_on", "reference")
    )


def _context(intervention: Intervention, **more: object) -> dict[str, object]:
    # No `intervention` key: base.html would put the signed-in navigation around it.
    return {"public": intervention, **more}


@login_not_required
def public_home(request: HttpRequest, slug: str) -> HttpResponse:
    intervention = public_intervention(slug)
    programmes = Programme.objects.filter(intervention=intervention).annotate(
        milestone_total=Count("milestones", distinct=True),
        milestones_done=Count(
            "milestones", filter=Q(milestones__status=WorkStatus.COMPLETE), distinct=True
        ),
    )
    meetings = public_meetings(intervention).order_by("-date")
    return render(
        request,
        "public/home.html",
        _context(
            intervention,
            programmes=list(programmes),
            meetings=list(meetings),
            recommendation_count=public_recommendations(intervention).count(),
        ),
    )


@login_not_required
def public_meeting(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = public_intervention(slug)
    meeting = get_object_or_404(public_meetings(intervention), pk=pk)
    papers = public_papers().filter(meeting=meeting).select_related("agenda_item")
    agenda = meeting.agenda_items.select_related("presenter").prefetch_related(
        Prefetch("papers", public_papers().order_by("title"), to_attr="public_papers")
    )
    return render(
        request,
        "public/meeting.html",
        _context(
            intervention,
            meeting=meeting,
            agenda=list(agenda),
            papers=[paper for paper in papers if paper.agenda_item_id is None],
            recommendations=list(public_recommendations(intervention).filter(meeting=meeting)),
        ),
    )


@login_not_required
def public_recommendation_list(request: HttpRequest, slug: str) -> HttpResponse:
    intervention = public_intervention(slug)
    return render(
        request,
        "public/recommendations.html",
        _context(intervention, recommendations=list(public_recommendations(intervention))),
    )


@login_not_required
def public_paper(request: HttpRequest, slug: str, uuid: str) -> FileResponse:
    intervention = public_intervention(slug)
    paper = get_object_or_404(
        public_papers().filter(meeting__board__intervention=intervention), uuid=uuid
    )
    return serve_paper(paper)
