"""What a new draft starts with: its covering letter (addressee, salutation, body, sign-off and
signatories), an executive summary and a progress narrative for each Direction, all written
from the record as it stood on the report's as-of date.

Pre-filling happens once, when the draft is started: from then on these are the improvement
team's (or the oversight's) words, edited in the draft and frozen when it is issued, so that
building the same report again prints the same text. Only empty fields are filled: nothing
anyone wrote is overwritten.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.utils.dateformat import format as format_date

from boards.choices import MeetingStatus
from directions.choices import Compliance, ReportKind
from interventions import schedule
from interventions.choices import RAG, Role, WorkStatus
from interventions.models import Appointment, Intervention
from interventions.models.intervention import as_precise
from reports import snapshot as snapshots
from reports.choices import MAX_SIGNATORIES
from reports.models import Report

LONG_DATE = "j F Y"

# Who signs for the council: its political head, then its head of paid service.
COUNCIL_SIGNATORIES = (Role.MAYOR, Role.LEADER, Role.CHIEF_EXECUTIVE)

# Whom each kind is addressed to when no earlier report of the kind says.
DEFAULT_ADDRESSEE: dict[str, str] = {
    ReportKind.SOS: "Secretary of State",
    ReportKind.STOCKTAKE: "Minister of State",
}


def _day(day: datetime.date) -> str:
    return format_date(day, LONG_DATE)


def counted(number: int, singular: str, plural: str = "") -> str:
    """ "1 Direction", "3 Directions"."""
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def listed(parts: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    if len(parts) <= 1:
        return "".join(parts)
    return f"{', '.join(parts[:-1])} and {parts[-1]}"


def period_start(report: Report) -> datetime.date:
    """Where the period a report covers begins: the previous report's as-of date, else the day
    the Directions were made."""
    previous = report.previous
    return previous.as_of if previous else report.intervention.directions_date


def default_addressee(report: Report) -> str:
    """The addressee of the last report of the same kind that names one, else the usual one for
    the kind (the Board's chair for a delivery report)."""
    earlier = (
        Report.objects.issued()
        .filter(intervention_id=report.intervention_id, kind=report.kind, as_of__lte=report.as_of)
        .exclude(addressed_to="")
        .exclude(pk=report.pk)
        .order_by("-as_of")
        .values_list("addressed_to", flat=True)
        .first()
    )
    if earlier:
        return earlier
    if report.kind == ReportKind.BOARD:
        return f"The Chair, {report.intervention.words.main_board}"
    return DEFAULT_ADDRESSEE.get(report.kind, "")


def salutation_for(addressee: str) -> str:
    name = addressee.split(",")[0].strip()
    name = name.removeprefix("The ").removeprefix("the ")
    return f"Dear {name}," if name else ""


def signatories_on(
    intervention: Intervention, kind: str, day: datetime.date
) -> list[dict[str, str]]:
    """Who signs a report of this kind: the oversight's members in role on the day (lead
    first) for the kinds the oversight writes, else the council's political head and chief
    executive; each with their role as the intervention's model names it."""
    words = intervention.words
    roles = list(words.roles) if words.oversight_writes(kind) else list(COUNCIL_SIGNATORIES)
    rank = {role: index for index, role in enumerate(roles)}
    held = (
        Appointment.objects.current(day)
        .filter(person__intervention=intervention, role__in=roles)
        .exclude(person__name="")
        .select_related("person")
    )
    signatories: list[dict[str, str]] = []
    seen: set[int] = set()
    for appointment in sorted(held, key=lambda a: (rank[a.role], a.person.name)):
        if appointment.person_id in seen:
            continue
        seen.add(appointment.person_id)
        role = words.role_label(appointment.role, appointment.get_role_display())
        signatories.append({"name": appointment.person.name, "role": role})
    return signatories[:MAX_SIGNATORIES]


def direction_narrative(snap: snapshots.Snapshot, direction: snapshots.DirectionRow) -> str:
    """A Direction's progress as the record gives it: when it was met and the paper that
    records it, and its evidence."""
    status = ""
    if direction.compliance == Compliance.MET and direction.met_on is not None:
        met_on = as_precise(direction.met_on, direction.met_on_precision)
        if direction.met_on <= snap.as_of:
            status = f"Met on {met_on}."
    if direction.compliance_source.strip():
        status = f"{status} Recorded in {direction.compliance_source.strip()}.".strip()
    parts = [status] if status else []
    if direction.evidence.strip():
        parts.append(direction.evidence.strip())
    if not parts:
        parts.append(f"No evidence had been recorded by {_day(snap.as_of)}.")
    return "\n\n".join(parts)


def summary_text(report: Report, snap: snapshots.Snapshot) -> str:
    """A factual summary of where things stood: Directions, programmes, milestones, the
    Board's meetings and recommendations."""
    words = report.intervention.words
    on, since = _day(report.as_of), _day(period_start(report))
    paragraphs = []
    top = snap.top_level_directions()
    if top:
        by_status = Counter(Compliance(d.compliance).label.lower() for d in top if d.compliance)
        detail = listed([f"{n} {label}" for label, n in sorted(by_status.items())])
        paragraphs.append(
            f"As of {on}, {counted(len(top), 'Direction')} were in force"
            + (f": {detail}." if detail else ".")
        )
    if snap.programmes:
        rags = Counter(p.rag for p in snap.programmes)
        rag_text = listed(
            [f"{n} {RAG(value).label.lower()}" for value, n in rags.items() if value in RAG.values]
        )
        done = sum(1 for m in snap.milestones if m.status == WorkStatus.COMPLETE)
        overdue = sum(1 for m in snap.milestones if schedule.is_overdue(m, report.as_of))
        slipped = sum(
            1 for m in snap.milestones if schedule.is_slipped(m) and not schedule.is_finished(m)
        )
        paragraphs.append(
            f"The improvement plan had {counted(len(snap.programmes), 'programme')} "
            f"({rag_text}). Of its {counted(len(snap.milestones), 'milestone')}, {done} "
            f"{'was' if done == 1 else 'were'} complete, {overdue} overdue and {slipped} "
            "forecast to end after their baseline."
        )
    else:
        paragraphs.append("No improvement plan had been recorded by then.")
    start = period_start(report)
    held = [
        m
        for m in snap.meetings
        if start <= m.date <= report.as_of and m.status != MeetingStatus.CANCELLED
    ]
    recs = snap.recommendations
    answered = sum(1 for r in recs if r.responded_on)
    paragraphs.append(
        f"From {since} to {on} the boards met {counted(len(held), 'time')}. "
        f"{counted(len(recs), 'recommendation')} had been made to the council by "
        f"{words.oversight_plural} and others, and {answered} answered."
    )
    return "\n\n".join(paragraphs)


def letter_text(report: Report, snap: snapshots.Snapshot) -> str:
    words = report.intervention.words
    label = words.report_label(report.kind)
    opening = (
        f"Please find enclosed the {label[0].lower() + label[1:]}, as things stood on "
        f"{_day(report.as_of)}. It covers the period from {_day(period_start(report))} to that "
        "date."
    )
    if report.kind == ReportKind.SOS and report.full_council_on:
        opening += f" Full Council considers it on {_day(report.full_council_on)}."
    contents = (
        "The executive summary gives the overall position. The sections that follow set out "
        "progress against each Direction in force, the improvement plan's programmes with "
        f"their latest updates, risks and next steps by Best Value theme, and the work of the "
        f"{words.main_board}; the evidence relied on is listed in the appendix. Paragraphs are "
        "numbered for reference."
    )
    return f"{opening}\n\n{contents}"


def prefill(report: Report) -> None:
    """Fill the draft's empty letter fields, summary and Direction narratives from the record
    as of its date (not saved here: the caller saves the report)."""
    intervention = report.intervention
    snap = snapshots.take(intervention, report.as_of)
    if not report.addressed_to:
        report.addressed_to = default_addressee(report)
    if not report.salutation:
        report.salutation = salutation_for(report.addressed_to)
    if not report.letter_body:
        report.letter_body = letter_text(report, snap)
    if not report.sign_off:
        report.sign_off = "Yours sincerely,"
    if not report.signatories:
        report.signatories = signatories_on(intervention, report.kind, report.as_of)
    if not report.summary:
        report.summary = summary_text(report, snap)
    commentary = dict(report.direction_commentary or {})
    for direction in snap.top_level_directions():
        commentary.setdefault(str(direction.id), direction_narrative(snap, direction))
    report.direction_commentary = commentary


def directions_in_force(report: Report) -> list[tuple[snapshots.DirectionRow, str]]:
    """The Directions in force on the report's as-of date (top level, in reading order), each
    with the narrative its record gives."""
    snap = snapshots.take(report.intervention, report.as_of)
    return [(d, direction_narrative(snap, d)) for d in snap.top_level_directions()]
