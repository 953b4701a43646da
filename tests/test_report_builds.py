"""One build per report at a time, a build whose worker died detected by its lease, issuing as
a task refused during a build, and no PDF left behind by a dead build. The worker tests run a
real `manage.py db_worker` process against the test database and SIGKILL it mid-build; they
need PostgreSQL (the worker is a second process: SQLite's test database is in memory)."""

from __future__ import annotations

import datetime
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from asgiref.local import Local
from django.core.management import call_command
from django.db import connection
from django.tasks import task_backends
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from interventions.access import roles
from reports import build
from reports.choices import BuildState, ReportStatus
from reports.models import Report
from tests.factories import (
    InterventionFactory,
    PersonFactory,
    ProgrammeFactory,
    StrategicAimFactory,
    UserFactory,
)

ROOT = Path(__file__).resolve().parents[1]
on_postgresql = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"),
    reason="a second process needs a database it can share: PostgreSQL",
)


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


@pytest.fixture
def database_tasks(settings, monkeypatch):
    """Queue tasks in the database, for a worker, instead of running them at once."""
    # The worker drops stale connections between tasks; inside a test's transaction that
    # would close the test's own connection (on PostgreSQL).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)
    task_backends._settings, task_backends._connections = None, Local()
    yield
    task_backends.__dict__.pop("settings", None)
    task_backends._settings, task_backends._connections = None, Local()


def make_draft() -> tuple[Report, object]:
    """A draft board report and a member of the improvement team who may build and issue it."""
    intervention = InterventionFactory()
    ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    user = UserFactory(role=roles.IMPROVEMENT_TEAM)
    PersonFactory(intervention=intervention, user=user)
    report = Report.objects.create(
        intervention=intervention, kind="board", title="Q1", as_of=datetime.date(2025, 6, 30)
    )
    return report, user


# --- one build at a time ---------------------------------------------------------------------


def test_a_second_claim_is_refused_even_from_a_stale_copy_of_the_report(db):
    report, _ = make_draft()
    stale = Report.objects.get(pk=report.pk)  # read before the first claim, as a second request
    build.claim_build(report)
    with pytest.raises(build.BuildRefused):
        build.claim_build(stale)


def test_two_build_requests_queue_one_task(client, db, database_tasks):
    report, user = make_draft()
    client.force_login(user)
    client.post(url("report_build", report))
    page = client.post(url("report_build", report), follow=True)
    assert "already being built" in page.content.decode()
    assert DBTaskResult.objects.count() == 1


@on_postgresql
def test_requests_at_the_same_moment_claim_one_build(transactional_db):
    report, _ = make_draft()
    start = threading.Barrier(4)
    won: list[str] = []

    def request() -> None:
        copy = Report.objects.get(pk=report.pk)
        start.wait()
        try:
            won.append(build.claim_build(copy))
        except build.BuildRefused:
            pass
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1
    assert Report.objects.get(pk=report.pk).build_token == won[0]


# --- issuing -----------------------------------------------------------------------------------


def test_issuing_is_a_task_not_work_in_the_request(client, db, database_tasks):
    report, user = make_draft()
    client.force_login(user)
    page = client.post(url("report_finalise", report), follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.build_state == BuildState.QUEUED
    assert "Issuing" in page.content.decode()
    assert "Issue the report" not in page.content.decode()
    assert DBTaskResult.objects.count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert report.finalised_by == user
    assert report.verify_checksum() is True


def test_issuing_is_refused_while_a_build_runs(client, db, database_tasks):
    report, user = make_draft()
    client.force_login(user)
    client.post(url("report_build", report))
    page = client.post(url("report_finalise", report), follow=True)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT
    assert report.issue_requested_by is None
    assert "already being built" in page.content.decode()


# --- a worker that dies ------------------------------------------------------------------------


def test_a_running_build_whose_lease_ran_out_is_failed_by_the_next_page_view(client, db):
    report, user = make_draft()
    Report.objects.filter(pk=report.pk).update(
        build_state=BuildState.RUNNING,
        build_progress=60,
        build_token="t",
        build_requested_at=timezone.now(),
        build_lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    client.force_login(user)
    page = client.get(url("report_detail", report))
    assert not page.has_header("Refresh")
    assert "The worker building this PDF stopped" in page.content.decode()
    report.refresh_from_db()
    assert report.build_state == BuildState.FAILED


def test_database_url() -> str:
    db = connection.settings_dict
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def worker(database_url: str, reports_root: Path, marker: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": database_url,
        "REPORTS_ROOT": str(reports_root),
        "TASKS_BACKEND": "database",
        "REPORT_BUILD_LEASE_SECONDS": "2",
        "STOCKTAKE_PAUSE_MARKER": str(marker),
    }
    return subprocess.Popen(
        [
            sys.executable,
            str(ROOT / "tests" / "slow_worker.py"),
            "db_worker",
            "--interval",
            "0.2",
            "--no-reload",
            "--no-startup-delay",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def wait_for(condition, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


@on_postgresql
def test_a_worker_killed_mid_build_leaves_no_running_task_and_no_orphan_pdf(
    client, transactional_db, database_tasks, settings, tmp_path
):
    roles.sync_groups()  # a transactional test starts with the migrations' groups emptied
    settings.REPORT_BUILD_LEASE_SECONDS = 2
    report, user = make_draft()
    client.force_login(user)
    client.post(url("report_build", report))
    database_url = test_database_url()
    marker = tmp_path / "paused"

    process = worker(database_url, settings.REPORTS_ROOT, marker)
    try:
        wait_for(marker.exists)
        written = settings.REPORTS_ROOT / marker.read_text()
        assert written.exists()  # the PDF is on disk; its row is not committed
        # The worker is alive, recording its PDF (its row locked): a page view neither
        # waits for it nor fails the build, even once the lease it cannot renew runs out.
        time.sleep(2.5)
        began = time.monotonic()
        assert "Building" in client.get(url("report_detail", report)).content.decode()
        assert time.monotonic() - began < 2
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()

    report.refresh_from_db()
    assert report.build_state == BuildState.RUNNING  # as the dead worker left it
    task = DBTaskResult.objects.get()
    assert task.status == "RUNNING"

    time.sleep(2.5)  # the lease runs out: nobody is renewing it
    page = client.get(url("report_detail", report))
    assert "The worker building this PDF stopped" in page.content.decode()
    assert "Building" not in page.content.decode()
    report.refresh_from_db()
    assert report.build_state == BuildState.FAILED and not report.pdf
    task.refresh_from_db()
    assert task.status == "FAILED"
    assert not written.exists()  # the dead build's PDF is gone
    assert list(settings.REPORTS_ROOT.rglob("*.pdf")) == []

    # Built again, by a worker that is not killed, the report gets its PDF.
    client.post(url("report_build", report))
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    report.refresh_from_db()
    assert report.build_state == BuildState.DONE and report.verify_checksum() is True
    assert [p.name for p in settings.REPORTS_ROOT.rglob("*.pdf")] == [Path(report.pdf.name).name]


@on_postgresql
def test_the_next_worker_fails_a_dead_workers_build(
    client, transactional_db, database_tasks, settings, tmp_path
):
    roles.sync_groups()
    settings.REPORT_BUILD_LEASE_SECONDS = 2
    report, user = make_draft()
    other, _ = make_draft()
    client.force_login(user)
    client.post(url("report_build", report))
    database_url = test_database_url()
    marker = tmp_path / "paused"
    process = worker(database_url, settings.REPORTS_ROOT, marker)
    try:
        wait_for(marker.exists)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
    time.sleep(2.5)

    # Nobody looks at the report; the next task on the next worker finds the dead build.
    build.claim_build(other)
    token = Report.objects.get(pk=other.pk).build_token
    build.run_build(other.pk, token)
    report.refresh_from_db()
    assert report.build_state == BuildState.FAILED
    assert DBTaskResult.objects.get().status == "FAILED"
    assert not (settings.REPORTS_ROOT / marker.read_text()).exists()


@on_postgresql
def test_a_live_build_renews_its_lease_while_a_step_takes_longer_than_the_lease(
    transactional_db, settings
):
    settings.REPORT_BUILD_LEASE_SECONDS = 1
    report, _ = make_draft()
    token = build.claim_build(report)
    Report.objects.filter(pk=report.pk).update(
        build_state=BuildState.RUNNING, build_lease_until=timezone.now()
    )
    with build.Heartbeat(report.pk, token):
        time.sleep(2)  # e.g. printing a long report
        assert build.reap_stalled_builds() == 0
        report.refresh_from_db()
        assert report.build_state == BuildState.RUNNING
        assert report.build_lease_until > timezone.now()
    time.sleep(1.2)  # nobody renews it now
    assert build.reap_stalled_builds() == 1
