"""The number of queries a page makes must not grow with its rows.

Each test builds one row of everything, counts the queries of the page, adds nine more rows of
everything and counts again. A list page's queries are: the session and the user, the user's
groups (visible_to), the intervention, then the page's own — the choices of each filter that
lists rows, a COUNT for the paginator and one SELECT of the rows, plus one per prefetched
many-to-many — the same at any size.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.kit.kept import forget_all
from interventions.models import Intervention, Theme
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
    StrategicAimFactory,
)


def grow(intervention: Intervention, user, n: int) -> None:
    """Add `n` rows to every list of the intervention (and `n` interventions the user sees)."""
    theme = Theme.objects.get(slug="culture")
    aim = StrategicAimFactory(intervention=intervention)
    direction_set = DirectionSetFactory(intervention=intervention)
    for _ in range(n):
        person = PersonFactory(intervention=intervention)
        programme = ProgrammeFactory(aim=aim, lead_member=person)
        programme.themes.add(theme)
        MilestoneFactory(programme=programme)
        # The first programme's page grows too.
        MilestoneFactory(programme=intervention.programmes.order_by("number").first())
        direction = DirectionFactory(direction_set=direction_set)
        direction.themes.add(theme)
        direction.programmes.add(programme)
        DirectionFactory(direction_set=direction_set, parent=direction, ref="i")
        board = BoardFactory(intervention=intervention)
        BoardMembershipFactory(board=board)
        MeetingFactory(board=board)
        RecommendationFactory(intervention=intervention, owner=person)
        AppointmentFactory(person=person)
        PersonFactory(intervention=InterventionFactory(), user=user)


def count_queries(client, url: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


LIST_PAGES = [
    ("interventions:intervention_list", False),
    ("interventions:intervention_detail", True),
    ("directions:direction_list", True),
    ("interventions:programme_list", True),
    ("interventions:milestone_list", True),
    ("boards:board_list", True),
    ("boards:recommendation_list", True),
]


@pytest.mark.parametrize(("name", "scoped"), LIST_PAGES)
def test_list_pages_make_the_same_queries_at_ten_times_the_rows(
    client, intervention, officer, name, scoped
):
    client.force_login(officer)
    url = reverse(name, kwargs={"slug": intervention.slug} if scoped else {})
    grow(intervention, officer, 1)
    count_queries(client, url)  # warm up: content types, the session's first save

    once = count_queries(client, url)
    grow(intervention, officer, 9)
    ten_times = count_queries(client, url)

    assert ten_times == once, f"{name}: {once} queries with 1 row, {ten_times} with 10"


def test_the_programme_page_makes_the_same_queries_at_ten_times_the_milestones(
    client, intervention, officer
):
    client.force_login(officer)
    grow(intervention, officer, 1)
    programme = intervention.programmes.order_by("number").first()
    url = programme.get_absolute_url()
    count_queries(client, url)

    once = count_queries(client, url)
    grow(intervention, officer, 9)
    ten_times = count_queries(client, url)

    assert programme.milestones.count() == 11  # 2 at first
    assert ten_times == once


def test_the_milestone_list_makes_few_queries(client, intervention, officer):
    """Session, user, groups (read once, for every rule), intervention, COUNT, the data's
    version and the header's count of their inbox (one query of subqueries), programme
    choices, rows."""
    client.force_login(officer)
    grow(intervention, officer, 3)
    url = reverse("interventions:milestone_list", kwargs={"slug": intervention.slug})
    count_queries(client, url)

    assert count_queries(client, url) == 9


def test_the_bulk_milestone_update_makes_the_same_queries_at_ten_times_the_milestones(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    grow(intervention, improvement_team, 1)
    programme = intervention.programmes.order_by("number").first()
    url = reverse(
        "interventions:milestones_bulk_edit",
        kwargs={"slug": intervention.slug, "number": programme.number},
    )
    count_queries(client, url)

    once = count_queries(client, url)
    grow(intervention, improvement_team, 9)
    ten_times = count_queries(client, url)

    assert programme.milestones.count() == 11
    assert ten_times == once
