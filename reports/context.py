"""What each kind of report says: the template context for a report to the Board (or to
whoever oversees the council), to the Secretary of State or the oversight's stocktake,
assembled from the snapshot of the record at its as-of date (`reports.snapshot`), the movement
since the previous report and its narrative.

Nothing here renders or stores anything; `reports.pdf` turns this context into HTML and a PDF.
"""

from __future__ import annotations

import datetime
from collections import Counter
from typing import Any

from django.db import models
from django.utils.dateformat import format as format_date

from boards.choices import BoardKind, MeetingStatus, RecommendationSource
from directions.charts import directions_by_compliance_chart
from directions.choices import Compliance, ReportKind
from interventions import schedule
from interventions.choices import RAG, Phase, WorkStatus
from interventions.dates.fuzzy import add_months
from interventions.kit.charts import Chart
from interventions.kit.lists import DATE_FORMAT
from interventions.models.intervention import as_precise
from interventions.plan.charts import milestones_by_schedule_chart, programmes_by_rag_chart
from reports import snapshot as snapshots
from reports.choices import SECTIONS
from reports.measures import measures_section
from reports.models import Report

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
    snap = snapshots.take(intervention, report.as_of)
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
    moved = snapshots.movement(snap, before)
    since = previous.as_of if previous else intervention.directions_date
    until = add_months(report.as_of, LOOK_AHEAD_MONTHS[report.kind])
    sections = [
        {"key": key, "title": title, "commentary": report.commentary_for(key)}
        for key, title in SECTIONS[report.kind]
    ]
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
        "charts": _summary_charts(snap),
        "upcoming": [
            m
            for m in snap.milestones
            if not schedule.is_finished(m)
            and (due := schedule.due_date(m))
            and report.as_of < due <= until
        ],
        "overdue": [m for m in snap.milestones if schedule.is_overdue(m, report.as_of)],
        "slipped": [
            {"milestone": m, "days": snapshots.days_late(m)}
            for m in snap.milestones
            if schedule.is_slipped(m) and not schedule.is_finished(m)
        ],
        "programme_titles": {p.id: f"{p.number}. {p.title}" for p in snap.programmes},
        "rag_labels": dict(RAG.choices),
        "measures": measures_section(intervention, report.as_of, snap.known_on),
    }
    if report.kind == ReportKind.BOARD:
        context.update(_board_context(report, snap))
    elif report.kind == ReportKind.SOS:
        context.update(_sos_context(report, snap, since))
    else:
        context.update(_stocktake_context(report, snap))
    return context


def _summary_charts(snap: snapshots.Snapshot) -> list[Chart]:
    """Programmes by RAG and milestones against their dates, as they stood on the as-of
    date: the dashboard's charts, counted from the snapshot instead of today's rows."""
    on = snap.as_of
    return [
        programmes_by_rag_chart(
            Counter(p.rag for p in snap.programmes), when=f"on {format_date(on, DATE_FORMAT)}"
        ),
        milestones_by_schedule_chart(
            Counter(schedule.schedule_of(m, on).value for m in snap.milestones), on
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
            1 for m in milestones if schedule.is_slipped(m) and not schedule.is_finished(m)
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


def _stocktake_context(report: Report, snap: snapshots.Snapshot) -> dict[str, Any]:
    themes = []
    for theme in snap.themes:
        # Themes are live rows (see `Snapshot.themes`); `pk` is their id, and the one name
        # django-stubs gives a model's key without its mypy plugin.
        directions = [d for d in snap.directions if theme.pk in snap.direction_themes.get(d.id, ())]
        programmes = [p for p in snap.programmes if theme.pk in snap.programme_themes.get(p.id, ())]
        themes.append(
            {
                "theme": theme,
                "judgement": report.judgement_for(theme.slug),
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
    return {"themes": themes}
