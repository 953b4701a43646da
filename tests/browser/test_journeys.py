"""End-to-end journeys through the browser, each as a person would do it.

A journey is one test function here: sign in with `sign_in_with_form(page, persona)` (the
personas are conftest.ROLES, all in the real 2025 intervention `world`), use the pages as a
person would, and check what they see (and, where it matters, what was stored).
"""

import datetime
import re

import pytest

from interventions.models import ChangeRequest, Milestone
from tests.browser.conftest import sign_in_with_form

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
    baseline = page.locator(".govuk-summary-list__row").filter(has_text="Baseline end")
    assert re.search(new_end.strftime("%-d %b %Y"), baseline.inner_text())
    assert Milestone.objects.get(pk=milestone.pk).baseline_end == new_end
    assert ChangeRequest.objects.get(milestone=milestone, kind="end_date").status == "approved"
