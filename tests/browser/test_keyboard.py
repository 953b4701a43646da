"""Someone who uses only a keyboard can sign in and update a milestone, and always sees where
the keyboard focus is."""

import re

import pytest

from interventions.models import Milestone
from tests.browser.conftest import PASSWORD

pytestmark = pytest.mark.browser

# Where the focus is and whether it shows: its own outline, shadow or GOV.UK's yellow, or for
# GOV.UK radios (whose input is hidden) the ring drawn on its label.
FOCUS = """() => {
  const el = document.activeElement;
  const styles = [getComputedStyle(el)];
  if (el.matches('.govuk-radios__input, .govuk-checkboxes__input')) {
    styles.push(getComputedStyle(document.querySelector(`label[for="${el.id}"]`), '::before'));
  }
  const shown = styles.some(s =>
    (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2)
    || (s.boxShadow && s.boxShadow !== 'none')
    || s.backgroundColor === 'rgb(255, 221, 0)');
  return {tag: el.tagName, id: el.id, value: el.value || '',
          text: (el.innerText || '').trim().slice(0, 60), shown};
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUS)


def tab_to(page, matches, limit: int = 80) -> dict:
    """Press Tab until `matches(focus)`; every element on the way must show its focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        focus = focused(page)
        assert focus["shown"], f"no visible focus on {focus}"
        if matches(focus):
            return focus
    raise AssertionError(f"Tab never reached the element; last focus {focus}")


def test_an_officer_updates_a_milestone_with_the_keyboard_alone(page, world):
    page.goto("/login/")

    # The sign-in page starts in the username field.
    assert focused(page)["id"] == "id_username"
    assert focused(page)["shown"]
    page.keyboard.type("officer")
    tab_to(page, lambda f: f["id"] == "id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"://[^/]+/$"))  # signed in: the interventions page

    page.goto(world.milestone.get_absolute_url())
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["text"] == "Skip to main content", first
    assert first["shown"]
    tab_to(page, lambda f: f["text"] == "Update this milestone")
    page.keyboard.press("Enter")
    page.wait_for_url("**/edit/")

    radio = tab_to(page, lambda f: f["id"].startswith("id_rag_"))
    for _ in range(5):  # arrow keys move the choice within the radio group
        if radio["value"] == "amber":
            break
        page.keyboard.press("ArrowDown")
        radio = focused(page)
    assert radio["value"] == "amber"
    page.keyboard.press("Space")
    tab_to(page, lambda f: f["id"] == "id_commentary")
    page.keyboard.type("Draft scheme sent to the monitoring officer.")
    tab_to(page, lambda f: f["text"] == "Save changes")
    page.keyboard.press("Enter")

    page.get_by_text("Milestone updated.").wait_for()
    milestone = Milestone.objects.get(pk=world.milestone.pk)
    assert milestone.rag == "amber"
    assert milestone.commentary == "Draft scheme sent to the monitoring officer."
