"""Background work: building a report's PDF.

Runs through Django's tasks framework: at once in development and tests (the immediate
backend), on `manage.py db_worker` in production (TASKS_BACKEND=database).
"""

from __future__ import annotations

from django.tasks import task

from reports.build import build_and_store
from reports.models import Report


@task
def build_report_pdf(report_id: int) -> str:
    """Build and store the draft PDF of a report; returns its SHA-256."""
    report = Report.objects.select_related("intervention__authority", "previous").get(pk=report_id)
    build_and_store(report)
    return report.sha256
