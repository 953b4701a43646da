"""Timing report builds, for the benchmark command: how long each kind takes in full, next
to how long WeasyPrint alone takes on the same HTML."""

from __future__ import annotations

import datetime
import time

from django.db import transaction
from django.utils import timezone

from directions.choices import ReportKind
from interventions.models import Intervention
from reports.models import Report
from reports.pdf import render_html, render_pdf


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


def time_builds(
    intervention: Intervention, as_of: datetime.date | None = None
) -> list[tuple[str, float, float]]:
    """(kind, seconds for the whole build, seconds WeasyPrint alone takes) for each kind of
    report, as of `as_of` (today by default). Nothing is saved."""
    as_of = as_of or timezone.localdate()
    results = []
    with transaction.atomic():
        for kind in ReportKind.values:
            report = Report(
                intervention=intervention, kind=kind, title=f"Benchmark {kind}", as_of=as_of
            )
            report.previous = report.find_previous()
            report.save()
            total, weasyprint_only = timed_build(report)
            results.append((kind, total, weasyprint_only))
        transaction.set_rollback(True)
    return results
