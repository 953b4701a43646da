"""Reports built from the real Tower Hamlets record (data/tower-hamlets-2025.yaml): the report
to the Secretary of State as of 22 July 2025 and the Board's delivery report for Q1 2025/26,
built through the pages as the improvement team would, then issued."""

import datetime
import hashlib
import io
import re
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from pypdf import PdfReader

from directions.choices import Compliance
from directions.models import Direction
from interventions.access import roles
from interventions.choices import RAG
from interventions.dashboard.figures import dashboard_context
from interventions.models import Intervention, Milestone, Programme
from reports.choices import ReportStatus
from reports.context import report_context
from reports.models import Report
from tests.factories import PersonFactory, UserFactory

DATA = Path(settings.BASE_DIR) / "data"
SOS_DATE = datetime.date(2025, 7, 22)
Q1_END = datetime.date(2025, 6, 30)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def imported_once(django_db_setup, django_db_blocker):
    """The file imported once for the module; each test runs in a savepoint inside this
    transaction, which is rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("import_intervention", str(DATA / "tower-hamlets-2025.yaml"), verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def tower_hamlets(imported_once, db):
    return Intervention.objects.get(slug="tower-hamlets-2025")


@pytest.fixture
def team_client(client, tower_hamlets):
    user = UserFactory(role=roles.IMPROVEMENT_TEAM, first_name="Ima", last_name="Teamlead")
    PersonFactory(intervention=tower_hamlets, user=user)
    client.force_login(user)
    client.user = user
    return client


def pdf_text(data: bytes) -> str:
    """The PDF's text with runs of white space made single spaces (table cells wrap)."""
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def lowest_text(page) -> float:
    """How far down the page its text reaches, in points from the bottom of the page,
    leaving out the running header and footer."""
    height = float(page.mediabox.height)
    found: list[float] = []

    def visit(text, cm, tm, font, size) -> None:
        y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
        if text.strip() and 60 < y < height - 60:
            found.append(y)

    page.extract_text(visitor_text=visit)
    return min(found, default=height)


def start_and_build(client, intervention, kind, as_of, title) -> Report:
    slug = intervention.slug
    response = client.post(
        reverse("reports:report_create", kwargs={"slug": slug}),
        {"kind": kind, "title": title, "as_of": as_of.isoformat()},
    )
    assert response.status_code == 302
    report = Report.objects.get(intervention=intervention, title=title)
    response = client.post(reverse("reports:report_build", kwargs={"slug": slug, "pk": report.pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.build_state == "done", report.build_message
    return report


def download(client, report: Report) -> bytes:
    response = client.get(
        reverse(
            "reports:report_download", kwargs={"slug": report.intervention.slug, "pk": report.pk}
        )
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content)


def test_the_sos_report_names_every_direction_with_its_status_and_rebuilds_identically(
    team_client, tower_hamlets
):
    report = start_and_build(
        team_client, tower_hamlets, "sos", SOS_DATE, "Report to the Secretary of State, July 2025"
    )
    first = download(team_client, report)
    text = pdf_text(first)
    directions = Direction.objects.filter(
        direction_set__intervention=tower_hamlets, parent__isnull=True
    )
    letters = sorted(d.ref for d in directions)
    assert letters == list("abcdefghijklmno")
    for direction in directions:
        # Direction j is the duty to report to the Secretary of State: this report meets it.
        label = (
            "Met by this report (Report to the Secretary of State)"
            if direction.ref == "j"
            else Compliance(direction.compliance).label
        )
        assert f"Direction {direction.ref}: {label}" in text, direction.ref
    assert "As of 22 July 2025" in text
    assert re.search(r"Page 3 of \d+", text)
    # The contents give each section's page number, and the section starts there.
    pages = PdfReader(io.BytesIO(first)).pages
    contents = pages[1].extract_text()
    number = int(re.search(r"Progress against each Direction \.+ (\d+)", contents).group(1))
    assert "2. Progress against each Direction" in pages[number - 1].extract_text()
    assert f"Page {number} of {len(pages)}" in pages[number - 1].extract_text()
    # The appendix's table of evidence runs over several pages, its header row repeated.
    appendix = int(re.search(r"Appendix: evidence \.+ (\d+)", contents).group(1))
    sources = int(re.search(r"Appendix: sources \.+ (\d+)", contents).group(1))
    assert sources > appendix
    for page in pages[appendix:sources]:
        assert "Direction Evidence Recorded in" in page.extract_text()
    # Then the sources of each part, to the last page.
    assert "Appendix: sources" in pages[sources - 1].extract_text()
    assert "Record Number Version Recorded By" in pages[-1].extract_text()
    # No page is left near-empty by a section that overflowed: after the letter, every page
    # but the last is filled to its lower part.
    for index, page in enumerate(pages[1:-1], start=2):
        assert lowest_text(page) < float(page.mediabox.height) * 0.35, f"page {index}"

    # Later edits, made after the as-of date, change today's record but not the report.
    direction_a = directions.get(ref="a")
    direction_a.compliance = Compliance.NOT_MET
    direction_a.evidence = "Edited after the report was built."
    direction_a.save()
    programme = Programme.objects.filter(intervention=tower_hamlets).first()
    programme.rag = RAG.RED
    programme.title = "A new title written later"
    programme.save()
    Milestone.objects.filter(programme=programme).first().delete()
    tower_hamlets.title = "A name given later"
    tower_hamlets.save()

    team_client.post(
        reverse("reports:report_build", kwargs={"slug": tower_hamlets.slug, "pk": report.pk})
    )
    report.refresh_from_db()
    again = pdf_text(download(team_client, report))
    assert again == text
    assert "A new title written later" not in again
    assert "A name given later" not in again


def test_the_board_report_for_q1_2025_26_builds_with_each_programme(team_client, tower_hamlets):
    report = start_and_build(
        team_client, tower_hamlets, "board", Q1_END, "Delivery report to the Board, Q1 2025/26"
    )
    text = pdf_text(download(team_client, report))
    assert "Q1 2025/26 (1 April 2025 to 30 June 2025)" in text
    for programme in Programme.objects.filter(intervention=tower_hamlets):
        assert f"{programme.number}. {programme.title[:25]}" in text


def test_an_issued_report_is_tagged_verifiable_and_cannot_be_changed(team_client, tower_hamlets):
    report = start_and_build(
        team_client, tower_hamlets, "sos", SOS_DATE, "Report to the Secretary of State (issued)"
    )
    slug, pk = tower_hamlets.slug, report.pk
    response = team_client.post(reverse("reports:report_finalise", kwargs={"slug": slug, "pk": pk}))
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL
    assert report.finalised_by == team_client.user
    assert report.issued_on is not None
    data = download(team_client, report)
    assert hashlib.sha256(data).hexdigest() == report.sha256
    assert report.verify_checksum() is True
    assert "Issued" in pdf_text(data) and "DRAFT" not in pdf_text(data)

    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert pdf.Root.MarkInfo.Marked
        assert "/StructTreeRoot" in pdf.Root
        assert str(pdf.Root.Lang).lower() == "en-gb"
        assert str(pdf.docinfo["/Title"]) == report.title
        assert pdf.Root.ViewerPreferences.DisplayDocTitle

    page = team_client.get(report.get_absolute_url())
    assert "Verified" in page.content.decode()
    assert report.sha256 in page.content.decode()

    # No page changes it.
    for name in ("report_edit", "report_build", "report_finalise"):
        response = team_client.post(
            reverse(f"reports:report_{name.split('_')[1]}", kwargs={"slug": slug, "pk": pk}),
            {"title": "Changed", "as_of": "2025-07-23", "version": report.version},
        )
        assert response.status_code == 403, name
    report.refresh_from_db()
    assert report.title == "Report to the Secretary of State (issued)"
    assert download(team_client, report) == data

    # The checksum catches a file altered on disk.
    path = Path(report.pdf.path)
    path.chmod(0o600)
    path.write_bytes(data + b"%tampered")
    page = team_client.get(report.get_absolute_url())
    assert "Does not match" in page.content.decode()
    assert report.verify_checksum() is False


def figure_alts(data: bytes) -> list[str]:
    """The Alt text of every Figure in the PDF's structure tree."""
    alts: list[str] = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        todo = [pdf.Root.StructTreeRoot]
        while todo:
            node = todo.pop()
            if isinstance(node, pikepdf.Array):
                todo.extend(node)
                continue
            if not isinstance(node, pikepdf.Dictionary):
                continue
            if node.get("/S") == "/Figure" and "/Alt" in node:
                alts.append(str(node.Alt))
            if "/K" in node:
                todo.append(node.K)
    return alts


def test_the_sos_report_shows_the_dashboards_charts_as_tagged_figures_with_their_figures(
    team_client, tower_hamlets
):
    report = start_and_build(
        team_client, tower_hamlets, "sos", SOS_DATE, "Report to the Secretary of State, charts"
    )
    data = download(team_client, report)
    context = report_context(report)
    charts = [*context["charts"], context["directions_chart"]]
    assert [chart.title for chart in charts] == [
        "Programmes by RAG on 22 Jul 2025",
        "Milestones against their dates on 22 Jul 2025",
        "Directions and sub-items by compliance",
    ]

    # Each chart is a Figure whose Alt is its text alternative, and its data table is printed.
    alts = figure_alts(data)
    text = pdf_text(data)
    for chart in charts:
        assert chart.text_alternative() in alts, chart.title
        figures = " ".join(f"{label} {cells[0].value}" for label, cells in chart.table().rows)
        assert f"{chart.title}: figures {' '.join(chart.table().columns)} {figures}" in text
    directions = context["directions_chart"]
    assert {bar.label: bar.value for bar in directions.bars}["Met"] > 0

    # The same charts as the dashboard's: nothing has changed since the as-of date.
    dashboard = dashboard_context(tower_hamlets, SOS_DATE)
    assert directions.svg() == dashboard["directions"]["chart"].svg()
    assert context["charts"][1].svg() == dashboard["milestones"].svg()
    assert context["charts"][0].bars == [
        bar.__class__(bar.label, bar.value, bar.colour)
        for bar in dashboard["programmes_by_rag"].bars
    ]

    # Edits after the as-of date change the dashboard, not the report's figures.
    for direction in Direction.objects.filter(direction_set__intervention=tower_hamlets):
        direction.compliance = Compliance.NOT_MET
        direction.save()
    assert dashboard_context(tower_hamlets, SOS_DATE)["directions"]["chart"].svg() != (
        directions.svg()
    )
    team_client.post(
        reverse("reports:report_build", kwargs={"slug": tower_hamlets.slug, "pk": report.pk})
    )
    report.refresh_from_db()
    assert figure_alts(download(team_client, report)) == alts
