"""What the Board's secretariat does, as named steps: schedule the next meeting from the
cadence, add a paper, record who attended, and suggest when a response is due.

Every step saves through simple-history with a reason, so the audit trail says what was done.
"""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db import transaction

from boards.choices import AttendanceStatus, BoardKind, MeetingKind, MeetingStatus
from boards.models import AgendaItem, Attendance, Board, Meeting, Paper
from interventions.choices import ResponseDueRule
from interventions.dates.working_days import add_working_days
from interventions.evidence.services import check_upload, save_with_file
from interventions.models.base import set_change_reason, set_effective_date

if TYPE_CHECKING:
    from django.contrib.auth.models import User
    from django.core.files.uploadedfile import UploadedFile

    from interventions.models import Intervention, Person


def default_response_due(
    intervention: Intervention, made_on: datetime.date, board: Board | None = None
) -> datetime.date:
    """When the response to a recommendation made on `made_on` is due, by the intervention's
    rule: by the next meeting of the board (the main board, whatever the model calls it,
    unless another is given) after that day, or a number of England and Wales working days after it.
    With no next meeting scheduled, the working days apply."""
    if intervention.response_due_rule == ResponseDueRule.NEXT_BOARD_MEETING:
        meetings = Meeting.objects.filter(date__gt=made_on).exclude(status=MeetingStatus.CANCELLED)
        if board is not None:
            meetings = meetings.filter(board=board)
        else:
            meetings = meetings.filter(
                board__intervention=intervention,
                board__kind=BoardKind.TRANSFORMATION_ASSURANCE,
                board__parent__isnull=True,
            )
        next_date = meetings.order_by("date").values_list("date", flat=True).first()
        if next_date is not None:
            return next_date
    return add_working_days(made_on, intervention.response_due_working_days)


def schedule_meeting(
    board: Board,
    *,
    date: datetime.date,
    start_time: datetime.time | None = None,
    kind: str = MeetingKind.FORMAL,
    title: str = "",
) -> Meeting:
    meeting = Meeting(board=board, date=date, start_time=start_time, kind=kind, title=title)
    set_change_reason(meeting, "Meeting scheduled")
    meeting.save()
    return meeting


def add_agenda_item(
    meeting: Meeting,
    *,
    title: str,
    position: int,
    presenter: Person | None = None,
    notes: str = "",
    programmes: list | None = None,
    directions: list | None = None,
) -> AgendaItem:
    from interventions.models.base import create_with_links

    item = AgendaItem(
        meeting=meeting, title=title, position=position, presenter=presenter, notes=notes
    )
    set_change_reason(item, "Agenda item added")
    create_with_links(item, {"programmes": programmes or [], "directions": directions or []})
    return item


def add_paper(
    meeting: Meeting,
    *,
    title: str,
    upload: UploadedFile,
    by: User,
    exempt: bool = False,
    exemption_reason: str = "",
    agenda_item: AgendaItem | None = None,
) -> Paper:
    """Check an upload (kind, real content, size: as for evidence) and store it as a paper.
    An exempt paper must say why; nothing is written if a check fails."""
    if exempt and not exemption_reason.strip():
        raise ValueError("An exempt paper needs the reason it is exempt.")
    if agenda_item is not None and agenda_item.meeting_id != meeting.pk:
        raise ValueError("The agenda item is not on this meeting's agenda.")
    original_name, content_type = check_upload(upload)
    paper = Paper(
        meeting=meeting,
        agenda_item=agenda_item,
        uuid=uuid.uuid4(),
        title=title,
        original_name=original_name,
        content_type=content_type,
        size=upload.size,
        exempt=exempt,
        exemption_reason=exemption_reason.strip() if exempt else "",
        added_by=by,
    )
    set_change_reason(paper, "Exempt paper added" if exempt else "Paper added")
    save_with_file(paper, paper.file, upload)
    return paper


@dataclass(frozen=True)
class AttendanceEntry:
    """One row of a meeting's attendance as a form gives it: the person, what is to be
    recorded of them (an empty status: not recorded, which takes away a row recorded in
    error), and the version of their row the form was opened at (0: none recorded)."""

    person: Person
    status: str
    version: int
    note: str = ""
    substitute_name: str = ""
    substitute_role: str = ""


class StaleAttendance(Exception):
    """Someone else recorded the attendance of these people after the form was opened;
    nothing was saved. `current` holds each one's row as it is now (None: since removed)."""

    def __init__(self, current: dict[Person, Attendance | None]) -> None:
        self.current = current
        names = ", ".join(str(person) for person in current)
        super().__init__(f"The attendance of {names} was changed by someone else meanwhile.")


def record_attendance_of_all(meeting: Meeting, entries: list[AttendanceEntry]) -> int:
    """Record the attendance of everyone in `entries` at once, all or nothing, and say how
    many rows changed. A row recorded, changed or removed by someone else since the form was
    opened refuses the whole save (`StaleAttendance`); a row that is as it was is not saved
    again, so only real changes reach the history. A meeting's attendance is true from the
    day it was held, however late it is recorded."""
    changed = 0
    with transaction.atomic():
        rows = {
            row.person_id: row
            for row in Attendance.objects.select_for_update().filter(meeting=meeting)
        }
        stale: dict[Person, Attendance | None] = {}
        for entry in entries:
            row = rows.get(entry.person.pk)
            if (row.version if row else 0) != entry.version:
                stale[entry.person] = row
        if stale:
            raise StaleAttendance(stale)
        for entry in entries:
            row = rows.get(entry.person.pk)
            if not entry.status:
                if row is not None:
                    set_effective_date(row, meeting.date)
                    set_change_reason(row, "Attendance record removed")
                    row.delete()
                    changed += 1
                continue
            substitute = entry.status == AttendanceStatus.SUBSTITUTE
            values = {
                "status": entry.status,
                "note": entry.note.strip(),
                "substitute_name": entry.substitute_name.strip() if substitute else "",
                "substitute_role": entry.substitute_role.strip() if substitute else "",
            }
            if row is None:
                row = Attendance(meeting=meeting, person=entry.person, **values)
            elif all(getattr(row, name) == value for name, value in values.items()):
                continue
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                row.version += 1
            set_effective_date(row, meeting.date)
            set_change_reason(row, "Attendance recorded")
            row.save()
            changed += 1
    return changed


def record_attendance(meeting: Meeting, *, person: Person, status: str, note: str = "") -> None:
    """Record (or correct) whether one person attended or sent apologies."""
    row = Attendance.objects.filter(meeting=meeting, person=person).first()
    entry = AttendanceEntry(person, status, row.version if row else 0, note=note)
    record_attendance_of_all(meeting, [entry])
