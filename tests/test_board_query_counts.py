"""The Board's pages, the recommendations register and the public pages make the same number
of queries at ten times the rows."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.kit.kept import forget_all
from tests.factories import (
    ActionFactory,
    AgendaItemFactory,
    AttendanceFactory,
    BoardFactory,
    BoardMembershipFactory,
    BoardRequirementFactory,
    DirectionFactory,
    MeetingFactory,
    PaperFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(intervention):
    intervention.public_pages = True
    intervention.save()
    board = BoardFactory(intervention=intervention, key="tab")
    earlier = MeetingFactory(board=board, date=datetime.date(2025, 5, 12))
    meeting = MeetingFactory(
        board=board, date=datetime.date(2025, 6, 12), published=True, status="minutes_approved"
    )
    return intervention, board, earlier, meeting


def grow(setting, n: int) -> None:
    """Add `n` of every row the pages list."""
    intervention, board, earlier, meeting = setting
    overdue = timezone.localdate() - datetime.timedelta(days=3)
    for _ in range(n):
        person = PersonFactory(intervention=intervention)
        programme = ProgrammeFactory(intervention=intervention)
        direction = DirectionFactory(direction_set__intervention=intervention)
        BoardMembershipFactory(board=board, person=person, role="envoy")
        BoardRequirementFactory(board=board, role="envoy", direction=direction)
        item = AgendaItemFactory(meeting=meeting, presenter=person)
        item.programmes.add(programme)
        item.directions.add(direction)
        PaperFactory(meeting=meeting, agenda_item=item)
        PaperFactory(meeting=meeting, exempt=True, exemption_reason="Paragraph 1")
        AttendanceFactory(meeting=meeting, person=person)
        ActionFactory(meeting=meeting, owner=person)
        ActionFactory(meeting=earlier, owner=person)
        RecommendationFactory(
            intervention=intervention,
            meeting=meeting,
            owner=person,
            response_due=overdue,
        )
        RecommendationFactory(
            intervention=intervention,
            meeting=meeting,
            owner=person,
            response="Accepted.",
            responded_on=datetime.date(2025, 6, 20),
            published_on=datetime.date(2025, 6, 21),
        )


def count_queries(client, url: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def pages(setting) -> dict[str, str]:
    intervention, board, _, meeting = setting
    slug = intervention.slug
    return {
        "register": reverse("boards:recommendation_list", kwargs={"slug": slug}),
        "board": board.get_absolute_url(),
        "meeting": meeting.get_absolute_url(),
        "attendance": reverse("boards:attendance_record", kwargs={"slug": slug, "pk": meeting.pk}),
        "public home": reverse("boards:public_home", kwargs={"slug": slug}),
        "public meeting": reverse("boards:public_meeting", kwargs={"slug": slug, "pk": meeting.pk}),
        "public recommendations": reverse(
            "boards:public_recommendation_list", kwargs={"slug": slug}
        ),
    }


@pytest.mark.parametrize(
    "page",
    [
        "register",
        "board",
        "meeting",
        "attendance",
        "public home",
        "public meeting",
        "public recommendations",
    ],
)
def test_the_page_makes_the_same_queries_at_ten_times_the_rows(
    client, setting, improvement_team, page
):
    client.force_login(improvement_team)
    url = pages(setting)[page]
    grow(setting, 1)
    count_queries(client, url)  # warm up: content types, the session's first save

    once = count_queries(client, url)
    grow(setting, 9)
    ten_times = count_queries(client, url)

    assert ten_times == once, f"{page}: {once} queries with 1 of each row, {ten_times} with 10"


def test_the_public_meeting_page_makes_few_queries(setting):
    """The intervention, the meeting, its agenda, the agenda's public papers, the other public
    papers, and the recommendations with published responses."""
    grow(setting, 3)
    url = pages(setting)["public meeting"]

    assert count_queries(Client(), url) == 6
