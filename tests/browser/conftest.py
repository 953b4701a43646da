"""Browser tests: a live server, Debian's Chromium driven by Playwright, the real 2025 data.

Run only these with `pytest -m browser`; leave them out with `-m "not browser"`. Without
Chromium (/usr/bin/chromium) they are skipped, unless STOCKTAKE_REQUIRE_BROWSER is set (CI sets
it), when they fail instead. A failing test leaves a screenshot and the page's HTML in
var/test-artifacts/.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from boards.models import Board, Recommendation
from directions.models import Direction
from interventions.access import roles
from interventions.choices import ChangeKind
from interventions.interchange.importer import import_intervention, read
from interventions.models import (
    ChangeRequest,
    Intervention,
    Milestone,
    Person,
    Programme,
    Theme,
)
from interventions.themes import BEST_VALUE_THEMES
from interventions.updates import change_control
from tests.factories import UserFactory

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Pinned so that an audit means the same on every machine; scripts/browser-deps.sh (run by
# .ci/run) installs the same version.
AXE_VERSION = (Path(__file__).parent / "AXE_VERSION").read_text().strip()
NODE_PREFIX = settings.BASE_DIR / "var" / "node"
AXE_SCRIPT = NODE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = settings.BASE_DIR / "var" / "test-artifacts"
DATA_FILE = settings.BASE_DIR / "data" / "tower-hamlets-2025.yaml"
COMMISSIONERS_FILE = settings.BASE_DIR / "tests" / "data" / "commissioners.yaml"
PASSWORD = "correct-horse-battery"  # tests.factories.UserFactory's

ROLES = {
    "officer": roles.COUNCIL_OFFICER,
    "improvement_team": roles.IMPROVEMENT_TEAM,
    "envoy": roles.ENVOY,
    "board_member": roles.BOARD_MEMBER,
    "administrator": roles.ADMINISTRATOR,
}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> object:
    # Lets the page fixture know, as it tears down, whether the test failed.
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="package")
def browser(django_db_setup) -> Iterator[object]:
    # The test database is made before Playwright starts its event loop in this thread.
    if not CHROMIUM.exists():
        if os.environ.get("STOCKTAKE_REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is not at {CHROMIUM}; install Debian's chromium package.")
        pytest.skip(f"Chromium is not at {CHROMIUM}; install Debian's chromium package.")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django refuses database calls
    # from a thread with a running loop unless told that this is deliberate. Only while these
    # tests run (package scope), so that it never leaks into the rest of the suite.
    before = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if before is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = before


@pytest.fixture
def page(browser, live_server, request) -> Iterator[object]:
    """A fresh browser tab (its own cookies) on the live server; keeps evidence of a failure."""
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 1280, "height": 900}, locale="en-GB"
    )
    context.set_default_timeout(10_000)
    tab = context.new_page()
    yield tab
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        tab.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        (ARTIFACTS / f"{name}.html").write_text(tab.content(), encoding="utf-8")
    context.close()


@pytest.fixture(scope="session")
def axe_script() -> Path:
    """axe-core from the npm registry, installed under var/node if it is not there yet."""
    if not AXE_SCRIPT.exists():
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is needed to install axe-core: run scripts/browser-deps.sh.")
        subprocess.run(
            [
                npm,
                "install",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(NODE_PREFIX),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
        )
    return AXE_SCRIPT


@dataclass
class World:
    """The real 2025 intervention with a signed-up user per role; the officer is SRO of
    programme 1, which has a pending change request."""

    intervention: Intervention
    users: dict[str, object]
    programme: Programme
    milestone: Milestone
    direction: Direction
    board: Board
    recommendation: Recommendation | None
    change_request: ChangeRequest


def _seed_reference_data() -> None:
    # A transactional test empties every table afterwards, migrations' rows included, so the
    # themes and groups are put back before each browser test.
    for position, (slug, name) in enumerate(BEST_VALUE_THEMES, start=1):
        Theme.objects.update_or_create(slug=slug, defaults={"name": name, "position": position})
    roles.sync_groups()


@pytest.fixture
def world(transactional_db, live_server) -> World:
    _seed_reference_data()
    intervention = import_intervention(read(DATA_FILE), reason="Browser tests")
    users = {}
    for persona, role in ROLES.items():
        user = UserFactory(
            username=persona, first_name=persona.replace("_", " ").title(), role=role
        )
        user.is_staff = role == roles.ADMINISTRATOR
        user.save()
        if role != roles.ADMINISTRATOR:
            Person.objects.create(
                intervention=intervention, key=f"test-{persona}", name=user.first_name, user=user
            )
        users[persona] = user
    programme = intervention.programmes.order_by("number").first()
    officer = Person.objects.get(intervention=intervention, user=users["officer"])
    Programme.objects.filter(pk=programme.pk).update(sro=officer)
    programme.refresh_from_db()
    # A milestone with an agreed end, so that change control has a baseline to move.
    milestone = programme.milestones.filter(baseline_end__isnull=False).order_by("position").first()
    last = programme.milestones.order_by("position").last()
    change = change_control.request_change(
        last,
        kind=ChangeKind.SCOPE,
        reason="The review found a wider need.",
        by=users["officer"],
        proposed_title=f"{last.title} and publish the findings",
    )
    return World(
        intervention=intervention,
        users=users,
        programme=programme,
        milestone=milestone,
        direction=Direction.objects.filter(direction_set__intervention=intervention)
        .order_by("pk")
        .first(),
        board=Board.objects.filter(intervention=intervention).order_by("pk").first(),
        recommendation=Recommendation.objects.filter(intervention=intervention)
        .order_by("pk")
        .first(),
        change_request=change,
    )


@pytest.fixture
def sign_in(page, live_server):
    """Signs the page in as a user without the login form (journeys use the form itself)."""

    def sign_in_as(user) -> None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        page.context.add_cookies(
            [{"name": cookie.key, "value": cookie.value, "url": live_server.url}]
        )

    return sign_in_as


def sign_in_with_form(page, username: str) -> None:
    """Sign in through the login page, as a person would."""
    page.goto("/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"://[^/]+/$"))  # the interventions page


@dataclass
class CrawlWorld:
    """An intervention with a user for each role, and at least one of each kind of thing a
    page can show: a draft of each report its model has, evidence and a challenge on a
    programme, a change request, and its public pages switched on."""

    intervention: Intervention
    users: dict[str, object]


# The Commissioners fixture's people who sign in, by role: the Lead Commissioner, the council's
# officer and Head of Improvement, and the Leader of the Council as a Board member.
COMMISSIONERS_PEOPLE = {
    "officer": "tom-forrest",
    "improvement_team": "priya-shah",
    "envoy": "ruth-akinola",
    "board_member": "lynda-snell",
}


def _commissioners_world() -> CrawlWorld:
    _seed_reference_data()
    intervention = import_intervention(read(COMMISSIONERS_FILE), reason="Browser tests")
    users = {}
    for persona, role in ROLES.items():
        user = UserFactory(
            username=persona, first_name=persona.replace("_", " ").title(), role=role
        )
        user.is_staff = role == roles.ADMINISTRATOR
        user.save()
        if persona in COMMISSIONERS_PEOPLE:
            intervention.people.filter(key=COMMISSIONERS_PEOPLE[persona]).update(user=user)
        users[persona] = user
    programme = intervention.programmes.order_by("number").first()
    Programme.objects.filter(pk=programme.pk).update(
        sro=intervention.people.get(key=COMMISSIONERS_PEOPLE["officer"])
    )
    milestone = programme.milestones.order_by("position").last()
    change_control.request_change(
        milestone,
        kind=ChangeKind.SCOPE,
        reason="The review found a wider need.",
        by=users["officer"],
        proposed_title=f"{milestone.title} and publish the findings",
    )
    return CrawlWorld(intervention=intervention, users=users)


def _something_of_everything(intervention: Intervention, users: dict[str, object]) -> None:
    """What the import leaves out and pages show: evidence, a challenge, draft reports, a
    success measure (owned by the officer) with a reading; all test data, never imported."""
    from interventions.models import Person
    from reports.models import Report
    from tests.factories import (
        CommentFactory,
        EvidenceFactory,
        MeasureFactory,
        MeasureReadingFactory,
    )

    intervention.public_pages = True
    intervention.save(update_fields=["public_pages"])
    programme = intervention.programmes.order_by("number").first()
    EvidenceFactory(
        programme=programme, title="Cabinet report, 12 March 2025", added_by=users["officer"]
    )
    CommentFactory(programme=programme, author=users["envoy"])
    owner = Person.objects.filter(intervention=intervention, user=users["officer"]).first()
    measure = MeasureFactory(intervention=intervention, owner=owner)
    MeasureReadingFactory(measure=measure, taken_on=datetime.date(2025, 6, 30))
    as_of = min(timezone.localdate(), intervention.scheduled_end or timezone.localdate())
    for kind in intervention.words.report_kinds:
        Report.objects.create(
            intervention=intervention,
            kind=kind,
            title=f"{intervention.words.report_label(kind)} (draft)",
            as_of=as_of,
        )


@pytest.fixture(params=["tower-hamlets", "commissioners"])
def crawl_world(request) -> CrawlWorld:
    """Tower Hamlets 2025 (Ministerial Envoys) and the invented Commissioners intervention."""
    if request.param == "tower-hamlets":
        world = request.getfixturevalue("world")
        crawled = CrawlWorld(intervention=world.intervention, users=world.users)
    else:
        request.getfixturevalue("transactional_db")
        request.getfixturevalue("live_server")
        crawled = _commissioners_world()
    _something_of_everything(crawled.intervention, crawled.users)
    return crawled
