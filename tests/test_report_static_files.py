"""Reports are printed with their stylesheet under the storage production uses (hashed names
from a manifest, after collectstatic), and a report that cannot read its stylesheet fails to
build instead of being stored unstyled."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.test import override_settings
from pypdf import PdfReader

from reports import build, pdf
from reports.choices import BuildState
from reports.models import Report
from tests.factories import ProgrammeFactory, StrategicAimFactory

pytestmark = pytest.mark.django_db

PRODUCTION_STATIC = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "config.storage.StaticFilesStorage"},
}


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


@pytest.fixture
def report(intervention):
    ProgrammeFactory(intervention=intervention, aim=StrategicAimFactory(intervention=intervention))
    return Report.objects.create(
        intervention=intervention, kind="board", title="Q1", as_of=datetime.date(2025, 6, 30)
    )


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    """collectstatic into a fresh folder with the production storage, as docs/operations.md
    says, and that storage in use while the module's tests run (collected once: it takes a
    few seconds)."""
    root = tmp_path_factory.mktemp("collected") / "static"
    with override_settings(STORAGES=PRODUCTION_STATIC, STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield root


def test_under_the_production_storage_the_pdf_has_its_running_footer(collected, report):
    html = pdf.render_html(report)
    assert re.search(r'href="/static/css/report-pdf\.[0-9a-f]{12}\.css"', html), "hashed name"

    text = pdf_text(pdf.render_pdf(html))

    # The footer and the page count come from the stylesheet's @page rules: without the
    # stylesheet the PDF has neither.
    assert "Page 1 of" in text


def test_the_fetcher_reads_a_hashed_stylesheet_from_static_root(collected):
    [hashed] = (collected / "css").glob("report-pdf.*.css")
    fetched = pdf._fetcher().fetch(f"file:///static/css/{hashed.name}")
    assert b"@page" in fetched.read()


def test_a_report_that_cannot_read_its_stylesheet_fails_to_build(report, monkeypatch):
    monkeypatch.setattr(pdf, "_static_file", lambda url: None)

    with pytest.raises(pdf.PdfBuildFailed, match="report-pdf"):
        build.build_and_store(report)

    report.refresh_from_db()
    assert report.build_state == BuildState.FAILED
    assert not report.pdf
