"""Background work: building a report's PDF, or issuing the report.

Runs through Django's tasks framework: at once in development and tests (the immediate
backend), on `manage.py db_worker` in production (TASKS_BACKEND=database). The report's build
is claimed before the task is queued (`reports.build.claim_build`); the task carries the
claim's token and does nothing if it no longer holds it.
"""

from __future__ import annotations

from django.tasks import task

from reports.build import run_build


@task
def build_report_pdf(report_id: int, token: str = "") -> str:
    """Build and store the draft PDF of a report, or issue it; returns its SHA-256 ("" when
    the claim had been given up)."""
    return run_build(report_id, token)
