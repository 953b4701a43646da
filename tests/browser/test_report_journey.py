"""The improvement team drafts the six-monthly report to the Secretary of State as a letter it
can send: it edits the covering letter and a Direction's narrative, previews the report with
both, and builds the draft PDF."""

import re

import pytest

from reports.models import Report
from tests.browser.conftest import sign_in_with_form
from tests.browser.test_accessibility import check_page

pytestmark = pytest.mark.browser


def test_the_improvement_team_drafts_the_report_to_the_secretary_of_state(page, world, axe_script):
    sign_in_with_form(page, "improvement_team")
    page.goto(f"/i/{world.intervention.slug}/reports/")
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Report to the Secretary of State").check()
    page.get_by_label("Title", exact=True).fill("Report to the Secretary of State, July 2025")
    page.get_by_label("As of").fill("2025-07-22")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_text("Draft started: Report to the Secretary of State, July 2025").wait_for()
    report = Report.objects.get(intervention=world.intervention, kind="sos")

    page.get_by_role("link", name="Edit the narrative").click()
    # The draft starts from the record: a letter to send, and each Direction's narrative.
    letter = page.get_by_label("Covering letter", exact=True)
    assert letter.input_value().strip()
    narratives = page.get_by_label(re.compile(r"^Progress narrative: Direction "))
    assert narratives.count() >= 1
    check_page(page, axe_script)
    page.get_by_label("Addressee", exact=True).fill("Minister of State for Local Government")
    letter.fill(
        "We write with the council's second report on its Best Value improvement plan.\n\n"
        "The plan is on track in most areas; the report sets out where it is not."
    )
    page.get_by_label("Signatory 1: name").fill("Stephen Halsey")
    page.get_by_label("Signatory 1: role").fill("Chief Executive")
    narratives.first.fill("The new leadership structure was approved by Cabinet in June.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Report updated.").wait_for()

    page.get_by_role("link", name="Preview").click()
    page.wait_for_url("**/preview/")
    covering = page.get_by_role("region", name="Covering letter")
    covering.get_by_text("Minister of State for Local Government").wait_for()
    assert "second report on its Best Value improvement plan" in covering.inner_text()
    assert "Stephen Halsey" in covering.inner_text()
    page.get_by_text("The new leadership structure was approved by Cabinet in June.").wait_for()
    check_page(page, axe_script)
    page.go_back()

    # The immediate task backend builds the PDF inside the request: a whole report, so slower
    # than a page.
    page.get_by_role("button", name="Build the draft PDF").click(timeout=60_000)
    page.get_by_role("link", name="Download the draft PDF").wait_for()
    report.refresh_from_db()
    assert report.pdf and report.letter_body.startswith("We write with")
    assert "The new leadership structure was approved by Cabinet in June." in (
        report.direction_commentary.values()
    )
