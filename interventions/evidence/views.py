"""Pages for evidence and challenge: add evidence, download it, add a challenge or comment.

Who may do what is decided on the server (`interventions.access.permissions`): adding evidence needs
the right to update the programme or milestone; downloading and commenting need only the right
to see the intervention. Someone outside the intervention gets 404, as if it did not exist.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from interventions.access import permissions
from interventions.choices import CommentKind, EvidenceKind
from interventions.evidence import services as service
from interventions.evidence.forms import CommentForm, EvidenceForm, ReplyForm, ResolveForm
from interventions.kit.downloads import stored_file_response
from interventions.kit.pages import (
    intervention_page,
    milestone_crumbs,
    programme_crumbs,
)
from interventions.models import Comment, Evidence, Intervention, Milestone, Programme


@dataclass
class Target:
    """The programme, or the milestone of a programme, that evidence or a comment is about."""

    intervention: Intervention
    programme: Programme
    milestone: Milestone | None = None

    @property
    def page_url(self) -> str:
        return (self.milestone or self.programme).get_absolute_url()

    @property
    def label(self) -> str:
        if self.milestone is not None:
            return f"Milestone {self.milestone.label}"
        return f"Programme {self.programme.number}"

    @property
    def section(self) -> str:
        return "milestones" if self.milestone is not None else "programmes"

    def crumbs(self) -> list[tuple[str, str]]:
        if self.milestone is not None:
            return milestone_crumbs(self.milestone)
        return programme_crumbs(self.programme)

    def may_update(self, request: HttpRequest) -> bool:
        if self.milestone is not None:
            return permissions.can_update_milestone(request.user, self.milestone)
        return permissions.can_update_programme(request.user, self.programme)


def programme_target(intervention: Intervention, number: int) -> Target:
    programme = get_object_or_404(
        Programme.objects.select_related("intervention"), intervention=intervention, number=number
    )
    return Target(intervention, programme)


def milestone_target(intervention: Intervention, pk: int) -> Target:
    milestone = get_object_or_404(
        Milestone.objects.select_related("programme__intervention"),
        programme__intervention=intervention,
        pk=pk,
    )
    return Target(intervention, milestone.programme, milestone)


def _add_evidence(request: HttpRequest, target: Target) -> HttpResponse:
    if not target.may_update(request):
        raise PermissionDenied
    accepted = service.accepted_extensions()
    max_size = service.size_text(settings.EVIDENCE_MAX_BYTES)
    if request.method == "POST":
        form = EvidenceForm(request.POST, request.FILES, accepted=accepted, max_size=max_size)
        if form.is_valid():
            data = form.cleaned_data
            assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
            try:
                if data["kind"] == EvidenceKind.FILE:
                    item = service.add_file(
                        programme=target.programme,
                        milestone=target.milestone,
                        title=data["title"],
                        upload=data["file"],
                        by=request.user,
                    )
                else:
                    item = service.add_link(
                        programme=target.programme,
                        milestone=target.milestone,
                        title=data["title"],
                        url=data["url"],
                        by=request.user,
                    )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, f"Evidence added: {item.title}")
                return redirect(f"{target.page_url}#evidence")
    else:
        form = EvidenceForm(accepted=accepted, max_size=max_size)
    context = {
        "intervention": target.intervention,
        "section": target.section,
        "crumbs": target.crumbs(),
        "target": target,
        "form": form,
    }
    return render(request, "evidence/evidence_add.html", context)


@intervention_page
def programme_evidence_add(
    request: HttpRequest, intervention: Intervention, number: int
) -> HttpResponse:
    return _add_evidence(request, programme_target(intervention, number))


@intervention_page
def milestone_evidence_add(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    return _add_evidence(request, milestone_target(intervention, pk))


@intervention_page
def evidence_download(request: HttpRequest, intervention: Intervention, uuid: str) -> FileResponse:
    """An uploaded file, to anyone who can see its intervention, as a download that the
    browser must not sniff, render inline or run scripts from. Links have no download."""
    item = get_object_or_404(
        Evidence.objects.filter(intervention=intervention, kind=EvidenceKind.FILE), uuid=uuid
    )
    return stored_file_response(
        item.file, item.original_name or f"evidence-{item.uuid}", item.content_type
    )


def _add_comment(request: HttpRequest, target: Target) -> HttpResponse:
    if not permissions.can_comment(request.user, target.intervention):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
        comment = service.add_comment(
            programme=target.programme,
            milestone=target.milestone,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            by=request.user,
        )
        messages.success(request, f"{comment.get_kind_display()} added")
        return redirect(f"{target.page_url}#comments")
    context = {
        "intervention": target.intervention,
        "section": target.section,
        "crumbs": target.crumbs(),
        "target": target,
        "comment_form": form,
        "comment_add_url": request.path,
    }
    return render(request, "evidence/comment_add.html", context)


@require_POST
@intervention_page
def programme_comment_add(
    request: HttpRequest, intervention: Intervention, number: int
) -> HttpResponse:
    return _add_comment(request, programme_target(intervention, number))


@require_POST
@intervention_page
def milestone_comment_add(
    request: HttpRequest, intervention: Intervention, pk: int
) -> HttpResponse:
    return _add_comment(request, milestone_target(intervention, pk))


# A challenge's thread: replies and resolution


def _challenge(intervention: Intervention, pk: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("programme__intervention", "milestone__programme", "author"),
        programme__intervention=intervention,
        parent__isnull=True,
        kind=CommentKind.CHALLENGE,
        pk=pk,
    )


def _thread_target(challenge: Comment) -> Target:
    return Target(challenge.programme.intervention, challenge.programme, challenge.milestone)


def _thread_page(
    request: HttpRequest, challenge: Comment, form: ReplyForm | ResolveForm, action: str
) -> HttpResponse:
    target = _thread_target(challenge)
    context = {
        "intervention": target.intervention,
        "section": target.section,
        "crumbs": target.crumbs(),
        "target": target,
        "challenge": challenge,
        "form": form,
        "action": action,
    }
    return render(request, "evidence/challenge_thread_form.html", context)


@intervention_page
def challenge_reply(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Reply to a challenge: answer it (its owner, a delegate, the improvement team) or,
    as the challenger, ask again."""
    challenge = _challenge(intervention, pk)
    if not permissions.can_reply(request.user, challenge):
        raise PermissionDenied("You cannot reply to this challenge.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
        try:
            service.reply_to_challenge(
                challenge=challenge, text=form.cleaned_data["text"], by=request.user
            )
        except service.ThreadRefused as refused:
            form.add_error("text", str(refused))
        else:
            messages.success(request, "Reply added")
            return redirect(challenge.get_absolute_url())
    return _thread_page(request, challenge, form, "reply")


@intervention_page
def challenge_resolve(request: HttpRequest, intervention: Intervention, pk: int) -> HttpResponse:
    """Resolve a challenge: the challenger, or the improvement team."""
    challenge = _challenge(intervention, pk)
    if not permissions.can_resolve(request.user, challenge):
        raise PermissionDenied("You cannot resolve this challenge.")
    form = ResolveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        assert request.user.is_authenticated  # every page needs login (LoginRequiredMiddleware)
        try:
            service.resolve_challenge(
                challenge=challenge, note=form.cleaned_data["note"], by=request.user
            )
        except service.ThreadRefused as refused:
            form.add_error("note", str(refused))
        else:
            messages.success(request, "Challenge resolved")
            return redirect(challenge.get_absolute_url())
    return _thread_page(request, challenge, form, "resolve")
