"""No page of a Commissioners intervention says "Envoy", "TAB" or "Transformation and
Assurance", and none of an Envoys intervention says "Commissioner": each role signs in, starts
at the overview and the dashboard, and follows every link inside the intervention (and its
public pages, switched on for the crawl) that it can reach, reading each page."""

import datetime
import re
from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import reverse

from interventions.access import roles
from interventions.choices import InterventionModel
from interventions.models import Intervention
from reports.models import Report
from tests.deadline_factories import ReportingDutyFactory
from tests.factories import (
    AppointmentFactory,
    BoardFactory,
    BoardMembershipFactory,
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
    MeetingFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENVOY_WORDS = re.compile(r"\b(Envoy|Envoys|TAB)\b|Transformation and Assurance")
COMMISSIONER_WORDS = re.compile(r"\b(Commissioner|Commissioners)\b")
# A link's query string is dropped, so each path is read once. The deadline calendar links
# month to month for years: one year of it is read.
MAX_PAGES = 400
SKIPPED = re.compile(r"/deadlines/calendar/(?!2025/)\d+/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def crawl(client, intervention: Intervention) -> dict[str, str]:
    """Every page under the intervention's prefixes reachable from its overview and dashboard,
    as {path: text}. Only pages that answer 200 with HTML or text are kept."""
    prefixes = (f"/i/{intervention.slug}/", f"/public/{intervention.slug}/")
    start = [
        intervention.get_absolute_url(),
        reverse("interventions:dashboard", kwargs={"slug": intervention.slug}),
    ]
    queue, seen, pages = deque(start), set(start), {}
    while queue and len(seen) < MAX_PAGES:
        path = queue.popleft()
        response = client.get(path)
        if response.status_code != 200 or response.streaming:
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith(("text/html", "text/plain", "text/calendar")):
            continue
        text = response.content.decode()
        pages[path] = text
        if not content_type.startswith("text/html"):
            continue
        parser = _Links()
        parser.feed(text)
        for href in parser.hrefs:
            link = urlsplit(urljoin(path, href))
            if link.netloc and link.netloc != "testserver":
                continue
            if SKIPPED.search(link.path):
                continue
            if link.path.startswith(prefixes) and link.path not in seen:
                seen.add(link.path)
                queue.append(link.path)
    return pages


def words_found(pages: dict[str, str], pattern: re.Pattern[str]) -> dict[str, list[str]]:
    found = {}
    for path, text in pages.items():
        hits = sorted({match.group(0) for match in pattern.finditer(text)})
        if hits:
            found[path] = hits
    return found


COMMISSIONER_ROLES = [
    "lead_commissioner",
    "md_commissioner",
    "officer",
    "improvement_team",
    "board_member",
    "administrator",
]


@pytest.mark.parametrize("persona", COMMISSIONER_ROLES)
def test_no_page_of_a_commissioners_intervention_says_envoy_or_tab(
    client, commissioners, commissioner_personas, persona
):
    commissioners.public_pages = True
    commissioners.save()
    # A draft of each kind the model has, so that their pages and forms are crawled too.
    for kind in commissioners.words.report_kinds:
        Report.objects.create(
            intervention=commissioners,
            kind=kind,
            title=f"Draft {kind}",
            as_of=datetime.date(2025, 7, 31),
        )
    client.force_login(commissioner_personas[persona])

    pages = crawl(client, commissioners)

    assert len(pages) > 20, sorted(pages)  # the crawl reached the pages behind the overview
    assert any("/boards/" in path for path in pages)
    assert any("/reports/" in path for path in pages)
    assert any(path.startswith("/public/") for path in pages)
    # The check can fail: the same pages do use the model's own words.
    assert words_found(pages, COMMISSIONER_WORDS)
    assert words_found(pages, ENVOY_WORDS) == {}


def envoys_world(
    intervention: Intervention,
    *,
    lead_role: str = "lead_envoy",
    membership_role: str = "envoy",
) -> dict[str, object]:
    """The factory's intervention (Ministerial Envoys unless made otherwise) with one of
    everything, its main board under the model's name, and a user in each role named in
    it."""
    intervention.public_pages = True
    intervention.save()
    direction_set = DirectionSetFactory(intervention=intervention)
    direction = DirectionFactory(direction_set=direction_set, ref="a")
    programme = ProgrammeFactory(aim__intervention=intervention)
    direction.programmes.add(programme)
    MilestoneFactory(programme=programme)
    board = BoardFactory(intervention=intervention, key="main", name=intervention.words.main_board)
    sub = BoardFactory(intervention=intervention, name="Internal Assurance Board", parent=board)
    MeetingFactory(board=board, date=datetime.date(2025, 4, 14), published=True)
    MeetingFactory(board=sub, date=datetime.date(2025, 4, 7))
    envoy = PersonFactory(intervention=intervention, name="Sam Adviser")
    AppointmentFactory(person=envoy, role=lead_role)
    BoardMembershipFactory(board=board, person=envoy, role=membership_role)
    RecommendationFactory(intervention=intervention, source="envoys_stocktake")
    # The source stored as "commissioners" means the oversight itself: here, the Envoys.
    RecommendationFactory(intervention=intervention, source="commissioners")
    for kind in intervention.words.report_kinds:
        Report.objects.create(
            intervention=intervention,
            kind=kind,
            title=f"Draft {kind}",
            as_of=datetime.date(2025, 7, 31),
        )
    users = {}
    for name in (
        roles.OVERSIGHT,
        roles.COUNCIL_OFFICER,
        roles.IMPROVEMENT_TEAM,
        roles.BOARD_MEMBER,
    ):
        user = UserFactory(role=name)
        PersonFactory(intervention=intervention, user=user)
        users[name] = user
    users[roles.ADMINISTRATOR] = UserFactory(role=roles.ADMINISTRATOR)
    return users


@pytest.mark.parametrize(
    "role",
    [
        roles.OVERSIGHT,
        roles.COUNCIL_OFFICER,
        roles.IMPROVEMENT_TEAM,
        roles.BOARD_MEMBER,
        roles.ADMINISTRATOR,
    ],
)
def test_no_page_of_an_envoys_intervention_says_commissioner(client, intervention, role):
    users = envoys_world(intervention)
    client.force_login(users[role])

    pages = crawl(client, intervention)

    assert len(pages) > 20, sorted(pages)
    assert any(path.startswith("/public/") for path in pages)
    assert words_found(pages, ENVOY_WORDS)  # the model's own words are there
    assert words_found(pages, COMMISSIONER_WORDS) == {}


def board_world(with_stocktake_duty: bool) -> tuple[Intervention, object]:
    """An Improvement and Assurance Board intervention with one of everything, and its
    improvement team member."""
    intervention = InterventionFactory(model=InterventionModel.IMPROVEMENT_ASSURANCE_BOARD)
    users = envoys_world(intervention, lead_role="chair", membership_role="chair")
    if with_stocktake_duty:
        ReportingDutyFactory(
            intervention=intervention,
            report_kind="stocktake",
            title="The Board's report to the Minister",
            first_due_months=3,
            interval_months=3,
        )
    return intervention, users[roles.IMPROVEMENT_TEAM]


def test_no_page_of_an_improvement_assurance_board_says_envoy_or_commissioner(client):
    intervention, user = board_world(with_stocktake_duty=False)
    client.force_login(user)

    pages = crawl(client, intervention)

    assert len(pages) > 20, sorted(pages)
    assert words_found(pages, COMMISSIONER_WORDS) == {}
    assert words_found(pages, ENVOY_WORDS) == {}


def test_the_deadlines_of_an_improvement_assurance_boards_stocktake_say_no_envoy(client):
    intervention, user = board_world(with_stocktake_duty=True)
    client.force_login(user)

    pages = crawl(client, intervention)

    assert words_found(pages, ENVOY_WORDS) == {}
