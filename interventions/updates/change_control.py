"""Change control: agreed milestones move only with a reason and the improvement team's say.

A slip of the end date past the baseline, a change of scope, or closing a milestone early
creates a change request. Approving it re-baselines (or changes the scope, or closes the
milestone); the old baseline stays in the milestone's history and on the request.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone

from interventions import schedule
from interventions.choices import ChangeKind, ChangeStatus, WorkStatus
from interventions.models import ChangeRequest, Milestone
from interventions.models.base import set_change_reason

if TYPE_CHECKING:
    from django.contrib.auth.models import User


class ChangeRefused(Exception):
    """The request cannot be decided (it is no longer pending, or a note is missing)."""


def slips_past_baseline(milestone: Milestone, forecast_end: datetime.date | None) -> bool:
    """Whether a forecast end moves the milestone past its agreed end."""
    return schedule.slips(milestone.baseline_end, forecast_end)


def request_change(
    milestone: Milestone,
    *,
    kind: str,
    reason: str,
    by: User,
    proposed_end: datetime.date | None = None,
    proposed_title: str = "",
    proposed_steps: str = "",
) -> ChangeRequest:
    """Ask for a change. A new slip replaces the end date of a slip request still pending,
    so there is one open question per milestone and kind."""
    with transaction.atomic():
        pending = (
            ChangeRequest.objects.select_for_update()
            .filter(milestone=milestone, kind=kind, status=ChangeStatus.PENDING)
            .first()
        )
        request = pending or ChangeRequest(milestone=milestone, kind=kind, requested_by=by)
        request.reason = reason
        request.proposed_end = proposed_end
        request.proposed_title = proposed_title
        request.proposed_steps = proposed_steps
        request.requested_by = by
        set_change_reason(
            request, "Change requested" if pending is None else "Change request revised"
        )
        request.save()
        return request


def approve(request: ChangeRequest, *, by: User, note: str = "") -> None:
    """Approve a pending request and apply it to the milestone."""
    with transaction.atomic():
        request = _pending(request)
        milestone = Milestone.objects.select_for_update().get(pk=request.milestone_id)
        request.baseline_before = milestone.baseline_end
        reason = f"Change request approved: {request.reason}"
        match request.kind:
            case ChangeKind.END_DATE:
                milestone.baseline_end = request.proposed_end
            case ChangeKind.SCOPE:
                milestone.title = request.proposed_title or milestone.title
                milestone.steps = request.proposed_steps
            case ChangeKind.CLOSE_EARLY:
                milestone.status = WorkStatus.CANCELLED
                milestone.actual_end = timezone.localdate()
        # A decision moves the version on, so a form opened before it cannot undo it.
        milestone.version += 1
        set_change_reason(milestone, reason)
        milestone.save()
        _decide(request, ChangeStatus.APPROVED, by, note)


def reject(request: ChangeRequest, *, by: User, note: str) -> None:
    """Reject a pending request; the note saying why is required."""
    if not note.strip():
        raise ChangeRefused("Say why the request is rejected.")
    with transaction.atomic():
        request = _pending(request)
        request.baseline_before = request.milestone.baseline_end
        _decide(request, ChangeStatus.REJECTED, by, note)


def _pending(request: ChangeRequest) -> ChangeRequest:
    current = ChangeRequest.objects.select_for_update().get(pk=request.pk)
    if current.status != ChangeStatus.PENDING:
        raise ChangeRefused(f"This request was already {current.get_status_display().lower()}.")
    return current


def _decide(request: ChangeRequest, status: str, by: User, note: str) -> None:
    request.status = status
    request.decided_by = by
    request.decided_at = timezone.now()
    request.decision_note = note
    set_change_reason(request, f"Change request {request.get_status_display().lower()}")
    request.save()
