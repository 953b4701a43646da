"""Building a report's PDF and issuing it: the build with its progress on the report row, the
draft PDF stored by the background task, and finalising (the PDF built once more and kept for
good). `_store` is the one place a PDF is stored with its SHA-256.

What a report says is in `reports.context`; how it becomes HTML and a PDF is in `reports.pdf`.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from interventions.models.base import set_change_reason
from reports.choices import BuildState, ReportStatus
from reports.context import report_context
from reports.models import Report, ReportIssued
from reports.pdf import render_html, render_pdf

Progress = Callable[[int, str], None]


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


def _store(report: Report, data: bytes, built_at: datetime.datetime, reason: str) -> str | None:
    """Save `data` as the report's PDF under a new name, with its SHA-256 and when it was
    built, and save the report with `reason` in its history. Returns the name of the file it
    replaces, if it had one, for the caller to delete once the save has been committed: until
    then the row may still be rolled back to point at it."""
    old = report.pdf.name if report.pdf else ""
    report.pdf.save("report.pdf", ContentFile(data), save=False)
    report.sha256 = hashlib.sha256(data).hexdigest()
    report.pdf_built_at = built_at
    set_change_reason(report, reason)
    report.save()
    return old


def store_pdf(report: Report, data: bytes) -> None:
    """Keep a built PDF with its checksum, under a new name; the draft's previous PDF goes."""
    if report.is_final:
        raise ReportIssued(f"{report} has been issued; its PDF is never rebuilt.")
    old = _store(report, data, timezone.now(), "PDF built")
    if old:
        report.pdf.storage.delete(old)


def set_progress(report_id: int, state: str, percent: int, message: str = "") -> None:
    # A bulk update: no history record for each step of a build. Drafts only: a build still
    # running when its report is issued leaves the issued row alone (whose update() refuses).
    drafts = Report.objects.filter(pk=report_id).drafts()
    drafts.update(build_state=state, build_progress=percent, build_message=message[:300])


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
        issued_at = timezone.now()
        report.status = ReportStatus.FINAL
        report.finalised_at = issued_at
        report.finalised_by = user
        # Built after the status is set, so that the cover says it was issued, and by whom.
        data = build_pdf(report)
        report.build_state = BuildState.DONE
        report.build_progress = 100
        report.build_message = "Issued"
        old = _store(report, data, issued_at, "Issued")
    if old:
        report.pdf.storage.delete(old)
