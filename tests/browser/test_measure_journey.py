"""The owner of a success measure enters a reading in the browser, and its RAG against target
follows."""

import datetime

import pytest
from django.utils import timezone

from interventions.models import Person
from tests.browser.conftest import sign_in_with_form
from tests.factories import MeasureFactory

pytestmark = pytest.mark.browser


def test_the_owner_enters_a_reading_and_the_rag_against_target_updates(page, world):
    today = timezone.localdate()
    owner = Person.objects.get(intervention=world.intervention, user=world.users["officer"])
    measure = MeasureFactory(
        intervention=world.intervention,
        owner=owner,
        title="Demo only: complaints answered on time",
        baseline_value=50,
        baseline_on=today - datetime.timedelta(days=200),
        target_value=90,
        target_on=today + datetime.timedelta(days=200),
        proposed_on=today - datetime.timedelta(days=200),
    )
    sign_in_with_form(page, "officer")
    page.goto(measure.get_absolute_url())
    standing = page.locator(".app-measure-standing")
    assert "No reading yet" in standing.inner_text()

    page.get_by_role("link", name="Enter a reading").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Value (%)").fill("75")
    page.get_by_label("Commentary").fill("Above the trajectory after the new triage.")
    page.get_by_role("button", name="Save the reading").click()

    page.get_by_text("Reading saved.").wait_for()
    text = standing.inner_text()
    assert "Green: on or ahead of trajectory" in text
    assert "15% still to go" in text
    assert measure.readings.get().value == 75
