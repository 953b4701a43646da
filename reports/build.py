"""Building a report's PDF and issuing it: the build with its progress on the report row, the
draft PDF stored by the background task, and finalising (the PDF built once more and kept for
good). `_store` is the one place a PDF is stored with its SHA-256.

A report has one build at a time, whichever it is (a draft or the issue). `claim_build` takes
it with one conditional UPDATE of the report row, so two requests at once cannot both start
one, and names it with a token; every later step (starting, progress, storing) is an update
that still requires that token, so a build that lost its claim can change nothing. While it
runs the worker renews a lease on the row (`Heartbeat`); a build whose lease ran out lost its
worker (killed, or its machine stopped) and is failed by the next page view or worker
(`reap_stalled_builds`), which also removes any PDF the dead build wrote but never recorded.

What a report says is in `reports.context`; how it becomes HTML and a PDF is in `reports.pdf`.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import threading
import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from interventions.models.base import set_change_reason
from reports import provenance
from reports.choices import BuildState, ReportStatus
from reports.context import report_context
from reports.models import BUILD_STALLS_AFTER, Report, ReportIssued, report_storage
from reports.pdf import render_html, render_pdf

Progress = Callable[[int, str], None]
log = logging.getLogger("stocktake.reports")


class BuildRefused(Exception):
    """The report already has a build waiting or running, or has been issued."""


class BuildSuperseded(Exception):
    """This build no longer holds the report's claim (it was failed as stalled)."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REPORT_BUILD_LEASE_SECONDS)


def build_pdf(report: Report, progress: Progress | None = None) -> bytes:
    """The report's PDF as things stood on its as-of date."""
    return build_with_sources(report, progress)[0]


def build_with_sources(
    report: Report, progress: Progress | None = None
) -> tuple[bytes, list[dict[str, Any]]]:
    """The report's PDF as things stood on its as-of date, and the sources it printed (the
    records behind each section, as `reports.provenance.as_data` stores them)."""
    progress = progress or (lambda percent, message: None)
    progress(10, "Reading the record as it stood on the as-of date")
    context = report_context(report)
    progress(40, "Laying out the report")
    html = render_html(report, context)
    progress(60, "Printing the PDF")
    data = render_pdf(html)
    progress(95, "Storing the PDF")
    return data, provenance.as_data(context["sources"])


def _store(
    report: Report,
    data: bytes,
    built_at: datetime.datetime,
    reason: str,
    sources: list[dict[str, Any]] | None = None,
) -> str | None:
    """Save `data` as the report's PDF under a new name, with its SHA-256 and when it was
    built, and save the report with `reason` in its history. Returns the name of the file it
    replaces, if it had one, for the caller to delete once the save has been committed: until
    then the row may still be rolled back to point at it. If the save fails, the new file is
    removed again."""
    old = report.pdf.name if report.pdf else ""
    report.pdf.save("report.pdf", ContentFile(data), save=False)
    new = str(report.pdf.name)
    try:
        report.sha256 = hashlib.sha256(data).hexdigest()
        report.pdf_built_at = built_at
        if sources is not None:
            report.sources = sources
            report.sources_sha256 = provenance.checksum(sources)
        set_change_reason(report, reason)
        report.save()
    except BaseException:
        report.pdf.storage.delete(new)
        raise
    return old


def store_pdf(report: Report, data: bytes) -> None:
    """Keep a built PDF with its checksum, under a new name; the draft's previous PDF goes."""
    if report.is_final:
        raise ReportIssued(f"{report} has been issued; its PDF is never rebuilt.")
    old = _store(report, data, timezone.now(), "PDF built")
    if old:
        report.pdf.storage.delete(old)


def _held(report_id: int, token: str) -> Any:
    """The report's row, only while `token` still holds its build (and it is a draft)."""
    return Report.objects.filter(pk=report_id, build_token=token).drafts()


def set_progress(report_id: int, state: str, percent: int, message: str = "") -> None:
    # A bulk update: no history record for each step of a build. Drafts only: the issued row
    # is never changed (its update() refuses).
    drafts = Report.objects.filter(pk=report_id).drafts()
    drafts.update(build_state=state, build_progress=percent, build_message=message[:300])


def claim_build(report: Report, issuing_by: Any = None) -> str:
    """Take the report's one build (a draft PDF, or issuing it when `issuing_by` is the user
    issuing it) and return the token that names it; BuildRefused while another is waiting or
    running. One UPDATE decides, so of two requests at once only one can win."""
    reap_stalled_builds(report.pk)
    now = timezone.now()
    free = Q(build_state__in=[BuildState.NONE, BuildState.DONE, BuildState.FAILED]) | Q(
        build_state=BuildState.QUEUED, build_requested_at__lt=now - BUILD_STALLS_AFTER
    )
    token = uuid.uuid4().hex
    claimed = (
        Report.objects.filter(pk=report.pk, issued_elsewhere=False)
        .drafts()
        .filter(free)
        .update(
            build_state=BuildState.QUEUED,
            build_progress=0,
            build_message="Waiting to start",
            build_token=token,
            build_lease_until=None,
            build_requested_at=now,
            build_task_id="",
            issue_requested_by=issuing_by,
        )
    )
    if not claimed:
        if Report.objects.issued().filter(pk=report.pk).exists():
            raise ReportIssued(f"{report} has already been issued.")
        raise BuildRefused(f"{report} is already being built.")
    return token


def record_task(report_id: int, token: str, task_id: str) -> None:
    _held(report_id, token).update(build_task_id=task_id[:64])


def give_up(report_id: int, token: str, message: str) -> None:
    """The build ends without a PDF (it failed, or could not be queued)."""
    _held(report_id, token).update(
        build_state=BuildState.FAILED,
        build_progress=0,
        build_message=message[:300],
        build_lease_until=None,
        issue_requested_by=None,
    )


class Heartbeat:
    """Renews the build's lease every quarter of it, from a thread of its own, while the
    build runs: a worker that dies stops renewing, and the lease runs out."""

    def __init__(self, report_id: int, token: str) -> None:
        self.report_id, self.token = report_id, token
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, name="report-build-lease", daemon=True)

    def renew(self) -> None:
        _held(self.report_id, self.token).filter(build_state=BuildState.RUNNING).update(
            build_lease_until=timezone.now() + lease()
        )

    def _run(self) -> None:
        interval = max(lease().total_seconds() / 4, 0.25)
        try:
            while not self.stop.wait(interval):
                try:
                    self.renew()
                except Exception:
                    log.exception("Could not renew the lease of report %s's build", self.report_id)
        finally:
            connections.close_all()  # this thread's own connections

    def __enter__(self) -> Heartbeat:
        self.thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.stop.set()
        self.thread.join()


def run_build(report_id: int, token: str) -> str:
    """The task: build the draft PDF, or issue the report if the claim was for issuing; returns
    the new SHA-256, or "" when the build no longer holds its claim."""
    reap_stalled_builds()
    started = _held(report_id, token).filter(build_state=BuildState.QUEUED)
    if not started.update(
        build_state=BuildState.RUNNING,
        build_progress=1,
        build_message="Started",
        build_lease_until=timezone.now() + lease(),
    ):
        return ""
    report = Report.objects.select_related(
        "intervention__authority", "previous", "issue_requested_by"
    ).get(pk=report_id)
    issuing = report.issue_requested_by_id is not None
    built_at = timezone.now()
    if issuing:
        # Set before printing, so that the cover says it was issued, when and by whom.
        report.status = ReportStatus.FINAL
        report.finalised_at = built_at
        report.finalised_by = report.issue_requested_by

    def progress(percent: int, message: str) -> None:
        _held(report_id, token).update(
            build_progress=percent,
            build_message=message[:300],
            build_lease_until=timezone.now() + lease(),
        )

    try:
        with Heartbeat(report_id, token):
            data, sources = build_with_sources(report, progress)
            old = _commit(report_id, token, data, built_at, issuing, sources)
    except BuildSuperseded:
        log.warning("Report %s: a build that lost its claim stopped", report_id)
        return ""
    except Exception as error:
        give_up(report_id, token, f"The build failed: {error}")
        raise
    if old:
        report_storage.delete(old)
    return hashlib.sha256(data).hexdigest()


def _commit(
    report_id: int,
    token: str,
    data: bytes,
    built_at: datetime.datetime,
    issuing: bool,
    sources: list[dict[str, Any]],
) -> str | None:
    with transaction.atomic():
        locked = (
            Report.objects.select_for_update(of=("self",))
            .select_related("issue_requested_by")
            .get(pk=report_id)
        )
        if locked.build_token != token or locked.build_state != BuildState.RUNNING:
            raise BuildSuperseded(f"Report {report_id}'s build was taken over.")
        if locked.is_final:
            raise ReportIssued(f"{locked} has already been issued.")
        if issuing:
            locked.status = ReportStatus.FINAL
            locked.finalised_at = built_at
            locked.finalised_by = locked.issue_requested_by
        locked.build_state = BuildState.DONE
        locked.build_progress = 100
        locked.build_message = "Issued" if issuing else "Built"
        locked.build_lease_until = None
        locked.issue_requested_by = None
        return _store(locked, data, built_at, "Issued" if issuing else "PDF built", sources)


def build_and_store(report: Report) -> None:
    """Build the draft PDF now, in this process (the task runs `run_build` itself)."""
    run_build(report.pk, claim_build(report))


def finalise(report: Report, user: Any) -> None:
    """Issue the report now, in this process: build its PDF once more from the same as-of date
    and narrative (the cover saying who issued it and when), store it with its checksum, and
    record the issue. It never changes again. The pages queue this as a task instead."""
    if report.is_final:
        raise ReportIssued(f"{report} has already been issued.")
    run_build(report.pk, claim_build(report, issuing_by=user))
    report.refresh_from_db()


def reap_stalled_builds(report_id: int | None = None) -> int:
    """Fail every build whose worker stopped renewing its lease (of one report, or all), mark
    its task failed, and remove any PDF it wrote but never recorded. Returns how many."""
    now = timezone.now()
    # A running build with no lease at all was started before leases existed.
    expired = Q(build_lease_until__lt=now) | Q(build_lease_until__isnull=True)
    stalled = Report.objects.drafts().filter(expired, build_state=BuildState.RUNNING)
    if report_id is not None:
        stalled = stalled.filter(pk=report_id)
    reaped = 0
    for report in stalled.only("pk", "intervention_id", "pdf", "build_token", "build_task_id"):
        with transaction.atomic():
            # A row locked by a live transaction is a worker recording its PDF right now (its
            # lease cannot be renewed meanwhile): skip it rather than wait. A killed worker's
            # transaction is rolled back by the database when its connection drops.
            failed = (
                _held(report.pk, report.build_token)
                .filter(expired, build_state=BuildState.RUNNING)
                .select_for_update(skip_locked=True, of=("self",))
            )
            if not failed.exists() or not failed.update(
                build_state=BuildState.FAILED,
                build_progress=0,
                build_message="The worker building this PDF stopped before it finished. "
                "Build it again.",
                build_lease_until=None,
                issue_requested_by=None,
            ):
                continue
        reaped += 1
        log.warning(
            "Report %s: its build's worker stopped; the build is failed",
            report.pk,
            extra={"event": "report_build_abandoned", "report_id": report.pk},
        )
        _fail_task(report.build_task_id, now)
        _remove_unrecorded_pdfs(report, now)
    return reaped


def _fail_task(task_id: str, now: datetime.datetime) -> None:
    """The queue's row of a dead build says RUNNING forever; say FAILED instead."""
    if not task_id:
        return
    from django_tasks_db.models import DBTaskResult

    try:
        uuid.UUID(task_id)
    except ValueError:
        return
    DBTaskResult.objects.filter(id=task_id, status="RUNNING").update(
        status="FAILED",
        finished_at=now,
        exception_class_path="reports.build.WorkerStopped",
        traceback="The worker stopped renewing the build's lease (killed or stopped).",
    )


def _remove_unrecorded_pdfs(report: Report, now: datetime.datetime) -> None:
    """PDFs of this report that no row names: written by a build that died before recording
    it. A file written after `now`, when the dead build was failed, belongs to a build
    claimed since, which may be about to record it, and is left alone."""
    folder = str(report.intervention_id)
    if not report_storage.exists(folder):
        return
    for name in report_storage.listdir(folder)[1]:
        path = f"{folder}/{name}"
        if not name.startswith(f"{report.pk}-") or path == report.pdf.name:
            continue
        if report_storage.get_modified_time(path) >= now:
            continue
        if Report.objects.filter(pdf=path).exists():
            continue
        report_storage.delete(path)
        log.warning(
            "Report %s: removed a PDF its stopped build never recorded",
            report.pk,
            extra={"event": "report_orphan_removed", "report_id": report.pk},
        )


# Text every page of a report printed with its stylesheet carries (its @page footer). A PDF
# without it on the first page was printed without the stylesheet: no cover page, running
# header or page numbers (issue 18: every PDF built in production before the fix).
STYLED_MARK = "Page 1 of"
_styled_by_checksum: dict[str, bool] = {}


def printed_without_stylesheet(report: Report) -> bool:
    """Whether the report's stored PDF lacks what its stylesheet prints. An issued PDF never
    changes, so the answer is kept by checksum."""
    if not report.pdf or not report.sha256:
        return False
    if report.sha256 not in _styled_by_checksum:
        from pypdf import PdfReader

        try:
            with report.pdf.open("rb") as handle:
                first = PdfReader(handle).pages[0].extract_text() or ""
        except (OSError, ValueError, IndexError):
            return False  # a missing or unreadable file is the checksum's business
        _styled_by_checksum[report.sha256] = STYLED_MARK in " ".join(first.split())
    return not _styled_by_checksum[report.sha256]


def start_corrected_copy(original: Report) -> Report:
    """A new draft that reissues `original` as a corrected copy: the same kind, title, as-of
    date and narrative, linked to it. The original stays issued, with its PDF and checksum."""
    if not original.is_final or original.issued_elsewhere:
        raise ValueError("Only a report issued here can be reissued as a corrected copy.")
    if original.corrected_copies.exists():
        raise BuildRefused(f"{original} already has a corrected copy.")
    copy = Report(
        intervention=original.intervention,
        kind=original.kind,
        title=original.title,
        as_of=original.as_of,
        full_council_on=original.full_council_on,
        previous=original.previous,
        foreword=original.foreword,
        summary=original.summary,
        commentary=original.commentary,
        judgements=original.judgements,
        shared_with_officers=original.shared_with_officers,
        corrects=original,
    )
    set_change_reason(copy, f"Corrected copy of the report issued on {original.issued_on}")
    copy.save()
    return copy
