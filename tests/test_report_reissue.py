"""Issued reports printed without their stylesheet are listed, and each can be reissued as a
corrected copy: a new issued report whose cover names the original, while the original keeps
its PDF and checksum on record."""

from __future__ import annotations

import datetime
import hashlib
import io
import re

import pytest
import weasyprint
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import build
from reports.choices import ReportStatus
from reports.models import Report
from tests.factories import ProgrammeFactory, StrategicAimFactory

pytestmark = pytest.mark.django_db


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def issued_unstyled(intervention, user) -> Report:
    """An issued report as production stored them before the fix: the HTML printed without
    its stylesheet (no @page footer, no cover page)."""
    data = weasyprint.HTML(string="<h1>Q1 unstyled</h1><p>Programme delivery</p>").write_pdf()
    report = Report(
        intervention=intervention,
        kind="board",
        title="Q1 unstyled",
        as_of=datetime.date(2025, 6, 30),
        summary="The quarter in brief.",
        status=ReportStatus.FINAL,
        finalised_at=timezone.now() - datetime.timedelta(days=30),
        finalised_by=user,
        sha256=hashlib.sha256(data).hexdigest(),
    )
    report.pdf.save("report.pdf", ContentFile(data), save=False)
    report.save()
    return report


def issued_styled(intervention, user) -> Report:
    report = Report.objects.create(
        intervention=intervention, kind="board", title="Q2 styled", as_of=datetime.date(2025, 9, 30)
    )
    build.finalise(report, user)
    return report


@pytest.fixture
def programme(intervention):
    return ProgrammeFactory(
        intervention=intervention, aim=StrategicAimFactory(intervention=intervention)
    )


def page_url(intervention) -> str:
    return reverse("reports:report_unstyled", kwargs={"slug": intervention.slug})


def test_the_list_names_only_the_issued_reports_printed_without_their_stylesheet(
    client, intervention, programme, improvement_team
):
    unstyled = issued_unstyled(intervention, improvement_team)
    styled = issued_styled(intervention, improvement_team)
    client.force_login(improvement_team)
    page = client.get(page_url(intervention)).content.decode()
    assert unstyled.title in page and unstyled.sha256 in page
    assert styled.title not in page
    assert "Reissue as a corrected copy" in page


def test_reissuing_makes_a_styled_corrected_copy_and_keeps_the_original(
    client, intervention, programme, improvement_team
):
    original = issued_unstyled(intervention, improvement_team)
    checksum, name = original.sha256, original.pdf.name
    client.force_login(improvement_team)
    response = client.post(
        reverse("reports:report_reissue", kwargs={"slug": intervention.slug, "pk": original.pk})
    )

    copy = Report.objects.get(corrects=original)
    assert response["Location"] == copy.get_absolute_url()
    assert copy.status == ReportStatus.FINAL and copy.finalised_by == improvement_team
    assert copy.verify_checksum() is True
    with copy.pdf.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "Page 1 of" in text  # printed with its stylesheet
    assert f"Corrected copy of the report issued on {original.issued_on:%-d %B %Y}" in text
    assert checksum in text

    original.refresh_from_db()
    assert original.status == ReportStatus.FINAL
    assert (original.sha256, original.pdf.name) == (checksum, name)
    assert original.verify_checksum() is True

    page = client.get(original.get_absolute_url()).content.decode()
    assert "Corrected copy" in page and copy.get_absolute_url() in page
    listing = client.get(page_url(intervention)).content.decode()
    assert "Reissue as a corrected copy" not in listing
    assert copy.get_absolute_url() in listing


def test_a_report_is_reissued_once(client, intervention, programme, improvement_team):
    original = issued_unstyled(intervention, improvement_team)
    client.force_login(improvement_team)
    url = reverse("reports:report_reissue", kwargs={"slug": intervention.slug, "pk": original.pk})
    client.post(url)
    client.post(url)
    assert Report.objects.filter(corrects=original).count() == 1


def test_a_report_printed_with_its_stylesheet_is_not_reissued(
    client, intervention, programme, improvement_team
):
    styled = issued_styled(intervention, improvement_team)
    client.force_login(improvement_team)
    client.post(
        reverse("reports:report_reissue", kwargs={"slug": intervention.slug, "pk": styled.pk})
    )
    assert not Report.objects.filter(corrects=styled).exists()


def test_only_the_improvement_team_sees_the_list(client, intervention, envoy, officer):
    for user in (envoy, officer):
        client.force_login(user)
        assert client.get(page_url(intervention)).status_code == 403
