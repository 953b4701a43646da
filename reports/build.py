"""Turning a report and the intervention's history into HTML and a PDF, and issuing it.

The page's preview, the background task and `manage.py build_report` all call `render_html`
and `render_pdf` here, so each shows exactly what the others would.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import mimetypes
import posixpath
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils import timezone
from django.utils.dateformat import format as format_date

from boards.choices import BoardKind, MeetingStatus
from directions.charts import directions_by_compliance_chart
from directions.choices import Compliance, ReportKind
from interventions import schedule
from interventions.choices import RAG, Phase, WorkStatus
from interventions.dates.fuzzy import add_months
from interventions.kit.charts import Chart
from interventions.kit.lists import DATE_FORMAT
from interventions.plan.charts import milestones_by_schedule_chart, programmes_by_rag_chart
from reports import snapshot as snapshots
from reports.choices import SECTIONS, BuildState, ReportStatus
from reports.models import Report, ReportIssued

Progress = Callable[[int, str], None]

# WeasyPrint logs every page of every layout pass at INFO; a build would fill the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The reports' stylesheet, given to WeasyPrint here and linked by the HTML preview: the
# Content Security Policy forbids inline styles on pages.

# How each kind looks ahead: the Board meets quarterly, the Secretary of State hears every six
# months, stocktakes are at agreed intervals (taken here as six months).
LOOK_AHEAD_MONTHS = {ReportKind.BOARD: 3, ReportKind.SOS: 6, ReportKind.STOCKTAKE: 6}


def _label(choices: Any, value: str) -> str:
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
    before = snapshots.take(intervention, previous.as_of) if previous else None
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
            and schedule.due_date(m)
            and report.as_of < schedule.due_date(m) <= until
        ],
        "overdue": [m for m in snap.milestones if schedule.is_overdue(m, report.as_of)],
        "slipped": [
            {"milestone": m, "days": (m.forecast_end - m.baseline_end).days}
            for m in snap.milestones
            if schedule.is_slipped(m) and not schedule.is_finished(m)
        ],
        "programme_titles": {p.id: f"{p.number}. {p.title}" for p in snap.programmes},
        "rag_labels": dict(RAG.choices),
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


def _programme_row(snap: snapshots.Snapshot, programme: Any, report: Report) -> dict[str, Any]:
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


def _sos_context(report: Report, snap: snapshots.Snapshot, since: datetime.date) -> dict[str, Any]:
    return {
        "directions_chart": directions_by_compliance_chart(
            Counter(d.compliance for d in snap.directions)
        ),
        "directions": [
            {
                "direction": d,
                "reference": snap.reference(d),
                "is_item": d.parent_id is not None,
                "compliance": d.compliance,
                "compliance_label": _label(Compliance, d.compliance),
            }
            for d in snap.directions
        ],
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
        "tab_ids": {b.id for b in snap.boards if b.kind == BoardKind.TRANSFORMATION_ASSURANCE},
        "recommendations": snap.recommendations,
    }


def _stocktake_context(report: Report, snap: snapshots.Snapshot) -> dict[str, Any]:
    themes = []
    for theme in snap.themes:
        directions = [d for d in snap.directions if theme.id in snap.direction_themes.get(d.id, ())]
        programmes = [p for p in snap.programmes if theme.id in snap.programme_themes.get(p.id, ())]
        themes.append(
            {
                "theme": theme,
                "judgement": report.judgement_for(theme.slug),
                "directions": [
                    {
                        "reference": snap.reference(d),
                        "direction": d,
                        "compliance": d.compliance,
                        "compliance_label": _label(Compliance, d.compliance),
                    }
                    for d in directions
                ],
                "programmes": [
                    {"programme": p, "rag": p.rag, "rag_label": _label(RAG, p.rag)}
                    for p in programmes
                ],
            }
        )
    return {"themes": themes}


def render_html(report: Report, context: dict[str, Any] | None = None) -> str:
    """The report as one HTML document: what the preview shows and WeasyPrint prints."""
    context = context if context is not None else report_context(report)
    return render_to_string(f"reports/pdf/{report.kind}.html", context)


def _static_file(url: str) -> Path | None:
    """The file behind one of our static URLs (`/static/css/…` as WeasyPrint resolves it
    against `file:///`), from the app folders in development or STATIC_ROOT in production."""
    parsed = urlparse(url)
    prefix = urlparse(static("")).path
    if parsed.scheme != "file" or not parsed.path.startswith(prefix):
        return None
    name = posixpath.normpath(unquote(parsed.path.removeprefix(prefix)))
    if name.startswith(("../", "/")) or name == "..":
        return None
    found = finders.find(name)
    if found:
        return Path(found)
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    return None


def _fetcher() -> Any:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticOnlyFetcher(URLFetcher):
        """Reports read our own static files (the stylesheet) and data: URIs (the charts),
        nothing else: building a report never reaches the network or other files."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = _static_file(url)
            if path is None:
                raise ValueError(f"A report reads only its own static files, not {url}")
            content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    return StaticOnlyFetcher()


def render_pdf(html: str) -> bytes:
    """HTML to a tagged PDF (PDF/UA-1) printed with the reports' stylesheet: language and
    title come from the document."""
    from weasyprint import HTML

    return HTML(string=html, base_url="file:///", url_fetcher=_fetcher()).write_pdf(
        pdf_variant="pdf/ua-1", uncompressed_pdf=False
    )


def build_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """The report's PDF as things stood on its as-of date."""
    progress = progress or (lambda percent, message: None)
    progress(10, "Reading the record as it stood on the as-of date")
    context = report_context(report)
    progress(40, "Laying out the report")
    html = render_html(report, context)
    progress(60, "Printing the PDF")
    data = render_pdf(html)
    progress(95, "Storing the PDF")
    return data


def store_pdf(report: Report, data: bytes) -> None:
    """Keep a built PDF with its checksum, under a new name (an old file is left alone)."""
    if report.is_final:
        raise ReportIssued(f"{report} has been issued; its PDF is never rebuilt.")
    old = report.pdf.name if report.pdf else ""
    report.pdf.save("report.pdf", ContentFile(data), save=False)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.pdf_built_at = timezone.now()
    report._change_reason = "PDF built"  # type: ignore[attr-defined]
    report.save()
    if old:
        report.pdf.storage.delete(old)


def set_progress(report_id: int, state: str, percent: int, message: str = "") -> None:
    # A bulk update: no history record for each step of a build.
    Report.objects.filter(pk=report_id).drafts().update(
        build_state=state, build_progress=percent, build_message=message[:300]
    )


def build_and_store(report: Report) -> None:
    """Build the draft PDF, reporting progress on the report row; used by the task."""

    def progress(percent: int, message: str) -> None:
        set_progress(report.pk, BuildState.RUNNING, percent, message)

    try:
        data = build_pdf(report, progress)
        store_pdf(report, data)
    except Exception as error:
        set_progress(report.pk, BuildState.FAILED, 0, f"The build failed: {error}")
        raise
    set_progress(report.pk, BuildState.DONE, 100, "Built")


def finalise(report: Report, user: Any) -> None:
    """Issue the report: build its PDF once more from the same as-of date and narrative (the
    cover saying who issued it and when), store it with its checksum, and record the issue.
    It never changes again."""
    with transaction.atomic():
        locked = Report.objects.select_for_update().get(pk=report.pk)
        if locked.is_final or report.is_final:
            raise ReportIssued(f"{report} has already been issued.")
        old = report.pdf.name if report.pdf else ""
        report.status = ReportStatus.FINAL
        report.finalised_at = timezone.now()
        report.finalised_by = user
        data = build_pdf(report)
        report.pdf.save("report.pdf", ContentFile(data), save=False)
        report.sha256 = hashlib.sha256(data).hexdigest()
        report.pdf_built_at = report.finalised_at
        report.build_state = BuildState.DONE
        report.build_progress = 100
        report.build_message = "Issued"
        report._change_reason = "Issued"  # type: ignore[attr-defined]
        report.save()
    if old:
        report.pdf.storage.delete(old)


def timed_build(report: Report) -> tuple[float, float]:
    """Seconds to build the report's PDF in full, and seconds WeasyPrint alone takes on the
    same HTML."""
    started = time.perf_counter()
    html = render_html(report)
    render_pdf(html)
    total = time.perf_counter() - started
    started = time.perf_counter()
    render_pdf(html)
    return total, time.perf_counter() - started
