"""Running a board: its meetings, agendas, papers, attendance, minutes and action log.

Everyone who can see the intervention reads these pages; only the secretariat (the
improvement team) changes anything (`boards.permissions`). Papers, exempt ones included, are
downloaded through a view that checks the reader can see the intervention.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from boards import services
from boards.forms import (
    ActionForm,
    ActionStatusForm,
    AgendaItemForm,
    AttendanceForm,
    MeetingCreateForm,
    MeetingForm,
    PaperEditForm,
    PaperForm,
)
from boards.models import Action, AgendaItem, Board, Meeting, Paper
from boards.permissions import is_secretariat_of
from directions.models import Direction
from interventions.kit.downloads import stored_file_response
from interventions.kit.lists import crumbs_for, get_intervention
from interventions.kit.saving import save_or_explain
from interventions.models import Intervention, Programme


def _board_crumbs(intervention: Intervention, board: Board) -> list[tuple[str, str]]:
    boards_url = reverse("boards:board_list", kwargs={"slug": intervention.slug})
    return crumbs_for(intervention, ("Boards", boards_url), (board.name, board.get_absolute_url()))


def _meeting(request: HttpRequest, slug: str, pk: int) -> tuple[Intervention, Meeting]:
    intervention = get_intervention(request, slug)
    meeting = get_object_or_404(
        Meeting.objects.select_related("board__intervention"),
        board__intervention=intervention,
        pk=pk,
    )
    return intervention, meeting


def _secretariat_only(request: HttpRequest, intervention: Intervention) -> None:
    if not is_secretariat_of(request.user, intervention):
        raise PermissionDenied("Only the Board's secretariat (the improvement team) does this.")


def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    agenda = meeting.agenda_items.select_related("presenter").prefetch_related(
        Prefetch("programmes", Programme.objects.select_related("intervention")),
        Prefetch(
            "directions", Direction.objects.select_related("parent", "direction_set__intervention")
        ),
    )
    previous = meeting.previous()
    today = timezone.localdate()
    context = {
        "intervention": intervention,
        "section": "boards",
        "crumbs": _board_crumbs(intervention, meeting.board),
        "meeting": meeting,
        "board": meeting.board,
        "agenda": list(agenda),
        "papers": list(meeting.papers.select_related("agenda_item")),
        "attendance": list(meeting.attendance.select_related("person")),
        "actions": list(meeting.actions.select_related("owner", "meeting")),
        "carried": list(Action.objects.carried_to(meeting).select_related("owner", "meeting")),
        "recommendations": list(meeting.recommendations.select_related("owner")),
        "previous": previous,
        "changes_until": min(meeting.date, today),
        "can_run": is_secretariat_of(request.user, intervention),
        "today": today,
    }
    return render(request, "boards/meeting_detail.html", context)


def meeting_create(request: HttpRequest, slug: str, key: str) -> HttpResponse:
    """Schedule the board's next meeting; the date is suggested from its cadence."""
    intervention = get_intervention(request, slug)
    board = get_object_or_404(Board, intervention=intervention, key=key)
    _secretariat_only(request, intervention)
    suggested = board.next_meeting_date()
    form = MeetingCreateForm(
        request.POST or None, board=board, initial={"date": suggested, "kind": "formal"}
    )
    if request.method == "POST" and form.is_valid():
        meeting = services.schedule_meeting(board, **form.cleaned_data)
        messages.success(request, f"Meeting scheduled for {meeting.date:%-d %B %Y}.")
        return redirect(meeting.get_absolute_url())
    context = {
        "intervention": intervention,
        "section": "boards",
        "crumbs": _board_crumbs(intervention, board),
        "board": board,
        "form": form,
        "suggested": suggested,
        "review_due": suggested is not None and board.cadence_due_for_review(suggested),
    }
    return render(request, "boards/meeting_create.html", context)


def _meeting_form_page(
    request: HttpRequest,
    intervention: Intervention,
    meeting: Meeting,
    form: object,
    heading: str,
    **extra: object,
) -> HttpResponse:
    context = {
        "intervention": intervention,
        "section": "boards",
        "crumbs": [
            *_board_crumbs(intervention, meeting.board),
            (f"{meeting.date:%-d %B %Y}", meeting.get_absolute_url()),
        ],
        "meeting": meeting,
        "form": form,
        "heading": heading,
        **extra,
    }
    return render(request, "boards/meeting_form.html", context)


def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    _secretariat_only(request, intervention)
    form = MeetingForm(request.POST or None, instance=meeting)
    stale = None
    if request.method == "POST" and form.is_valid():
        stale = save_or_explain(form, form.cleaned_data["reason"] or "Meeting updated")
        if stale is None:
            messages.success(request, "Meeting updated.")
            return redirect(meeting.get_absolute_url())
    return _meeting_form_page(
        request, intervention, meeting, form, "Edit the meeting and its minutes", stale=stale
    )


def agenda_item_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    _secretariat_only(request, intervention)
    position = meeting.agenda_items.count() + 1
    form = AgendaItemForm(
        request.POST or None, intervention=intervention, initial={"position": position}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.add_agenda_item(
            meeting,
            title=data["title"],
            position=data["position"],
            presenter=data["presenter"],
            notes=data["notes"],
            programmes=list(data["programmes"]),
            directions=list(data["directions"]),
        )
        messages.success(request, f"Agenda item added: {data['title']}")
        return redirect(f"{meeting.get_absolute_url()}#agenda")
    return _meeting_form_page(request, intervention, meeting, form, "Add an agenda item")


def paper_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    _secretariat_only(request, intervention)
    form = PaperForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            paper = services.add_paper(
                meeting,
                title=data["title"],
                upload=data["file"],
                by=request.user,
                exempt=data["publication"] == "exempt",
                exemption_reason=data["exemption_reason"],
                agenda_item=data["agenda_item"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, f"Paper added: {paper.title}")
            return redirect(f"{meeting.get_absolute_url()}#papers")
    return _meeting_form_page(request, intervention, meeting, form, "Add a paper", multipart=True)


def paper_edit(request: HttpRequest, slug: str, uuid: str) -> HttpResponse:
    """Correct a paper's title or agenda item, or make it exempt (or public) with the reason."""
    intervention = get_intervention(request, slug)
    paper = get_object_or_404(
        Paper.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        uuid=uuid,
    )
    _secretariat_only(request, intervention)
    form = PaperEditForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        paper = form.save(commit=False)
        paper._change_reason = "Paper made exempt" if paper.exempt else "Paper edited"
        paper.save()
        messages.success(request, f"Paper updated: {paper.title}")
        return redirect(f"{paper.meeting.get_absolute_url()}#papers")
    return _meeting_form_page(
        request, intervention, paper.meeting, form, f"Edit the paper ‘{paper.title}’"
    )


def agenda_item_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = get_intervention(request, slug)
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        pk=pk,
    )
    _secretariat_only(request, intervention)
    form = AgendaItemForm(request.POST or None, instance=item, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        item._change_reason = "Agenda item edited"
        item.save()
        form.save_m2m()
        messages.success(request, f"Agenda item updated: {item.title}")
        return redirect(f"{item.meeting.get_absolute_url()}#agenda")
    return _meeting_form_page(request, intervention, item.meeting, form, "Edit the agenda item")


def attendance_record(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    _secretariat_only(request, intervention)
    form = AttendanceForm(request.POST or None, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        services.record_attendance(meeting, **form.cleaned_data)
        messages.success(request, f"Attendance recorded for {form.cleaned_data['person']}.")
        return redirect(f"{meeting.get_absolute_url()}#attendance")
    return _meeting_form_page(request, intervention, meeting, form, "Record attendance")


def action_add(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention, meeting = _meeting(request, slug, pk)
    _secretariat_only(request, intervention)
    form = ActionForm(request.POST or None, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.meeting = meeting
        action._change_reason = "Action agreed"
        action.save()
        messages.success(request, "Action added to the action log.")
        return redirect(f"{meeting.get_absolute_url()}#actions")
    return _meeting_form_page(request, intervention, meeting, form, "Add an action")


def action_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    intervention = get_intervention(request, slug)
    action = get_object_or_404(
        Action.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        pk=pk,
    )
    _secretariat_only(request, intervention)
    form = ActionStatusForm(request.POST or None, instance=action)
    stale = None
    if request.method == "POST" and form.is_valid():
        stale = save_or_explain(form, "Action log updated")
        if stale is None:
            messages.success(request, "Action updated.")
            return redirect(f"{action.meeting.get_absolute_url()}#actions")
    return _meeting_form_page(
        request, intervention, action.meeting, form, "Update an action", stale=stale, action=action
    )


def paper_download(request: HttpRequest, slug: str, uuid: str) -> FileResponse:
    """A paper, public or exempt, for someone who can see the intervention."""
    intervention = get_intervention(request, slug)
    paper = get_object_or_404(Paper, meeting__board__intervention=intervention, uuid=uuid)
    return serve_paper(paper)


def serve_paper(paper: Paper) -> FileResponse:
    """The paper as a safe download (a paper may be withdrawn or found exempt later)."""
    return stored_file_response(
        paper.file, paper.original_name or f"paper-{paper.uuid}", paper.content_type
    )
