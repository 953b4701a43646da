"""What each kind of report says: the template context for a report to the Board (or to
whoever oversees the council), to the Secretary of State or the oversight's stocktake,
assembled from the snapshot of the record at its as-of date (`reports.snapshot`), the movement
since the previous report and its narrative.

Nothing here renders or stores anything; `reports.pdf` turns this context into HTML and a PDF.
"""

from __future__ import annotations

import datetime
import re
from collections import Counter
from typing import Any

from django.db import models
from django.utils.dateformat import format as format_date

from boards.choices import (
    ActionStatus,
    AttendanceStatus,
    BoardKind,
    MeetingStatus,
    RecommendationSource,
)
from directions.charts import directions_by_compliance_chart
from directions.choices import Compliance, ReportKind
from interventions import schedule
from interventions.choices import RAG, Phase, SlipBaseline, WorkStatus
from interventions.dates.fuzzy import add_months
from interventions.dates.periods import ReportingPeriod
from interventions.kit.charts import Chart
from interventions.kit.lists import DATE_FORMAT
from interventions.models.intervention import as_precise
from interventions.plan.charts import milestones_by_schedule_chart, programmes_by_rag_chart
from interventions.vocabulary import STOCKTAKE_SOURCE
from reports import provenance
from reports import snapshot as snapshots
from reports.choices import SECTIONS, THEME_RATING_TAG_COLOURS, ThemeRating
from reports.exit_readiness import readiness
from reports.expectations import expectations_section
from reports.measures import measures_section
from reports.models import Report
from reports.risks import risks_section

# How each kind looks ahead: the Board meets quarterly, the Secretary of State hears every six
# months, stocktakes are at agreed intervals (taken here as six months). Keyed by the
# `ReportKind` values, which is what `Report.kind` holds.
LOOK_AHEAD_MONTHS: dict[str, int] = {
    ReportKind.BOARD: 3,
    ReportKind.SOS: 6,
    ReportKind.STOCKTAKE: 6,
}


def _label(choices: type[models.TextChoices], value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def report_context(report: Report) -> dict[str, Any]:
    """Everything a report's template shows: the snapshot at its as-of date, the movement
    since the previous report of its kind, and the narrative written for it.

    `charts` are the summary's charts (`interventions.kit.charts`, drawn by the dashboard's own
    functions from the snapshot's counts), each shown as an image with its text alternative
    and then its data table (reports/pdf/_figures.html); the report to the Secretary of State
    adds `directions_chart` to its section on the Directions."""
    intervention = report.intervention
    # An issued report is read as the record stood when it was issued, so that its preview
    # and its sources show what its PDF printed even after later corrections.
    issued_at = report.finalised_at if report.is_final and not report.issued_elsewhere else None
    snap = snapshots.take(intervention, report.as_of, known_on=issued_at)
    previous = report.previous
    # The movement is measured from what the previous report said: the record as it stood
    # when it was issued. A report issued outside Stocktake was never built from this record,
    # so it is compared with what is now known of its date.
    before = (
        snapshots.take(
            intervention,
            previous.as_of,
            known_on=None if previous.issued_elsewhere else previous.finalised_at,
        )
        if previous
        else None
    )
    against = report.slips_against
    moved = snapshots.movement(snap, before, against)
    since = previous.as_of if previous else intervention.directions_date
    until = add_months(report.as_of, LOOK_AHEAD_MONTHS[report.kind])
    # The executive summary is section 1; the others follow it, each numbered, with their
    # paragraphs numbered in the order the template prints them (see `Numbering`).
    summary = Numbering(1)
    sections = []
    numberings: dict[str, Numbering] = {}
    for number, (key, title) in enumerate(SECTIONS[report.kind], start=2):
        numberings[key] = Numbering(number)
        sections.append(
            {
                "key": key,
                "number": number,
                "title": title,
                "commentary": report.commentary_for(key),
                "paragraphs": numberings[key].take(report.commentary_for(key)),
            }
        )
    context: dict[str, Any] = {
        "report": report,
        "intervention": intervention,
        "authority": intervention.authority,
        "snap": snap,
        "movement": moved,
        "previous": previous,
        "since": since,
        "look_ahead_until": until,
        "sections": {s["key"]: s for s in sections},
        "section_list": sections,
        "programmes": [_programme_row(snap, p, report) for p in snap.programmes],
        "charts": _summary_charts(snap, against),
        "upcoming": [
            m
            for m in snap.milestones
            if not schedule.is_finished(m)
            and (due := schedule.due_date(m))
            and report.as_of < due <= until
        ],
        "overdue": [m for m in snap.milestones if schedule.is_overdue(m, report.as_of)],
        "slipped": [
            {"milestone": m, "days": snapshots.days_late(m, against)}
            for m in snap.milestones
            if schedule.is_slipped(m, against) and not schedule.is_finished(m)
        ],
        "slips_against": _label(SlipBaseline, against).lower(),
        "programme_titles": {p.id: f"{p.number}. {p.title}" for p in snap.programmes},
        "rag_labels": dict(RAG.choices),
        "summary_paragraphs": summary.take(report.summary),
        "letter": _letter(report),
        "board_work": _board_work(snap, since, report.as_of),
        "evidence": _evidence(snap),
        "progress": _programme_progress(snap, report),
        "measures": measures_section(intervention, report.as_of, snap.known_on),
        "risks": risks_section(intervention, report.as_of, snap.known_on),
        "expectations": expectations_section(intervention, report.as_of, snap.known_on),
    }
    context["outlook"] = _outlook(snap, context["upcoming"], context["risks"]["by_programme"])
    if "directions" in numberings:
        context["direction_progress"] = _direction_progress(report, snap, numberings["directions"])
        _cross_reference(context["evidence"], context["direction_progress"])
    if report.kind == ReportKind.BOARD:
        context.update(_board_context(report, snap))
    elif report.kind == ReportKind.SOS:
        context.update(_sos_context(report, snap, since))
        context["exit"] = readiness(intervention, report.as_of, snap.known_on)
    else:
        context.update(_stocktake_context(report, snap, numberings, since))
    context["sources"] = provenance.sections(context)
    return context


def paragraphs_of(text: str) -> list[str]:
    """The paragraphs of narrative text: a blank line starts a new one."""
    return [part.strip() for part in re.split(r"\n\s*\n", text or "") if part.strip()]


class Numbering:
    """The numbers of one section's paragraphs, as the oversight's letters number them: 2.1,
    2.2 … for section 2. Paragraphs are taken in the order the template prints them."""

    def __init__(self, section: int) -> None:
        self.section = section
        self.count = 0

    def take(self, text: str) -> list[dict[str, str]]:
        numbered = []
        for paragraph in paragraphs_of(text):
            self.count += 1
            numbered.append({"number": f"{self.section}.{self.count}", "text": paragraph})
        return numbered


def _letter(report: Report) -> dict[str, Any]:
    """The covering letter: from whom, when, to whom, its words and who signs it."""
    intervention = report.intervention
    words = intervention.words
    authority = intervention.authority.name
    writer_is_oversight = words.oversight_writes(report.kind)
    sender = f"{words.oversight_body} to {authority}" if writer_is_oversight else authority
    signatories = [
        {"name": str(s.get("name", "")), "role": str(s.get("role", ""))}
        for s in (report.signatories or [])
        if isinstance(s, dict) and (s.get("name") or s.get("role"))
    ]
    return {
        "sender": sender,
        "date": report.issued_on,
        "addressee": report.addressed_to,
        "address_lines": [line for line in report.addressee_address.splitlines() if line.strip()],
        "salutation": report.salutation,
        "paragraphs": paragraphs_of(report.letter_body),
        "sign_off": report.sign_off,
        "signatories": signatories,
    }


def _meets_duty(report: Report, snap: snapshots.Snapshot) -> dict[int, snapshots.DutyRow]:
    """The Directions whose duty this very report is (a Direction to report at intervals
    whose reporting duty is discharged by reports of this kind), by the Direction's id."""
    return {
        duty.direction_id: duty
        for duty in snap.duties
        if duty.report_kind == report.kind and duty.direction_id is not None
    }


def _direction_progress(
    report: Report, snap: snapshots.Snapshot, numbering: Numbering
) -> list[dict[str, Any]]:
    """Each Direction in force on the date, with its items, its compliance and the narrative
    written for it (numbered on from the section's commentary); a Direction this report
    itself discharges is shown as met by it."""
    duties = _meets_duty(report, snap)
    label = report.intervention.words.report_label(report.kind)
    rows = []
    for direction in snap.top_level_directions():
        items = snap.items_of(direction)
        duty = duties.get(direction.id) or next(
            (duties[i.id] for i in items if i.id in duties), None
        )
        compliance = _compliance(snap, direction)
        if duty is not None:
            compliance = {
                **compliance,
                "compliance": Compliance.MET,
                "compliance_label": f"Met by this report ({label})",
            }
        rows.append(
            {
                "direction": direction,
                "reference": snap.reference(direction),
                "title": direction.short_title,
                "duty": duty,
                "items": [
                    {"reference": snap.reference(i), "direction": i, **_compliance(snap, i)}
                    for i in items
                ],
                "paragraphs": numbering.take(report.direction_commentary_for(direction.id)),
                **compliance,
            }
        )
    return rows


def _cross_reference(evidence: dict[str, Any], progress: list[dict[str, Any]]) -> None:
    """Where a Direction's narrative already quotes its evidence in full, the appendix points
    to those paragraphs instead of printing it twice."""
    quoted = {}
    for row in progress:
        text = "\n\n".join(p["text"] for p in row["paragraphs"])
        evidence_text = row["direction"].evidence.strip()
        if row["paragraphs"] and evidence_text and evidence_text in text:
            first, last = row["paragraphs"][0]["number"], row["paragraphs"][-1]["number"]
            quoted[row["direction"].id] = first if first == last else f"{first} to {last}"
    for row in evidence["directions"]:
        row["quoted_in"] = quoted.get(row["direction"].id, "")


def _latest_updates(snap: snapshots.Snapshot) -> dict[int, snapshots.UpdateRow]:
    """Each programme's latest quarterly update by the as-of date."""
    latest: dict[int, snapshots.UpdateRow] = {}
    for update in snap.updates:
        known = latest.get(update.programme_id)
        if known is None or update.period_start >= known.period_start:
            latest[update.programme_id] = update
    return latest


def _programme_progress(snap: snapshots.Snapshot, report: Report) -> list[dict[str, Any]]:
    """Each programme, by aim, with the RAG and commentary of its latest quarter's update
    (the programme's own RAG where no update was written)."""
    latest = _latest_updates(snap)
    rows = []
    for programme in snap.programmes:
        update = latest.get(programme.id)
        rag = update.rag if update is not None and update.rag else programme.rag
        rows.append(
            {
                "programme": programme,
                "aim": next((a for a in snap.aims if a.id == programme.aim_id), None),
                "sro": snap.person(programme.sro_id),
                "rag": rag,
                "rag_label": _label(RAG, rag),
                "update": update,
                "period_label": ReportingPeriod.containing(update.period_start).label
                if update is not None
                else "",
            }
        )
    return rows


def _risks_of(
    snap: snapshots.Snapshot, programmes: list[snapshots.ProgrammeRow]
) -> list[dict[str, Any]]:
    """The risks reported for these programmes in their own words: those their latest
    quarterly updates name. (The risk log's entries for them are `logged`, in `_outlook`.)"""
    latest = _latest_updates(snap)
    return [
        {"programme": p, "update": latest[p.id], "text": latest[p.id].risks}
        for p in programmes
        if p.id in latest and latest[p.id].risks.strip()
    ]


def _outlook(
    snap: snapshots.Snapshot,
    upcoming: list[Any],
    logged: dict[int | None, list[dict[str, Any]]] | None = None,
) -> list[dict[str, Any]]:
    """Risks and next steps for each Best Value theme: the programmes mapped to it, with the
    next steps and risks of their latest updates, the open entries of the risk log for them
    (`logged`, by programme id: `reports.risks`, which scores them in its own section) and
    their milestones due in the period ahead; programmes mapped to no theme come last."""
    logged = logged or {}
    latest = _latest_updates(snap)
    groups: list[tuple[str, list[snapshots.ProgrammeRow]]] = []
    mapped: set[int] = set()
    for theme in snap.themes:
        programmes = [p for p in snap.programmes if theme.pk in snap.programme_themes.get(p.id, ())]
        mapped.update(p.id for p in programmes)
        groups.append((theme.name, programmes))
    rest = [p for p in snap.programmes if p.id not in mapped]
    if rest:
        groups.append(("Not mapped to a theme", rest))
    outlook = []
    for name, programmes in groups:
        ids = {p.id for p in programmes}
        outlook.append(
            {
                "name": name,
                "next_steps": [
                    {"programme": p, "update": latest[p.id], "text": latest[p.id].next_steps}
                    for p in programmes
                    if p.id in latest and latest[p.id].next_steps.strip()
                ],
                "risks": _risks_of(snap, programmes),
                "logged": [
                    {"programme": p, **entry} for p in programmes for entry in logged.get(p.id, [])
                ],
                "milestones": [m for m in upcoming if m.programme_id in ids],
                "programmes": programmes,
            }
        )
    return [group for group in outlook if group["programmes"]]


def _board_work(
    snap: snapshots.Snapshot, since: datetime.date, until: datetime.date
) -> dict[str, Any]:
    """The meetings held in the period with who attended, and the action log: the actions
    agreed in the period and those still open from before."""
    boards = {b.id: b for b in snap.boards}
    meetings = {m.id: m for m in snap.meetings}
    held = [
        m for m in snap.meetings if since <= m.date <= until and m.status != MeetingStatus.CANCELLED
    ]
    by_meeting: dict[int, list[Any]] = {}
    for row in snap.attendance:
        by_meeting.setdefault(row.meeting_id, []).append(row)
    attendance = []
    for meeting in held:
        rows = by_meeting.get(meeting.id, [])

        def names(status: str, rows: list[Any] = rows) -> list[str]:
            return sorted(snap.person(r.person_id) for r in rows if r.status == status)

        attendance.append(
            {
                "meeting": meeting,
                "board": boards.get(meeting.board_id),
                "present": names(AttendanceStatus.PRESENT),
                "apologies": names(AttendanceStatus.APOLOGIES),
                "absent": names(AttendanceStatus.ABSENT),
                "recorded": bool(rows),
            }
        )
    actions: list[dict[str, Any]] = [
        {
            "action": action,
            "meeting": meetings[action.meeting_id],
            "board": boards.get(meetings[action.meeting_id].board_id),
            "owner": snap.person(action.owner_id),
        }
        for action in snap.actions
        if action.meeting_id in meetings
        and (since <= meetings[action.meeting_id].date or action.status == ActionStatus.OPEN)
    ]
    actions.sort(key=lambda row: (row["meeting"].date, row["action"].id))
    return {"attendance": attendance, "actions": actions}


def _evidence(snap: snapshots.Snapshot) -> dict[str, Any]:
    """The evidence appendix: what each Direction's record cites, and the files and links
    added to the programmes and milestones by the as-of date."""
    milestones = {m.id: m for m in snap.milestones}
    return {
        "directions": [
            {
                "reference": snap.reference(d),
                "direction": d,
                "set_label": snap.set_label(d) if snap.several_sets else "",
            }
            for d in snap.directions
            if d.evidence.strip() or d.compliance_source.strip()
        ],
        "items": [
            {
                "item": e,
                "programme": snap.programme(e.programme_id),
                "milestone": milestones.get(e.milestone_id) if e.milestone_id else None,
            }
            for e in snap.evidence
            if snap.programme(e.programme_id) is not None
        ],
    }


def _summary_charts(snap: snapshots.Snapshot, against: str) -> list[Chart]:
    """Programmes by RAG and milestones against their dates, as they stood on the as-of
    date: the dashboard's charts, counted from the snapshot instead of today's rows."""
    on = snap.as_of
    return [
        programmes_by_rag_chart(
            Counter(p.rag for p in snap.programmes), when=f"on {format_date(on, DATE_FORMAT)}"
        ),
        milestones_by_schedule_chart(
            Counter(schedule.schedule_of(m, on, against).value for m in snap.milestones),
            on,
            against=against,
        ),
    ]


def _programme_row(
    snap: snapshots.Snapshot, programme: snapshots.ProgrammeRow, report: Report
) -> dict[str, Any]:
    milestones = snap.milestones_of(programme)
    return {
        "programme": programme,
        "sro": snap.person(programme.sro_id),
        "sponsor": snap.person(programme.sponsor_id),
        "lead_member": snap.person(programme.lead_member_id),
        "status": _label(WorkStatus, programme.status),
        "phase": _label(Phase, programme.phase),
        "rag": programme.rag,
        "rag_label": _label(RAG, programme.rag),
        "milestones": len(milestones),
        "complete": sum(1 for m in milestones if m.status == WorkStatus.COMPLETE),
        "slipped": sum(
            1
            for m in milestones
            if schedule.is_slipped(m, report.slips_against) and not schedule.is_finished(m)
        ),
    }


def _board_context(report: Report, snap: snapshots.Snapshot) -> dict[str, Any]:
    period = report.period
    updates = {u.programme_id: u for u in snap.updates if u.period_start == period.start}
    done = [
        m
        for m in snap.milestones
        if m.status == WorkStatus.COMPLETE
        and (m.actual_end is None or period.start <= m.actual_end <= period.end)
    ]
    return {
        "period": period,
        "period_updates": [
            {
                "programme": p,
                "update": updates.get(p.id),
                "rag_label": _label(RAG, updates[p.id].rag),
            }
            if p.id in updates
            else {"programme": p, "update": None}
            for p in snap.programmes
        ],
        "done_in_period": done,
        "decisions": [
            {"programme": snap.programme(u.programme_id), "update": u}
            for u in updates.values()
            if u.decisions_needed or u.risks
        ],
    }


def _compliance(snap: snapshots.Snapshot, d: snapshots.DirectionRow) -> dict[str, str]:
    """A Direction's compliance as a report on `snap.as_of` states it: met only from the day it
    was met, where that day is recorded; with the set it belongs to when there are several."""
    value, label = d.compliance, _label(Compliance, d.compliance)
    if value == Compliance.MET and d.met_on is not None:
        met_on = as_precise(d.met_on, d.met_on_precision)
        if d.met_on > snap.as_of:
            value, label = Compliance.NOT_ASSESSED, f"Not met by then (met on {met_on})"
        else:
            label = f"Met on {met_on}"
    return {
        "compliance": value,
        "compliance_label": label,
        "compliance_source": d.compliance_source,
        "set_label": snap.set_label(d) if snap.several_sets else "",
    }


def _sos_context(report: Report, snap: snapshots.Snapshot, since: datetime.date) -> dict[str, Any]:
    rows: list[dict[str, Any]] = [
        {
            "direction": d,
            "reference": snap.reference(d),
            "is_item": d.parent_id is not None,
            **_compliance(snap, d),
        }
        for d in snap.directions
    ]
    return {
        "directions_chart": directions_by_compliance_chart(
            Counter(row["compliance"] for row in rows)
        ),
        "directions": rows,
        "aims": [
            {"aim": aim, "programmes": [p for p in snap.programmes if p.aim_id == aim.id]}
            for aim in snap.aims
        ],
        "boards": {b.id: b for b in snap.boards},
        "meetings_held": [
            m
            for m in snap.meetings
            if since <= m.date <= report.as_of and m.status != MeetingStatus.CANCELLED
        ],
        "meetings_next": [
            m
            for m in snap.meetings
            if report.as_of < m.date <= add_months(report.as_of, 6)
            and m.status != MeetingStatus.CANCELLED
        ],
        "main_board_ids": {
            b.id for b in snap.boards if b.kind == BoardKind.TRANSFORMATION_ASSURANCE
        },
        "recommendations": snap.recommendations,
        # A history record names its source by the stored label; the model has its own words.
        "source_labels": {
            value: report.intervention.words.source_label(value, str(label))
            for value, label in RecommendationSource.choices
        },
    }


def _stocktake_context(
    report: Report,
    snap: snapshots.Snapshot,
    numberings: dict[str, Numbering],
    since: datetime.date,
) -> dict[str, Any]:
    themes = []
    for theme in snap.themes:
        # Themes are live rows (see `Snapshot.themes`); `pk` is their id, and the one name
        # django-stubs gives a model's key without its mypy plugin.
        directions = [d for d in snap.directions if theme.pk in snap.direction_themes.get(d.id, ())]
        programmes = [p for p in snap.programmes if theme.pk in snap.programme_themes.get(p.id, ())]
        rating = report.rating_for(theme.slug)
        themes.append(
            {
                "theme": theme,
                "rating": rating,
                "rating_label": _label(ThemeRating, rating) if rating else "Not rated",
                "judgement": report.judgement_for(theme.slug),
                "paragraphs": numberings["themes"].take(report.judgement_for(theme.slug)),
                "directions": [
                    {"reference": snap.reference(d), "direction": d, **_compliance(snap, d)}
                    for d in directions
                ],
                "programmes": [
                    {"programme": p, "rag": p.rag, "rag_label": _label(RAG, p.rag)}
                    for p in programmes
                ],
            }
        )
    # The stocktake's own recommendations, numbered on from the section's commentary, and
    # those already recorded as made by a stocktake in the period.
    made = [
        r
        for r in snap.recommendations
        if r.source == STOCKTAKE_SOURCE and since <= r.made_on <= report.as_of
    ]
    return {
        "themes": themes,
        "new_recommendations": numberings["new_recommendations"].take(report.new_recommendations),
        "stocktake_recommendations": made,
        "rating_colours": THEME_RATING_TAG_COLOURS,
    }
