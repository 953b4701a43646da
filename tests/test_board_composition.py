"""A board's required membership (Direction a's list), checked against its members of the day,
and its cadence of meetings."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse

from boards.models import Board
from interventions.models import Theme
from tests.factories import (
    ActionFactory,
    BoardFactory,
    BoardMembershipFactory,
    BoardRequirementFactory,
    MeetingFactory,
    PersonFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


@pytest.fixture
def board(intervention):
    return BoardFactory(intervention=intervention, key="tab")


def test_a_requirement_for_two_opposition_councillors_counts_only_opposition_members(board):
    requirement = BoardRequirementFactory(
        board=board,
        description="At least two Opposition Councillors",
        role="councillor",
        opposition=True,
        minimum=2,
    )
    BoardMembershipFactory(board=board, role="councillor", opposition=True)
    BoardMembershipFactory(board=board, role="councillor", opposition=False)

    [check] = board.composition(D(2025, 6, 1))
    assert check.requirement == requirement
    assert not check.met
    assert check.shortfall == "1 more needed (1 of 2)"

    BoardMembershipFactory(board=board, role="councillor", opposition=True)
    [check] = board.composition(D(2025, 6, 1))
    assert check.met
    assert len(check.filled_by) == 2


def test_the_chair_must_hold_the_named_post(board):
    BoardRequirementFactory(board=board, role="chair", post="Mayor")
    chair = BoardMembershipFactory(board=board, role="chair", person__post="Chief Executive")

    assert not board.composition(D(2025, 6, 1))[0].met

    chair.person.post = "Mayor"
    chair.person.save()
    assert board.composition(D(2025, 6, 1))[0].met


def test_a_theme_lead_meets_only_the_requirement_for_their_theme(board):
    leadership, governance = (
        Theme.objects.get(slug="leadership"),
        Theme.objects.get(slug="governance"),
    )
    BoardRequirementFactory(board=board, role="theme_lead", theme=leadership, position=1)
    BoardRequirementFactory(board=board, role="theme_lead", theme=governance, position=2)
    BoardMembershipFactory(board=board, role="theme_lead", theme=leadership)

    met = [check.met for check in board.composition(D(2025, 6, 1))]
    assert met == [True, False]


def test_a_member_who_has_left_no_longer_fills_a_seat(board):
    BoardRequirementFactory(board=board, role="envoy")
    BoardMembershipFactory(board=board, role="envoy", ends_on=D(2025, 5, 31))

    assert board.composition(D(2025, 5, 31))[0].met
    assert not board.composition(D(2025, 6, 1))[0].met


def test_the_board_page_names_each_unmet_requirement(client, board, envoy):
    BoardRequirementFactory(board=board, role="chair", description="The Mayor as Chair")
    BoardRequirementFactory(board=board, role="envoy", description="The Ministerial Envoys")
    BoardMembershipFactory(board=board, role="envoy")
    client.force_login(envoy)

    page = client.get(board.get_absolute_url()).content.decode()

    assert "Not met: The Mayor as Chair." in page
    assert "Not met: The Mayor as Chair; " not in page


def test_the_tower_hamlets_board_meets_direction_a_as_the_envoys_reported():
    call_command(
        "import_intervention", str(Path(settings.BASE_DIR) / "data/tower-hamlets-2025.yaml")
    )
    board = Board.objects.get(key="tab", intervention__slug="tower-hamlets-2025")

    checks = board.composition(D(2025, 5, 21))

    assert [check.requirement.direction.reference for check in checks] == [
        "a.i",
        "a.ii",
        "a.iii",
        "a.iv",
        "a.v",
        "a.vi",
    ]
    assert all(check.met for check in checks)
    opposition = next(check for check in checks if check.requirement.opposition)
    assert sorted(m.person.name for m in opposition.filled_by) == [
        "Nathalie Bienfait",
        "Sirajul Islam",
    ]


# ----------------------------------------------------------------------------- cadence


def test_the_next_meeting_follows_the_latest_by_the_cadence(board):
    MeetingFactory(board=board, date=D(2025, 4, 14))
    MeetingFactory(board=board, date=D(2025, 5, 12))
    MeetingFactory(board=board, date=D(2025, 6, 30), status="cancelled")

    assert board.next_meeting_date() == D(2025, 6, 12)

    board.cadence_months = 3
    assert board.next_meeting_date() == D(2025, 8, 12)


def test_month_ends_are_kept_within_the_month(board):
    MeetingFactory(board=board, date=D(2025, 1, 31))

    assert board.next_meeting_date() == D(2025, 2, 28)


def test_without_a_cadence_or_a_meeting_there_is_no_suggested_date(board):
    assert board.next_meeting_date() is None
    board.cadence_months = None
    MeetingFactory(board=board, date=D(2025, 5, 12))
    assert board.next_meeting_date() is None


def test_scheduling_warns_once_the_cadence_is_due_for_review(client, board, improvement_team):
    board.cadence_review_on = D(2025, 9, 18)
    board.save()
    MeetingFactory(board=board, date=D(2025, 8, 18))
    client.force_login(improvement_team)
    url = reverse("boards:meeting_create", kwargs={"slug": board.intervention.slug, "key": "tab"})

    page = client.get(url).content.decode()
    assert "cadence was to be reviewed on 18 September 2025" in page
    assert 'value="2025-09-18"' in page

    board.cadence_review_on = D(2025, 12, 1)
    board.save()
    assert "cadence was to be reviewed" not in client.get(url).content.decode()


def test_a_second_meeting_on_the_same_day_is_refused(client, board, improvement_team):
    MeetingFactory(board=board, date=D(2025, 5, 12))
    client.force_login(improvement_team)
    url = reverse("boards:meeting_create", kwargs={"slug": board.intervention.slug, "key": "tab"})

    response = client.post(url, {"date": "2025-05-12", "kind": "formal"})

    assert response.status_code == 200
    assert "The board already has a meeting on that date" in response.content.decode()
    assert board.meetings.count() == 1


def test_open_actions_are_carried_to_the_next_meeting_until_done(client, board, envoy):
    may = MeetingFactory(board=board, date=D(2025, 5, 12))
    june = MeetingFactory(board=board, date=D(2025, 6, 12))
    ActionFactory(meeting=may, text="Circulate the member code of conduct")
    ActionFactory(meeting=may, text="Publish the scheme of work", status="done")
    client.force_login(envoy)

    page = client.get(june.get_absolute_url()).content.decode()

    assert "Circulate the member code of conduct" in page
    assert "Publish the scheme of work" not in page


def test_persons_not_on_the_board_do_not_fill_a_seat(board):
    BoardRequirementFactory(board=board, role="envoy")
    PersonFactory(intervention=board.intervention, post="Ministerial Envoy")

    assert not board.composition(D(2025, 6, 1))[0].met
