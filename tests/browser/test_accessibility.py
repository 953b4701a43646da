"""Every page each role reaches is checked in headless Chromium at 1280 and 375 pixels wide:
axe-core finds no serious or critical violation, and the page never scrolls sideways.

The crawl (tests/browser/crawl.py) follows the links each person is shown, signed in as each
role and signed out, in Tower Hamlets 2025 (Ministerial Envoys) and the invented Commissioners
intervention, so a new page is checked as soon as a page links to it. A page that no link
reaches, or a state reached only by acting on a page (a form sent with errors), is one line in
INTERACTIONS: `url` builds the address from the test world, `roles` narrows who can open it,
`then` acts on the page before the audit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from reports.choices import ReportStatus
from reports.models import Report
from tests.browser.conftest import ROLES, CrawlWorld, World
from tests.browser.crawl import WIDTHS, Audits, crawl, sideways_scroll, violations, with_axe

pytestmark = pytest.mark.browser

EDITORS = ("officer", "improvement_team", "administrator")
PUBLIC = "public"


def audit(page, axe_script) -> list[str]:
    """axe-core on the page as it is now (for journeys that check a page they reach):
    each serious or critical violation, described."""
    page.evaluate(axe_script.read_text(encoding="utf-8"))
    return violations(page)


def check_page(page, axe_script) -> None:
    """For a journey's page: no serious accessibility problem at 1280 px, none at 375 px, and
    no sideways scroll at 375 px."""
    assert audit(page, axe_script) == []
    page.set_viewport_size({"width": WIDTHS[-1], "height": 800})
    try:
        assert audit(page, axe_script) == []
        assert sideways_scroll(page) is None
    finally:
        page.set_viewport_size({"width": WIDTHS[0], "height": 900})


@pytest.fixture(scope="session")
def audits() -> Audits:
    """The page contents already audited by axe-core in this run, whichever role saw them."""
    return Audits()


def _starts(world: CrawlWorld, persona: str) -> list[str]:
    """Where a person starts: the interventions and the intervention's home (signed out: its
    public pages and the sign-in page); then search results (the search box is a form), the
    change requests, which no page links to yet, and each draft report with its preview,
    which the crawl would otherwise take one of."""
    slug = world.intervention.slug
    if persona == PUBLIC:
        return [reverse("boards:public_home", kwargs={"slug": slug}), reverse("login")]
    drafts = Report.objects.filter(intervention=world.intervention, status=ReportStatus.DRAFT)
    return [
        reverse("interventions:intervention_list"),
        world.intervention.get_absolute_url(),
        reverse("interventions:change_request_list", kwargs={"slug": slug}),
        # The search box is a form, not a link: its results pages are started from.
        reverse("interventions:search", kwargs={"slug": slug}) + "?q=governance",
        reverse("interventions:search", kwargs={"slug": slug}) + "?q=governance&kind=milestones",
        *(url for draft in drafts.order_by("pk") for url in _report_pages(draft)),
    ]


def _report_pages(report: Report) -> list[str]:
    kwargs = {"slug": report.intervention.slug, "pk": report.pk}
    return [report.get_absolute_url(), reverse("reports:report_preview", kwargs=kwargs)]


# Every role, signed in and not, on Tower Hamlets (Ministerial Envoys) and on the invented
# Commissioners intervention. The words of every role's pages under each model are also
# crawled, without a browser, in tests/test_model_words_crawl.py.
CRAWLS = [
    (world, persona) for world in ("tower-hamlets", "commissioners") for persona in [*ROLES, PUBLIC]
]


@pytest.mark.parametrize(("crawl_world", "persona"), CRAWLS, indirect=["crawl_world"])
def test_every_page_a_person_reaches_is_accessible_at_1280_and_375_wide(
    page, live_server, crawl_world, sign_in, axe_script, audits, persona
):
    if persona != PUBLIC:
        sign_in(crawl_world.users[persona])
    with_axe(page.context, axe_script)

    found = crawl(
        page, live_server.url, _starts(crawl_world, persona), crawl_world.intervention.slug, audits
    )

    print(found.report())
    assert found.problems == {}, found.report()
    # The crawl reached the pages the faults were found on: evidence and report previews.
    reached = " ".join(found.checked)
    if persona in EDITORS:
        assert "/evidence/add/" in reached
    if persona in ("improvement_team", "administrator"):
        assert "/preview/" in reached


def test_the_crawl_finds_a_page_that_scrolls_sideways(page, transactional_db, axe_script):
    """The crawl itself can fail: a page wider than a phone's screen is reported."""
    with_axe(page.context, axe_script)
    page.goto(reverse("login"))
    page.evaluate(
        "document.querySelector('main').append(Object.assign(document.createElement('div'),"
        " {style: 'width: 600px', textContent: 'wide'}))"
    )
    page.set_viewport_size({"width": WIDTHS[-1], "height": 900})

    assert "the page is 6" in (sideways_scroll(page) or "")


def test_the_audit_finds_a_serious_problem(page, transactional_db, axe_script):
    """The audit itself can fail: an image without a text alternative is critical."""
    with_axe(page.context, axe_script)
    page.goto(reverse("login"))
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")

    assert any("image-alt" in problem for problem in violations(page))


def _show_milestone_errors(page) -> None:
    """Submit the update form with an impossible percentage, so the errors are audited."""
    page.get_by_label("Percent complete").fill("150")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="There is a problem").wait_for()


def _show_evidence_link_question(page) -> None:
    """Choose to add a link, so the question it reveals is audited too."""
    page.get_by_label("Add a link").check()
    page.get_by_label("Web address").wait_for()


@dataclass(frozen=True)
class Interaction:
    name: str
    url: Callable[[World], str]
    roles: tuple[str | None, ...] = tuple(ROLES)
    then: Callable[[object], None] | None = None


def _milestone(name: str) -> Callable[[World], str]:
    return lambda world: reverse(
        name, kwargs={"slug": world.intervention.slug, "pk": world.milestone.pk}
    )


INTERACTIONS = [
    Interaction(
        "milestone update with errors",
        _milestone("interventions:milestone_edit"),
        roles=EDITORS,
        then=_show_milestone_errors,
    ),
    Interaction(
        "evidence with its link question shown",
        _milestone("interventions:milestone_evidence_add"),
        roles=EDITORS,
        then=_show_evidence_link_question,
    ),
    Interaction("page not found", lambda world: "/i/no-such-intervention/"),
    Interaction(
        "sign in with errors",
        lambda world: reverse("login"),
        roles=(None,),
        then=lambda page: page.get_by_role("button", name="Sign in").click(),
    ),
]


@pytest.mark.parametrize("persona", [*ROLES, None])
def test_pages_after_an_action_are_accessible_at_both_widths(
    page, world, sign_in, axe_script, persona
):
    if persona is not None:
        sign_in(world.users[persona])
    with_axe(page.context, axe_script)
    problems = {}
    for interaction in INTERACTIONS:
        if persona not in interaction.roles:
            continue
        page.goto(interaction.url(world))
        if interaction.then is not None:
            interaction.then(page)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 900})
            found = violations(page) + [sideways_scroll(page) or ""]
            if any(found):
                problems[f"{interaction.name} at {width}px"] = [f for f in found if f]

    assert problems == {}
