"""Backups restore: an intervention exported, lost and imported again comes back the same, and
scripts/backup.sh and scripts/restore.sh bring a PostgreSQL database and the evidence files
back (run against throwaway databases on the local PostgreSQL server, when there is one)."""

import io
import os
import shutil
import stat
import subprocess
import uuid
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import transaction

from boards.models import Board, Recommendation
from directions.models import Direction
from interventions.interchange.exporter import export_intervention
from interventions.models import Intervention, Milestone, Person, Programme
from reports.models import Expectation, Report

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"


def counts(slug: str) -> dict[str, int]:
    return {
        "programmes": Programme.objects.filter(intervention__slug=slug).count(),
        "milestones": Milestone.objects.filter(programme__intervention__slug=slug).count(),
        "directions": Direction.objects.filter(direction_set__intervention__slug=slug).count(),
        "people": Person.objects.filter(intervention__slug=slug).count(),
        "boards": Board.objects.filter(intervention__slug=slug).count(),
        "recommendations": Recommendation.objects.filter(intervention__slug=slug).count(),
        "reports": Report.objects.filter(intervention__slug=slug).count(),
    }


def remove_intervention(slug: str) -> None:
    """The intervention lost: programmes first, since their aims protect them.

    Issued reports (here, the one issued outside Stocktake that the file records) are never
    deleted through the application; a lost database loses them all the same, so their rows
    go at the SQL level, without the guard."""
    with transaction.atomic():
        intervention = Intervention.objects.get(slug=slug)
        # What the oversight expected in those reports goes with them.
        Expectation.objects.filter(intervention=intervention).delete()
        reports = Report.objects.filter(intervention=intervention)
        reports._raw_delete(reports.db)
        Programme.objects.filter(intervention=intervention).delete()
        intervention.delete()


@pytest.mark.django_db
def test_an_exported_intervention_is_restored_whole_after_it_is_lost(tmp_path):
    call_command("import_intervention", str(DATA / "tower-hamlets-2025.yaml"), verbosity=0)
    call_command("import_intervention", str(DATA / "tower-hamlets-2014.yaml"), verbosity=0)
    backup = tmp_path / "tower-hamlets-2025.yaml"
    call_command("export_intervention", "tower-hamlets-2025", output=backup, stderr=io.StringIO())
    before = counts("tower-hamlets-2025")
    neighbour = counts("tower-hamlets-2014")
    assert before["programmes"] == 11 and before["milestones"] == 40
    assert before["reports"] == 1

    remove_intervention("tower-hamlets-2025")
    assert not Intervention.objects.filter(slug="tower-hamlets-2025").exists()
    assert counts("tower-hamlets-2025") == dict.fromkeys(before, 0)

    call_command("import_intervention", str(backup), verbosity=0)

    restored = Intervention.objects.get(slug="tower-hamlets-2025")
    assert counts("tower-hamlets-2025") == before
    assert export_intervention(restored) == backup.read_text(encoding="utf-8")
    assert counts("tower-hamlets-2014") == neighbour


# --- pg_dump / pg_restore --------------------------------------------------------------------

SERVER = os.environ.get("BACKUP_TEST_SERVER", "postgres://postgres@127.0.0.1:5432")


def psql(database: str, sql: str) -> str:
    result = subprocess.run(
        ["psql", f"{SERVER}/{database}", "-v", "ON_ERROR_STOP=1", "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def postgres_available() -> bool:
    if not all(shutil.which(tool) for tool in ("psql", "pg_dump", "pg_restore")):
        return False
    try:
        return psql("postgres", "SELECT 1") == "1"
    except subprocess.CalledProcessError:
        return False


needs_postgres = pytest.mark.skipif(
    not postgres_available(), reason="needs PostgreSQL on 127.0.0.1 and its client tools"
)


@pytest.fixture
def throwaway_databases():
    names = [f"stocktake_backup_test_{uuid.uuid4().hex[:8]}_{n}" for n in ("live", "spare")]
    for name in names:
        psql("postgres", f'CREATE DATABASE "{name}"')
    yield names
    for name in names:
        psql("postgres", f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def script(name: str, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / name), *args],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        check=False,
        stdin=subprocess.DEVNULL,
    )


@needs_postgres
def test_backup_then_restore_brings_back_the_database_the_evidence_and_the_reports(
    throwaway_databases, tmp_path
):
    live, spare = throwaway_databases
    psql(live, "CREATE TABLE programme (id int PRIMARY KEY, title text)")
    psql(live, "INSERT INTO programme VALUES (1, 'Improve Governance'), (2, 'Culture Change')")
    evidence = tmp_path / "evidence"
    (evidence / "2025").mkdir(parents=True)
    (evidence / "2025" / "cabinet.pdf").write_bytes(b"%PDF-1.7 cabinet report")
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / "sos-2025-07.pdf").write_bytes(b"%PDF-1.7 issued report")
    folders = {"EVIDENCE_ROOT": str(evidence), "REPORTS_ROOT": str(reports)}
    backups = tmp_path / "backups"
    live_url = f"{SERVER}/{live}"

    made = script("backup.sh", str(backups), DATABASE_URL=live_url, **folders)
    assert made.returncode == 0, made.stderr
    dump = next(backups.glob("stocktake-*.dump"))
    archive = next(backups.glob("evidence-*.tar.gz"))
    reports_archive = next(backups.glob("reports-*.tar.gz"))
    assert not list(backups.glob("*.partial"))
    # They hold password hashes, sessions and feed tokens: the owner's alone.
    for made_file in (dump, archive, reports_archive):
        assert stat.S_IMODE(made_file.stat().st_mode) == 0o600, made_file

    # Disaster: rows changed and lost, a file deleted.
    psql(live, "UPDATE programme SET title = 'wrong'; DELETE FROM programme WHERE id = 2")
    (evidence / "2025" / "cabinet.pdf").unlink()
    (reports / "sos-2025-07.pdf").unlink()

    refused = script("restore.sh", str(dump), DATABASE_URL=live_url, **folders)
    assert refused.returncode == 2
    assert "pass --yes" in refused.stderr
    assert psql(live, "SELECT count(*) FROM programme") == "1"

    done = script(
        "restore.sh",
        "--yes",
        str(dump),
        str(archive),
        str(reports_archive),
        DATABASE_URL=live_url,
        **folders,
    )
    assert done.returncode == 0, done.stderr
    assert psql(live, "SELECT string_agg(title, ',' ORDER BY id) FROM programme") == (
        "Improve Governance,Culture Change"
    )
    assert (evidence / "2025" / "cabinet.pdf").read_bytes() == b"%PDF-1.7 cabinet report"
    assert (reports / "sos-2025-07.pdf").read_bytes() == b"%PDF-1.7 issued report"

    # The same dump also restores into an empty database (a new server).
    fresh = script("restore.sh", "--yes", str(dump), DATABASE_URL=f"{SERVER}/{spare}")
    assert fresh.returncode == 0, fresh.stderr
    assert psql(spare, "SELECT count(*) FROM programme") == "2"


def test_the_scripts_refuse_a_database_that_is_not_postgresql(tmp_path):
    made = script("backup.sh", str(tmp_path), DATABASE_URL="sqlite:///var/stocktake.sqlite3")
    assert made.returncode == 2
    assert "must be a PostgreSQL URL" in made.stderr
    assert not list(tmp_path.iterdir())
