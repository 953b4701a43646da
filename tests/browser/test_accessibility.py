"""axe-core audits every main page in headless Chromium, signed in as each role: no serious or
critical violation is allowed.

To audit another page, add one `Audited(...)` line to PAGES (or ANONYMOUS_PAGES for pages
anyone may see). `url` builds the address from the test world; `roles` narrows who can open it;
`then` acts on the page before the audit (e.g. submits a form so its errors are audited too).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.urls import reverse

from tests.browser.conftest import ROLES, World

pytestmark = pytest.mark.browser

EDITORS = ("officer", "improvement_team", "administrator")


def _show_milestone_errors(page) -> None:
    """Submit the update form with an impossible percentage, so the errors are audited."""
    page.get_by_label("Percent complete").fill("150")
    page.get_by_role("button", name="Save changes").click()
    page.get_by_role("heading", name="There is a problem").wait_for()


@dataclass(frozen=True)
class Audited:
    name: str
    url: Callable[[World], str]
    roles: tuple[str, ...] = tuple(ROLES)
    then: Callable[[object], None] | None = None


def _in(name: str, **kwargs: object) -> Callable[[World], str]:
    """The URL of a page inside the test intervention."""
    return lambda world: reverse(name, kwargs={"slug": world.intervention.slug, **kwargs})


def _meeting(world: World) -> str:
    """The first meeting of the test intervention's first board."""
    from boards.models import Meeting

    meeting = Meeting.objects.filter(board__intervention=world.intervention).order_by("date")[0]
    return reverse(
        "boards:meeting_detail", kwargs={"slug": world.intervention.slug, "pk": meeting.pk}
    )


def _public(name: str) -> Callable[[World], str]:
    """A public page of the test intervention, with its public pages switched on."""

    def url(world: World) -> str:
        world.intervention.public_pages = True
        world.intervention.save(update_fields=["public_pages"])
        return reverse(name, kwargs={"slug": world.intervention.slug})

    return url


SECRETARIAT = ("improvement_team", "administrator")


def _measure(page: str) -> Callable[[World], str]:
    """A page of a success measure of the test intervention owned by the officer, with a
    reading (made the first time it is asked for)."""

    def url(world: World) -> str:
        from interventions.models import Measure, Person
        from tests.factories import MeasureFactory, MeasureReadingFactory

        measure = Measure.objects.filter(intervention=world.intervention).first()
        if measure is None:
            owner = Person.objects.get(intervention=world.intervention, user=world.users["officer"])
            measure = MeasureFactory(
                intervention=world.intervention, owner=owner, programme=world.programme
            )
            MeasureReadingFactory(measure=measure)
        if page == "list":
            return reverse("interventions:measure_list", args=[world.intervention.slug])
        if page == "reading":
            return reverse("interventions:reading_add", args=[world.intervention.slug, measure.pk])
        return measure.get_absolute_url()

    return url


PAGES = [
    Audited("interventions", lambda world: reverse("interventions:intervention_list")),
    Audited("intervention home", lambda world: world.intervention.get_absolute_url()),
    Audited("Directions", _in("directions:direction_list")),
    Audited("Direction", lambda world: world.direction.get_absolute_url()),
    Audited("programmes", _in("interventions:programme_list")),
    Audited("programme", lambda world: world.programme.get_absolute_url()),
    Audited("milestones", _in("interventions:milestone_list")),
    Audited("success measures", _measure("list")),
    Audited("success measure", _measure("detail")),
    Audited("reading form", _measure("reading"), roles=("officer", *SECRETARIAT)),
    Audited("milestone", lambda world: world.milestone.get_absolute_url()),
    Audited(
        "milestone update with errors",
        lambda world: reverse(
            "interventions:milestone_edit",
            kwargs={"slug": world.intervention.slug, "pk": world.milestone.pk},
        ),
        roles=EDITORS,
        then=_show_milestone_errors,
    ),
    Audited(
        "milestone history",
        lambda world: reverse(
            "interventions:object_history",
            kwargs={"slug": world.intervention.slug, "kind": "milestone", "pk": world.milestone.pk},
        ),
    ),
    Audited("My work", lambda world: reverse("interventions:my_work")),
    Audited("What changed", _in("interventions:whats_changed")),
    Audited("change requests", _in("interventions:change_request_list")),
    Audited(
        "change request",
        lambda world: reverse(
            "interventions:change_request_detail",
            kwargs={"slug": world.intervention.slug, "pk": world.change_request.pk},
        ),
    ),
    Audited("boards", _in("boards:board_list")),
    Audited(
        "board",
        lambda world: reverse(
            "boards:board_detail", kwargs={"slug": world.intervention.slug, "key": world.board.key}
        ),
    ),
    Audited("recommendations", _in("boards:recommendation_list")),
    Audited("recommendation", lambda world: world.recommendation.get_absolute_url()),
    Audited("meeting", _meeting),
    Audited(
        "schedule a meeting",
        lambda world: reverse(
            "boards:meeting_create",
            kwargs={"slug": world.intervention.slug, "key": world.board.key},
        ),
        roles=SECRETARIAT,
    ),
    Audited("dashboard", _in("interventions:dashboard")),
    Audited("deadlines", _in("interventions:deadline_list")),
    Audited("deadline calendar", _in("interventions:deadline_calendar_month", year=2025, month=7)),
    Audited("deadlines by person", _in("interventions:deadline_people")),
    Audited("calendar feeds", _in("interventions:deadline_feeds")),
    Audited("reports", _in("reports:report_list")),
    Audited("new report", _in("reports:report_create"), roles=(*SECRETARIAT, "envoy")),
    Audited("page not found", lambda world: "/i/no-such-intervention/"),
    Audited("accessibility statement", lambda world: reverse("accessibility")),
]

ANONYMOUS_PAGES = [
    Audited("sign in", lambda world: reverse("login")),
    Audited(
        "sign in with errors",
        lambda world: reverse("login"),
        then=lambda page: page.get_by_role("button", name="Sign in").click(),
    ),
    Audited("accessibility statement", lambda world: reverse("accessibility")),
    Audited("public home", _public("boards:public_home")),
    Audited("public recommendations", _public("boards:public_recommendation_list")),
]

BLOCKING = {"serious", "critical"}


def audit(page, axe_script) -> list[str]:
    """Run axe-core on the page; describe each serious or critical violation."""
    # Evaluated through the DevTools protocol, which the page's Content Security Policy does
    # not govern: a <script> tag would be refused, as the policy allows no inline script.
    page.evaluate(axe_script.read_text(encoding="utf-8"))
    violations = page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        f"{v['impact']} {v['id']}: {v['help']} at "
        + ", ".join(" ".join(node["target"]) for node in v["nodes"][:5])
        for v in violations
        if v["impact"] in BLOCKING
    ]


def audit_pages(page, world: World, axe_script, pages: list[Audited], persona: str | None):
    problems = {}
    for audited in pages:
        if persona is not None and persona not in audited.roles:
            continue
        page.goto(audited.url(world))
        if audited.then is not None:
            audited.then(page)
        found = audit(page, axe_script)
        if found:
            problems[f"{audited.name} ({page.url})"] = found
    return problems


@pytest.mark.parametrize("persona", list(ROLES))
def test_main_pages_have_no_serious_accessibility_problems(
    page, world, sign_in, axe_script, persona
):
    sign_in(world.users[persona])

    problems = audit_pages(page, world, axe_script, PAGES, persona)

    assert problems == {}


def test_public_pages_have_no_serious_accessibility_problems(page, world, axe_script):
    problems = audit_pages(page, world, axe_script, ANONYMOUS_PAGES, None)

    assert problems == {}


def test_the_audit_finds_a_serious_problem(page, world, axe_script):
    """The audit itself can fail: an image without a text alternative is critical."""
    page.goto(reverse("login"))
    page.evaluate("document.querySelector('main').append(document.createElement('img'))")

    assert any("image-alt" in problem for problem in audit(page, axe_script))
