"""The small fixes, met on the way as people use the service: the public pages linked from
sign-in, the admin linked for administrators only, breadcrumbs that lead back through the
programme after a save, and a way on from last quarter's update to this quarter's."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from interventions.dates.periods import ReportingPeriod
from tests.browser.conftest import sign_in_with_form
from tests.browser.test_journeys import sign_out

pytestmark = pytest.mark.browser


def test_the_way_round_signing_in_saving_and_moving_between_quarters(page, world):
    intervention, programme = world.intervention, world.programme
    intervention.public_pages = True
    intervention.save(update_fields=["public_pages"])

    # Signed out, the sign-in page leads to what anyone may read.
    page.goto("/login/")
    page.get_by_role("link", name=intervention.title).click()
    page.wait_for_url(f"**/public/{intervention.slug}/")

    # An officer is not offered the admin.
    sign_in_with_form(page, "officer")
    expect(page.get_by_role("banner").get_by_role("link", name="Admin")).to_have_count(0)

    # After saving a milestone, the breadcrumbs lead back through its programme.
    page.goto(world.milestone.get_absolute_url())
    page.get_by_role("link", name="Update this milestone").click()
    page.get_by_label("Commentary for this period").fill("Draft vision shared with members.")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_text("Milestone updated.").wait_for()
    crumbs = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link")
    expect(crumbs.filter(has_text="Programmes")).to_have_count(1)
    crumbs.filter(has_text=f"Programme {programme.number}").click()
    page.wait_for_url(f"**{programme.get_absolute_url()}")

    # From last quarter's update, the next quarter's button leads on to this quarter's.
    current = ReportingPeriod.containing(timezone.localdate())
    page.get_by_role("link", name=re.compile(rf"Updates for programme {programme.number}$")).click()
    page.get_by_role("link", name=f"Write the update for {current.previous().label}").click()
    page.get_by_role("link", name=re.compile("^Next quarter")).click()
    expect(page.get_by_role("link", name=re.compile("^Previous quarter"))).to_be_visible()
    assert current.label in page.get_by_role("heading", level=1).inner_text()
    sign_out(page)

    # An administrator is.
    sign_in_with_form(page, "administrator")
    page.get_by_role("banner").get_by_role("link", name="Admin").click()
    page.get_by_role("heading", name="Site administration").wait_for()
