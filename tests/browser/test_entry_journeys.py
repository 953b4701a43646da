"""Journeys of entering many things at once, or after the event: a whole board's attendance
in one form, a programme's milestones updated together, and a recommendation from a past
meeting answered with a past date. Each form page is checked with axe, and at 375 px wide
for sideways scrolling."""

import datetime

import pytest

from boards.models import Meeting, Recommendation
from interventions.kit.saving import save_versioned
from interventions.models import Milestone
from tests.browser.conftest import sign_in_with_form
from tests.browser.test_accessibility import check_page

pytestmark = pytest.mark.browser


def test_the_secretariat_records_the_attendance_of_a_whole_board_in_one_go(page, world, axe_script):
    meeting = Meeting.objects.filter(board=world.board, date__lte=datetime.date(2025, 6, 30))
    meeting = meeting.order_by("-date").first()
    members = [line for line in meeting.attendance_sheet() if line.member]
    sign_in_with_form(page, "improvement_team")
    page.goto(meeting.get_absolute_url())

    page.get_by_role("link", name="Record attendance").click()
    check_page(page, axe_script)
    for line in members:
        page.get_by_role("group", name=f"Attendance of {line.person.name}").get_by_label(
            "Present"
        ).check()
    absent, substituted = members[-1].person.name, members[-2].person.name
    page.get_by_role("group", name=f"Attendance of {absent}").get_by_label("Sent apologies").check()
    page.get_by_role("group", name=f"Attendance of {substituted}").get_by_label(
        "Sent a substitute"
    ).check()
    page.get_by_label(f"Substitute's name, if one attended for {substituted}").fill("Sam Deputy")
    page.get_by_label("Someone else who attended (1)", exact=True).select_option(label="Officer")
    page.get_by_role("group", name="someone else who attended (1)").get_by_label("Present").check()
    page.get_by_role("button", name="Save attendance").click()

    page.get_by_text(f"Attendance saved: {len(members) + 1} changes.").wait_for()
    table = page.get_by_role("table", name="Attendance: the board's members on the day")
    assert (
        "Sent a substitute: Sam Deputy"
        in table.get_by_role("row").filter(has_text=substituted).inner_text()
    )
    assert "Not recorded" not in table.inner_text()
    assert meeting.attendance.count() == len(members) + 1


def test_an_officer_updates_a_programmes_milestones_together(page, world, axe_script):
    first, second = world.programme.milestones.order_by("position")[:2]
    sign_in_with_form(page, "officer")
    page.goto(world.programme.get_absolute_url())

    page.get_by_role("link", name="Update its milestones together").click()
    check_page(page, axe_script)
    row = page.get_by_role("group", name=f"Milestone {first.label}")
    row.get_by_label("RAG").select_option(label="Amber")
    row.get_by_label("Commentary for this period").fill("Recruitment under way.")
    page.get_by_role("group", name=f"Milestone {second.label}").get_by_label(
        "Percent complete"
    ).fill("25")
    # Meanwhile the improvement team saves the first milestone from its own page.
    theirs = Milestone.objects.get(pk=first.pk)
    theirs.next_steps = "Shortlist in June."
    save_versioned(theirs, theirs.version, reason="Next steps agreed")
    page.get_by_role("button", name="Save changes").click()

    # The whole form is refused, the change shown, and nothing saved.
    page.get_by_role(
        "heading", name="Someone else changed a milestone after you opened this page"
    ).wait_for()
    page.get_by_text("Someone else changed this milestone after you opened the page:").wait_for()
    check_page(page, axe_script)
    assert Milestone.objects.get(pk=second.pk).percent_complete == second.percent_complete
    page.get_by_role("button", name="Save changes").click()

    page.get_by_text("2 milestones updated.").wait_for()
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.rag, first.commentary) == ("amber", "Recruitment under way.")
    assert first.next_steps == "Shortlist in June."  # theirs, kept beside the officer's
    assert second.percent_complete == 25
    third = world.programme.milestones.order_by("position")[2]
    assert Milestone.objects.get(pk=third.pk).version == third.version


def test_a_recommendation_from_a_past_meeting_is_answered_with_a_past_date(page, world):
    meeting = Meeting.objects.filter(board=world.board, date__lte=datetime.date(2025, 6, 30))
    meeting = meeting.order_by("-date").first()
    sign_in_with_form(page, "improvement_team")
    page.goto(meeting.get_absolute_url())

    page.get_by_role("link", name="Add a recommendation").click()
    assert page.get_by_label("Made on").input_value() == meeting.date.isoformat()
    page.get_by_label("Reference").fill("TAB-PAST-1")
    page.get_by_label("Title").fill("Publish the forward plan")
    page.get_by_label("Text").fill("Publish the forward plan each month.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Recommendation TAB-PAST-1 added").wait_for()

    responded = meeting.date + datetime.timedelta(days=7)
    page.get_by_role("link", name="Record the council's response").click()
    page.get_by_label("The council's response").fill("Accepted; published monthly from July.")
    page.get_by_label("Accepted", exact=True).check()
    page.get_by_label("Responded on").fill(responded.isoformat())
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Response recorded.").wait_for()
    recommendation = Recommendation.objects.get(reference="TAB-PAST-1")
    assert (recommendation.made_on, recommendation.responded_on) == (meeting.date, responded)
