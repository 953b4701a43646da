"""End-to-end journeys through the browser, each as a person would do it.

A journey is one test function here: sign in with `sign_in_with_form(page, persona)` (the
personas are conftest.ROLES, all in the real 2025 intervention `world`), use the pages as a
person would, and check what they see (and, where it matters, what was stored).
"""

import datetime
import hashlib
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from boards import services
from boards.models import Meeting, Recommendation
from interventions.models import ChangeRequest, Milestone
from tests.browser.conftest import sign_in_with_form
from tests.browser.test_accessibility import audit, check_page

pytestmark = pytest.mark.browser


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


def test_an_officer_updates_a_milestone_and_sees_it_in_its_history(page, world):
    sign_in_with_form(page, "officer")
    page.goto(world.milestone.get_absolute_url())

    page.get_by_role("link", name="Update this milestone").click()
    page.get_by_label("Amber").check()
    page.get_by_label("Commentary for this period").fill("Consultation closes on Friday.")
    page.get_by_label("Reason for the change").fill("Consultation started late.")
    page.get_by_role("button", name="Save changes").click()

    page.get_by_text("Milestone updated.").wait_for()
    history = page.locator("#history ~ *").first
    assert "Consultation started late." in history.inner_text()
    assert "Officer" in history.inner_text()
    assert Milestone.objects.get(pk=world.milestone.pk).rag == "amber"


def test_a_slip_past_the_baseline_waits_for_the_improvement_team_then_moves_it(page, world):
    milestone = world.milestone
    new_end = milestone.baseline_end + datetime.timedelta(days=61)
    sign_in_with_form(page, "officer")
    page.goto(milestone.get_absolute_url())
    page.get_by_role("link", name="Update this milestone").click()
    page.get_by_label("Forecast end").fill(new_end.isoformat())
    page.get_by_label("Reason for the change").fill("The consultation needs a second round.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("now waits for the improvement team's approval").wait_for()
    assert Milestone.objects.get(pk=milestone.pk).baseline_end == milestone.baseline_end
    sign_out(page)

    sign_in_with_form(page, "improvement_team")
    page.goto(f"/i/{world.intervention.slug}/change-requests/")
    row = page.get_by_role("row").filter(has_text="The consultation needs a second round.")
    row.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Change request approved.").wait_for()

    page.goto(milestone.get_absolute_url())
    baseline = page.locator(".govuk-summary-list__row").filter(has_text="Baseline end (last")
    assert re.search(new_end.strftime("%-d %b %Y"), baseline.inner_text())
    assert Milestone.objects.get(pk=milestone.pk).baseline_end == new_end
    assert ChangeRequest.objects.get(milestone=milestone, kind="end_date").status == "approved"


def pdf_upload(name: str, words: str) -> dict:
    """A small file that passes the upload checks (a PDF's signature), as a person would pick it."""
    return {
        "name": name,
        "mimeType": "application/pdf",
        "buffer": f"%PDF-1.4\n% {words}\n%%EOF\n".encode(),
    }


def test_the_secretariat_runs_a_board_meeting_and_the_owner_publishes_the_response(page, world):
    sign_in_with_form(page, "improvement_team")
    page.goto(f"/i/{world.intervention.slug}/boards/")
    page.get_by_role("link", name="Transformation and Assurance Board").click()

    # The date comes from the board's cadence; the secretariat accepts it.
    page.get_by_role("link", name="Schedule the next meeting").click()
    page.get_by_label("Title", exact=True).fill("Quarterly delivery report")
    page.get_by_role("button", name="Schedule meeting").click()
    page.get_by_text("Meeting scheduled for").wait_for()
    meeting = Meeting.objects.get(board=world.board, title="Quarterly delivery report")
    assert page.get_by_role("heading", level=1).inner_text().endswith("Quarterly delivery report")

    page.get_by_role("link", name="Add an agenda item").click()
    page.get_by_label("Title", exact=True).fill("Delivery against the Directions")
    page.get_by_label("Presenter").select_option(label="Officer")
    page.get_by_role("button", name="Save").click()
    agenda = page.locator("#agenda ~ ol").first
    agenda.get_by_text("1. Delivery against the Directions").wait_for()
    assert "Presented by Officer" in agenda.inner_text()

    page.get_by_role("link", name="Add a paper").click()
    page.get_by_label("Title", exact=True).fill("Quarterly delivery report to the Board")
    page.get_by_label("Upload the paper").set_input_files(pdf_upload("report.pdf", "public"))
    page.get_by_label("Yes, it is public").check()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Paper added: Quarterly delivery report to the Board").wait_for()

    page.get_by_role("link", name="Add a paper").click()
    page.get_by_label("Title", exact=True).fill("Commercial options for the leisure contract")
    page.get_by_label("Upload the paper").set_input_files(pdf_upload("options.pdf", "exempt"))
    page.get_by_label("No, it is exempt").check()
    page.get_by_label("Why is it exempt? (if exempt)").fill("Schedule 12A, paragraph 3.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Paper added: Commercial options for the leisure contract").wait_for()
    papers = page.get_by_role("table", name="Papers for this meeting")
    public_row = papers.get_by_role("row").filter(has_text="Quarterly delivery report to the")
    exempt_row = papers.get_by_role("row").filter(has_text="Commercial options")
    assert "Public" in public_row.inner_text()
    assert "Exempt Schedule 12A, paragraph 3." in exempt_row.inner_text()

    page.get_by_role("link", name="Record attendance").click()
    page.get_by_label("Someone else who attended (1)", exact=True).select_option(label="Envoy")
    page.get_by_role("group", name="someone else who attended (1)").get_by_label("Present").check()
    page.get_by_label("Someone else who attended (2)", exact=True).select_option(
        label="Board Member"
    )
    page.get_by_role("group", name="someone else who attended (2)").get_by_label(
        "Sent apologies"
    ).check()
    page.get_by_label("Note (optional) for someone else who attended (2)").fill("On leave")
    page.get_by_role("button", name="Save attendance").click()
    attendance = page.get_by_role("table", name="Attendance: the board's members on the day")
    attendance.get_by_role("row").filter(has_text="Board Member").get_by_text(
        "Sent apologies (On leave)"
    ).wait_for()
    envoy_row = attendance.get_by_role("row").filter(has_text=re.compile(r"^\s*Envoy"))
    assert "Present" in envoy_row.inner_text()

    page.get_by_role("link", name="Edit meeting and minutes").click()
    page.get_by_label("Minutes", exact=True).fill("The Board noted the quarterly report.")
    page.get_by_label("Yes", exact=True).check()  # publish the public papers
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Meeting updated.").wait_for()
    minutes = page.locator("#minutes ~ *")
    assert "Draft: not yet approved" in minutes.first.inner_text()
    assert "The Board noted the quarterly report." in minutes.nth(1).inner_text()

    page.get_by_role("link", name="Add a recommendation").click()
    page.get_by_label("Reference").fill("TAB-J1")
    page.get_by_label("Title", exact=True).fill("Publish the leisure options appraisal")
    page.get_by_label("Text", exact=True).fill(
        "The council should publish its appraisal of the options."
    )
    # The owner is set here, on the recommendation: the officer who answers for it.
    page.get_by_label("Owner", exact=True).select_option(label="Officer")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Recommendation TAB-J1 added; response due").wait_for()
    recommendation = Recommendation.objects.get(intervention=world.intervention, reference="TAB-J1")
    assert recommendation.meeting == meeting
    sign_out(page)

    sign_in_with_form(page, "officer")
    page.goto(recommendation.get_absolute_url())
    page.get_by_role("link", name="Record the council's response").click()
    page.get_by_label("The council's response").fill("Accepted: the appraisal goes out in May.")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Responded on").fill(recommendation.made_on.isoformat())
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Response recorded. It is not public until you publish it.").wait_for()
    page.get_by_text("Not published").wait_for()
    page.get_by_role("button", name="Publish the response").click()
    page.get_by_text("Response published: it now appears on the public pages.").wait_for()
    status = page.locator(".govuk-summary-list__row").filter(has_text="Status")
    assert "Accepted" in status.inner_text()
    recommendation.refresh_from_db()
    assert recommendation.response_published
    assert recommendation.responded_on is not None


def test_the_improvement_team_builds_and_issues_the_quarterly_board_report(page, world):
    sign_in_with_form(page, "improvement_team")
    page.goto(f"/i/{world.intervention.slug}/")
    page.get_by_role("link", name="Reports", exact=True).first.click()
    page.get_by_role("link", name="Start a report").click()
    page.get_by_label("Delivery report to the Board").check()
    page.get_by_label("Title", exact=True).fill("Delivery report to the Board, Q1 2025/26")
    page.get_by_label("As of").fill("2025-06-30")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_text("Draft started: Delivery report to the Board, Q1 2025/26").wait_for()
    quarter = page.locator(".govuk-summary-list__row").filter(has_text="Quarter")
    assert "Q1 2025/26" in quarter.inner_text()

    page.get_by_role("link", name="Edit the narrative").click()
    page.get_by_label("Summary").fill("Delivery is broadly on track; two activities slipped.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Report updated.").wait_for()

    page.get_by_role("link", name="Preview").click()
    page.wait_for_url("**/preview/")
    page.get_by_text("Delivery is broadly on track; two activities slipped.").first.wait_for()
    page.go_back()

    # The immediate task backend builds the PDF inside the request.
    page.get_by_role("button", name="Build the draft PDF").click()
    page.get_by_role("link", name="Download the draft PDF").wait_for()

    page.get_by_role("link", name="Issue the report").click()
    page.get_by_role("button", name="Issue the report").click()
    page.get_by_text("Issued: Delivery report to the Board, Q1 2025/26").wait_for()
    status = page.locator(".govuk-summary-list__row").filter(has_text="Status")
    assert "Issued" in status.inner_text()
    assert "Issued by" in page.locator(".govuk-summary-list").first.inner_text()
    assert "Verified" in page.locator(".govuk-summary-list__row", has_text="Checksum").inner_text()
    # The PDF's checksum (the list of its sources has its own, further down).
    pdf_row = page.locator(".govuk-summary-list__row", has_text="SHA-256")
    shown = pdf_row.locator("code.app-checksum").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", shown)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the issued PDF").click()
    content = Path(download_info.value.path()).read_bytes()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == shown


def test_public_pages_show_the_published_meeting_and_response_but_never_an_exempt_paper(
    page, world, browser, live_server
):
    # The meeting, its papers and the published response are made through boards.services and
    # the models' own steps: the first journey above already does all of it through the pages.
    meeting = services.schedule_meeting(
        world.board, date=datetime.date(2025, 7, 15), title="Quarterly delivery report"
    )
    secretariat = world.users["improvement_team"]
    public = services.add_paper(
        meeting,
        title="Quarterly delivery report to the Board",
        upload=SimpleUploadedFile("report.pdf", b"%PDF-1.4\n% public\n%%EOF\n"),
        by=secretariat,
    )
    exempt = services.add_paper(
        meeting,
        title="Commercial options for the leisure contract",
        upload=SimpleUploadedFile("options.pdf", b"%PDF-1.4\n% exempt\n%%EOF\n"),
        by=secretariat,
        exempt=True,
        exemption_reason="Schedule 12A, paragraph 3.",
    )
    meeting.published = True
    meeting._change_reason = "Papers published"
    meeting.save()
    recommendation = Recommendation(
        intervention=world.intervention,
        reference="TAB-J3",
        source="board",
        meeting=meeting,
        title="Publish the leisure options appraisal",
        text="The council should publish its appraisal of the options.",
        made_on=meeting.date,
        response_due=meeting.date + datetime.timedelta(days=28),
    )
    recommendation._change_reason = "Recommendation added"
    recommendation.save()
    recommendation.record_response(
        response="Accepted: the appraisal goes out in May.",
        status="accepted",
        responded_on=meeting.date,
        version=recommendation.version,
    )
    recommendation.refresh_from_db()
    recommendation.publish_response(on=meeting.date, version=recommendation.version)
    slug = world.intervention.slug
    assert Client().get(f"/public/{slug}/").status_code == 404  # off until switched on

    sign_in_with_form(page, "administrator")
    page.goto(f"/admin/interventions/intervention/{world.intervention.pk}/change/")
    page.get_by_label("Public pages").check()
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_text("was changed successfully").wait_for()

    context = browser.new_context(base_url=live_server.url, locale="en-GB")
    try:
        visitor = context.new_page()
        visitor.goto(f"/public/{slug}/")
        home_html = visitor.content()
        visitor.get_by_role("link", name="Transformation and Assurance Board, 15 July 2025").click()
        visitor.get_by_role("link", name="Quarterly delivery report to the Board").wait_for()
        visitor.get_by_text("Accepted: the appraisal goes out in May.").wait_for()
        meeting_html = visitor.content()
        visitor.goto(f"/public/{slug}/")
        visitor.get_by_role("link", name="with the council's published response").click()
        visitor.get_by_text("Accepted: the appraisal goes out in May.").wait_for()
        recommendations_html = visitor.content()

        assert str(public.uuid) in meeting_html
        for html in (home_html, meeting_html, recommendations_html):
            assert str(exempt.uuid) not in html
            assert "Commercial options" not in html
        assert visitor.request.get(f"/public/{slug}/papers/{exempt.uuid}/").status == 404
        assert visitor.request.get(f"/public/{slug}/papers/{public.uuid}/").status == 200
        # The signed-in download address asks a visitor to sign in first.
        signed_in_only = visitor.request.get(f"/i/{slug}/papers/{exempt.uuid}/", max_redirects=0)
        assert signed_in_only.status == 302
        assert "/login/" in signed_in_only.headers["location"]
    finally:
        context.close()


def chart_figure(page, caption: str, label: str) -> str:
    """The figure a dashboard chart's table gives for one of its rows."""
    table = page.get_by_role("table", name=re.compile(re.escape(caption)))
    row = table.get_by_role("row").filter(has=page.get_by_role("rowheader", name=label))
    return row.get_by_role("cell").first.inner_text().split()[0]


def test_the_rag_set_in_the_quarters_update_is_the_one_the_dashboard_shows(page, world):
    sign_in_with_form(page, "officer")
    page.goto(world.programme.get_absolute_url())
    page.get_by_role("link", name=re.compile(r"Write the update for Q\d")).click()
    page.get_by_label("Amber").check()
    page.get_by_label("In progress").check()
    page.get_by_label("Summary of progress").fill("The vision statement went to the Board.")
    page.get_by_role("button", name="Save the update").click()
    page.get_by_text(re.compile(r"The update for Q\d .* is saved\.")).wait_for()
    sign_out(page)

    sign_in_with_form(page, "envoy")
    page.goto(f"/i/{world.intervention.slug}/dashboard/")
    assert chart_figure(page, "Programmes by RAG now", "Amber") == "1"
    page.goto(world.programme.get_absolute_url())
    rag = page.locator(".govuk-summary-list__row").filter(has_text="RAG and status set by")
    assert "The update for Q" in rag.inner_text()


def test_an_approved_slip_still_counts_against_the_original_baseline(page, world, axe_script):
    milestone = world.milestone
    original = milestone.baseline_end
    new_end = timezone.localdate() + datetime.timedelta(days=120)
    sign_in_with_form(page, "officer")
    page.goto(milestone.get_absolute_url())
    page.get_by_role("link", name="Update this milestone").click()
    page.get_by_label("Forecast end").fill(new_end.isoformat())
    page.get_by_label("Reason for the change").fill("The vision needs a second consultation.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("now waits for the improvement team's approval").wait_for()
    sign_out(page)

    sign_in_with_form(page, "improvement_team")
    page.goto(f"/i/{world.intervention.slug}/change-requests/")
    row = page.get_by_role("row").filter(has_text="The vision needs a second consultation.")
    row.get_by_role("link", name="Decide").click()
    page.get_by_label("Approve").check()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_text("Change request approved.").wait_for()

    # The milestone keeps its original baseline beside the re-baseline and the forecast.
    page.goto(milestone.get_absolute_url())
    baselines = page.get_by_role("table", name=re.compile("Baselines and forecast"))
    assert original.strftime("%-d %b %Y") in baselines.inner_text()
    assert "Re-baseline 1" in baselines.inner_text()
    assert new_end.strftime("%-d %b %Y") in baselines.inner_text()
    check_page(page, axe_script)

    # The dashboard still counts it as slipped, unless asked to measure the approved baseline.
    page.goto(f"/i/{world.intervention.slug}/dashboard/")
    assert chart_figure(page, "Milestones against their dates", "Slipped") == "1"
    page.get_by_label("Measure slipped milestones against").select_option("approved")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**against=approved**")
    assert chart_figure(page, "Milestones against their dates", "Slipped") == "0"

    # The slipped filter of the milestone list finds it.
    page.goto(f"/i/{world.intervention.slug}/milestones/?schedule=slipped")
    assert milestone.title[:30] in page.content()


def test_a_board_member_searches_from_the_header_and_opens_a_milestone(page, world, axe_script):
    from reports.models import Report

    # A draft report is the improvement team's alone: search never shows it to anyone else.
    Report.objects.create(
        intervention=world.intervention,
        kind="board",
        title="Vision statement draft for the Board",
        as_of=datetime.date(2025, 6, 30),
    )
    sign_in_with_form(page, "board_member")
    page.goto(world.intervention.get_absolute_url())

    search = page.get_by_role("search", name="Search this intervention")
    search.get_by_label("Search this intervention").fill("vision statement")
    search.get_by_role("button", name="Search").click()

    page.get_by_role("heading", name=re.compile("^Search ")).wait_for()
    status = page.get_by_role("status").inner_text()
    assert re.match(r"\d+ results? for “vision statement”", status), status
    assert "Vision statement draft for the Board" not in page.content()
    assert audit(page, axe_script) == []
    kinds = page.get_by_role("navigation", name="Results by kind")
    kinds.get_by_role("link", name=re.compile("^Milestones")).click()
    page.get_by_role("heading", name=re.compile("^Milestones")).wait_for()
    found = page.locator(".app-search-result a").filter(has_text="2035 Strategic Vision statement")
    found.first.click()
    page.wait_for_url("**/milestones/*/")
    assert "2035 Strategic Vision statement" in page.get_by_role("heading", level=1).inner_text()


def waiting_in_header(page) -> int:
    """The count beside My work in the header."""
    link = page.get_by_role("banner").get_by_role("link", name=re.compile(r"^My work"))
    found = re.search(r"(\d+) waiting for you", link.text_content())
    return int(found.group(1)) if found else 0


def test_the_officers_inbox_holds_a_recommendation_to_respond_to_and_a_challenge_to_answer(
    page, world, axe_script
):
    from interventions.models import Comment, Person
    from tests.factories import RecommendationFactory

    milestone = world.milestone
    recommendation = RecommendationFactory(
        intervention=world.intervention,
        reference="TAB-INBOX-1",
        title="Publish the forward plan monthly",
        owner=Person.objects.get(intervention=world.intervention, user=world.users["officer"]),
        made_on=datetime.date(2025, 6, 10),
        response_due=datetime.date(2025, 7, 8),
    )
    sign_in_with_form(page, "envoy")
    page.goto(milestone.get_absolute_url())
    page.get_by_label("Challenge", exact=True).check()
    page.get_by_label("Your challenge or comment").fill("Why has the recruitment slipped?")
    page.get_by_role("button", name="Add", exact=True).click()
    page.get_by_text("Challenge added").wait_for()
    sign_out(page)

    # The officer (SRO of the programme, owner of the recommendation) finds both in My work,
    # counted in the header.
    sign_in_with_form(page, "officer")
    waiting = waiting_in_header(page)
    page.get_by_role("link", name=re.compile(rf"^My work {waiting} waiting for you$")).click()
    page.get_by_role("heading", name="Challenges to answer (1)").wait_for()
    assert audit(page, axe_script) == []
    page.get_by_role("heading", name="Recommendations to respond to (1)").wait_for()
    page.get_by_role("link", name="TAB-INBOX-1: Publish the forward plan monthly").click()
    page.get_by_role("link", name="Record the council's response").click()
    page.get_by_label("The council's response").fill("Accepted: the plan is published monthly.")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Responded on").fill("2025-07-01")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Response recorded.").wait_for()
    assert waiting_in_header(page) == waiting - 1
    page.get_by_role("banner").get_by_role("link", name=re.compile("^My work")).click()
    expect(
        page.get_by_role("heading", name=re.compile("^Recommendations to respond to"))
    ).to_have_count(0)
    page.get_by_role("link", name=re.compile(r"^Answer the challenge on milestone")).click()
    assert audit(page, axe_script) == []
    page.get_by_label("Your reply").fill("The post was re-advertised; interviews on 3 June.")
    page.get_by_role("button", name="Add the reply").click()
    page.get_by_text("Reply added").wait_for()
    assert "Answered" in page.locator(".app-challenge-state").first.inner_text()
    sign_out(page)

    # The Envoy reads the answer from My work and resolves the challenge.
    sign_in_with_form(page, "envoy")
    page.goto("/my-work/")
    page.get_by_role("heading", name="Your challenges that have been answered (1)").wait_for()
    page.get_by_role("link", name=re.compile(r"^Resolve your challenge on milestone")).click()
    page.get_by_label("Closing note (optional)").fill("Thank you: settled.")
    page.get_by_role("button", name="Resolve the challenge").click()
    page.get_by_text("Challenge resolved").wait_for()
    assert "Resolved" in page.locator(".app-challenge-state").first.inner_text()

    recommendation.refresh_from_db()
    assert recommendation.responded_on == datetime.date(2025, 7, 1)
    challenge = Comment.objects.get(text="Why has the recruitment slipped?")
    assert challenge.answered_by == world.users["officer"]
    assert challenge.resolved_by == world.users["envoy"]
    assert [r.text for r in challenge.replies.order_by("created")] == [
        "The post was re-advertised; interviews on 3 June.",
        "Thank you: settled.",
    ]
