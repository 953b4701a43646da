"""Running a board: its meetings, agendas, papers, attendance, minutes and action log.

Everyone who can see the intervention reads these pages; only the secretariat (the
improvement team), and where the model allows it the oversight member who chairs the board,
changes anything (`boards.permissions.can_run`). Papers, exempt ones included, are
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
    AttendanceGridForm,
    MeetingCreateForm,
    MeetingForm,
    PaperEditForm,
    PaperForm,
)
from boards.models import Action, AgendaItem, Board, Meeting, Paper
from boards.permissions import can_run, readable_papers
from directions.models import Direction
from interventions.kit.downloads import stored_file_response
from interventions.kit.pages import crumbs_for, intervention_page
from interventions.kit.saving import versioned_edit
from interventions.models import Intervention, Programme
from interventions.models.base import set_change_reason


def _board_crumbs(intervention: Intervention, board: Board) -> list[tuple[str, str]]:
    boards_url = reverse("boards:board_list", kwargs={"slug": intervention.slug})
    return crumbs_for(intervention, ("Boards", boards_url), (board.name, board.get_absolute_url()))


def _meeting(intervention: Intervention, pk: int) -> Meeting:
    return get_object_or_404(
        Meeting.objects.select_related("board__intervention"),
        board__intervention=intervention,
        pk=pk,
    )


def _runners_only(request: HttpRequest, board: Board) -> None:
    if not can_run(request.user, board):
        raise PermissionDenied(
            "Only the board's secretariat (the improvement team) or its chair does this."
        )


@intervention_page
def meeting_detail(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    meeting = _meeting(intervention, pk)
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
        "papers": list(readable_papers(request.user, meeting.papers.select_related("agenda_item"))),
        "attendance": meeting.attendance_sheet(),
        "actions": list(meeting.actions.select_related("owner", "meeting")),
        "carried": list(Action.objects.carried_to(meeting).select_related("owner", "meeting")),
        "recommendations": list(meeting.recommendations.select_related("owner")),
        "previous": previous,
        "changes_until": min(meeting.date, today),
        "can_run": can_run(request.user, meeting.board),
        "today": today,
    }
    return render(request, "boards/meeting_detail.html", context)


@intervention_page
def meeting_create(request: HttpRequest, intervention: Intervention, key: str) -> HttpResponse:
    """Schedule the board's next meeting; the date is suggested from its cadence."""
    board = get_object_or_404(Board, intervention=intervention, key=key)
    _runners_only(request, board)
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


@intervention_page
def meeting_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    meeting = _meeting(intervention, pk)
    _runners_only(request, meeting.board)
    form = MeetingForm(request.POST or None, instance=meeting)

    return versioned_edit(
        request,
        form,
        reason=lambda: form.cleaned_data["reason"] or "Meeting updated",
        message="Meeting updated.",
        done=meeting.get_absolute_url(),
        page=lambda stale: _meeting_form_page(
            request, intervention, meeting, form, "Edit the meeting and its minutes", stale=stale
        ),
    )


@intervention_page
def agenda_item_add(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    meeting = _meeting(intervention, pk)
    _runners_only(request, meeting.board)
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


@intervention_page
def paper_add(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    meeting = _meeting(intervention, pk)
    _runners_only(request, meeting.board)
    form = PaperForm(request.POST or None, request.FILES or None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
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


@intervention_page
def paper_edit(request: HttpRequest, intervention: Intervention, uuid: str) -> HttpResponse:
    """Correct a paper's title or agenda item, or make it exempt (or public) with the reason."""
    paper = get_object_or_404(
        Paper.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        uuid=uuid,
    )
    _runners_only(request, paper.meeting.board)
    form = PaperEditForm(request.POST or None, instance=paper)
    if request.method == "POST" and form.is_valid():
        paper = form.save(commit=False)
        set_change_reason(paper, "Paper made exempt" if paper.exempt else "Paper edited")
        paper.save()
        messages.success(request, f"Paper updated: {paper.title}")
        return redirect(f"{paper.meeting.get_absolute_url()}#papers")
    return _meeting_form_page(
        request, intervention, paper.meeting, form, f"Edit the paper ‘{paper.title}’"
    )


@intervention_page
def agenda_item_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    item = get_object_or_404(
        AgendaItem.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        pk=pk,
    )
    _runners_only(request, item.meeting.board)
    form = AgendaItemForm(request.POST or None, instance=item, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        item = form.save(commit=False)
        set_change_reason(item, "Agenda item edited")
        item.save()
        form.save_m2m()
        messages.success(request, f"Agenda item updated: {item.title}")
        return redirect(f"{item.meeting.get_absolute_url()}#agenda")
    return _meeting_form_page(request, intervention, item.meeting, form, "Edit the agenda item")


@intervention_page
def attendance_record(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """The attendance of the whole meeting on one page: each member of the board on the
    meeting's date, anyone else already recorded, and rows to add others who attended.
    Saved all at once, or not at all when someone else recorded attendance meanwhile."""
    meeting = _meeting(intervention, pk)
    _runners_only(request, meeting.board)
    form = AttendanceGridForm(
        request.POST or None, meeting=meeting, lines=meeting.attendance_sheet()
    )
    stale = None
    if request.method == "POST" and form.is_valid():
        try:
            changed = services.record_attendance_of_all(meeting, form.entries())
        except services.StaleAttendance as error:
            stale = error
            form.carry_over(error)
        else:
            messages.success(
                request,
                f"Attendance saved: {changed} {'change' if changed == 1 else 'changes'}."
                if changed
                else "Attendance saved: nothing had changed.",
            )
            return redirect(f"{meeting.get_absolute_url()}#attendance")
    context = {
        "intervention": intervention,
        "section": "boards",
        "crumbs": [
            *_board_crumbs(intervention, meeting.board),
            (f"{meeting.date:%-d %B %Y}", meeting.get_absolute_url()),
        ],
        "meeting": meeting,
        "form": form,
        "stale": stale,
    }
    return render(request, "boards/attendance_form.html", context)


@intervention_page
def action_add(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    meeting = _meeting(intervention, pk)
    _runners_only(request, meeting.board)
    form = ActionForm(request.POST or None, intervention=intervention)
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.meeting = meeting
        set_change_reason(action, "Action agreed")
        action.save()
        messages.success(request, "Action added to the action log.")
        return redirect(f"{meeting.get_absolute_url()}#actions")
    return _meeting_form_page(request, intervention, meeting, form, "Add an action")


@intervention_page
def action_edit(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    action = get_object_or_404(
        Action.objects.select_related("meeting__board__intervention"),
        meeting__board__intervention=intervention,
        pk=pk,
    )
    _runners_only(request, action.meeting.board)
    form = ActionStatusForm(request.POST or None, instance=action)

    return versioned_edit(
        request,
        form,
        reason=lambda: "Action log updated",
        message="Action updated.",
        done=f"{action.meeting.get_absolute_url()}#actions",
        page=lambda stale: _meeting_form_page(
            request,
            intervention,
            action.meeting,
            form,
            "Update an action",
            stale=stale,
            action=action,
        ),
    )


@intervention_page
def paper_download(request: HttpRequest, intervention: Intervention, uuid: str) -> FileResponse:
    """A paper, public or exempt, for someone who can see the intervention (the Department
    only a public one: `boards.permissions.readable_papers`)."""
    paper = get_object_or_404(
        readable_papers(request.user, Paper.objects.all()),
        meeting__board__intervention=intervention,
        uuid=uuid,
    )
    return serve_paper(paper)


def serve_paper(paper: Paper) -> FileResponse:
    """The paper as a safe download (a paper may be withdrawn or found exempt later)."""
    return stored_file_response(
        paper.file, paper.original_name or f"paper-{paper.uuid}", paper.content_type
    )
