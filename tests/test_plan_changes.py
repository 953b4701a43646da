"""The plan changes shape through the pages: the improvement team adds, renumbers, moves, merges
and closes aims and programmes, each from the day it took effect and with its reason; reports
as of a day before a change show the plan as it was."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.choices import WorkStatus
from interventions.dashboard.figures import rag_trend
from interventions.kit.kept import forget_all
from interventions.models import Milestone, Programme, StrategicAim
from interventions.updates import plan_changes
from reports import snapshot
from tests.factories import MilestoneFactory, ProgrammeFactory, StrategicAimFactory

pytestmark = pytest.mark.django_db

D = datetime.date
AGREED = D(2025, 4, 14)
RESTRUCTURE = D(2025, 11, 1)


def in_the_plan_since(obj, day: datetime.date) -> None:
    """Make every history record of a row say it took effect on `day` (as an import does)."""
    obj.history.all().update(valid_from=day)


def url(intervention, name: str) -> str:
    return reverse(f"interventions:{name}", kwargs={"slug": intervention.slug})


@pytest.fixture
def aims(intervention):
    aims = [
        StrategicAimFactory(intervention=intervention, number=n, title=f"Aim {n}")
        for n in (1, 2, 3)
    ]
    for aim in aims:
        in_the_plan_since(aim, AGREED)
    return aims


@pytest.fixture
def eleven(intervention, aims):
    """Tower Hamlets' first plan: eleven programmes under three aims, each with a milestone."""
    programmes = {}
    for number in range(1, 12):
        programme = ProgrammeFactory(
            intervention=intervention,
            aim=aims[(number - 1) // 4],
            number=number,
            title=f"Programme of old {number}",
        )
        milestone = MilestoneFactory(programme=programme, position=1, number=f"{number}.1")
        in_the_plan_since(programme, AGREED)
        in_the_plan_since(milestone, AGREED)
        programmes[number] = programme
    return programmes


def change(client, intervention, name: str, data: dict, confirm: bool = False):
    fields = {"effective_on": RESTRUCTURE.isoformat(), "reason": "TAB agreed, 21 Oct 2025"}
    fields.update(data)
    if confirm:
        fields["confirmed"] = "yes"
    return client.post(url(intervention, name), fields)


def snapshot_of(intervention, day: datetime.date) -> list[tuple[int, str]]:
    return [(p.number, p.title) for p in snapshot.take(intervention, day).programmes]


# ------------------------------------------------------------------------ who may change it

CHANGE_PAGES = [
    "plan_changes",
    "plan_add_aim",
    "plan_add_programme",
    "plan_renumber",
    "plan_move_programme",
    "plan_merge",
    "plan_close_programme",
    "plan_close_aim",
]


@pytest.mark.parametrize("name", CHANGE_PAGES)
@pytest.mark.parametrize("persona", ["improvement_team", "administrator"])
def test_the_improvement_team_and_administrators_may_open_each_change(
    client, request, intervention, eleven, persona, name
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(intervention, name)).status_code == 200


@pytest.mark.parametrize("name", CHANGE_PAGES)
@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_officers_envoys_and_board_members_are_refused(
    client, request, intervention, eleven, persona, name
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(url(intervention, name)).status_code == 403


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member", "stranger"])
def test_a_refused_post_changes_nothing(client, request, intervention, eleven, persona):
    client.force_login(request.getfixturevalue(persona))

    response = change(
        client, intervention, "plan_close_programme", {"programme": eleven[3].pk}, confirm=True
    )

    assert response.status_code == (404 if persona == "stranger" else 403)
    eleven[3].refresh_from_db()
    assert eleven[3].closed_on is None


def test_a_stranger_does_not_learn_the_page_exists(client, intervention, stranger):
    client.force_login(stranger)

    assert client.get(url(intervention, "plan_changes")).status_code == 404


def test_the_programme_list_links_to_changing_the_plan_for_the_improvement_team_only(
    client, intervention, eleven, improvement_team, officer
):
    link = url(intervention, "plan_changes")
    client.force_login(improvement_team)
    assert link in client.get(url(intervention, "programme_list")).content.decode()

    client.force_login(officer)
    assert link not in client.get(url(intervention, "programme_list")).content.decode()


# ------------------------------------------------------------------------------ each change


def test_adding_an_aim(client, intervention, aims, improvement_team):
    client.force_login(improvement_team)

    response = change(
        client, intervention, "plan_add_aim", {"number": 4, "title": "A resilient council"}
    )

    assert response.status_code == 302
    aim = StrategicAim.objects.get(intervention=intervention, number=4)
    assert aim.opened_on == RESTRUCTURE
    record = aim.history.get()
    assert record.valid_from == RESTRUCTURE
    assert record.history_change_reason == "TAB agreed, 21 Oct 2025"
    assert record.history_user == improvement_team
    assert [a.number for a in snapshot.take(intervention, D(2025, 10, 31)).aims] == [1, 2, 3]
    assert [a.number for a in snapshot.take(intervention, RESTRUCTURE).aims] == [1, 2, 3, 4]


def test_adding_a_programme(client, intervention, eleven, aims, improvement_team):
    client.force_login(improvement_team)

    response = change(
        client,
        intervention,
        "plan_add_programme",
        {"aim": aims[1].pk, "number": 12, "title": "Housing improvement"},
    )

    assert response.status_code == 302
    programme = Programme.objects.get(intervention=intervention, number=12)
    assert (programme.aim, programme.opened_on) == (aims[1], RESTRUCTURE)
    assert len(snapshot_of(intervention, D(2025, 10, 31))) == 11
    assert (12, "Housing improvement") in snapshot_of(intervention, RESTRUCTURE)


def test_a_number_already_taken_is_refused_and_nothing_changes(
    client, intervention, eleven, aims, improvement_team
):
    client.force_login(improvement_team)

    response = change(
        client,
        intervention,
        "plan_add_programme",
        {"aim": aims[1].pk, "number": 3, "title": "Housing improvement"},
    )

    assert response.status_code == 200
    assert "Programme number 3 is already taken" in response.content.decode()
    assert "There is a problem" in response.content.decode()
    assert Programme.objects.filter(intervention=intervention).count() == 11


def test_moving_a_programme_to_another_aim(client, intervention, eleven, aims, improvement_team):
    client.force_login(improvement_team)

    response = change(
        client,
        intervention,
        "plan_move_programme",
        {"programme": eleven[1].pk, "aim": aims[2].pk},
    )

    assert response.status_code == 302
    eleven[1].refresh_from_db()
    assert eleven[1].aim == aims[2]
    before = snapshot.take(intervention, D(2025, 10, 31)).programme(eleven[1].pk)
    after = snapshot.take(intervention, RESTRUCTURE).programme(eleven[1].pk)
    assert (before.aim_id, after.aim_id) == (aims[0].pk, aims[2].pk)


def test_closing_a_programme(client, intervention, eleven, improvement_team):
    client.force_login(improvement_team)

    response = change(client, intervention, "plan_close_programme", {"programme": eleven[11].pk})

    assert response.status_code == 302
    eleven[11].refresh_from_db()
    assert (eleven[11].closed_on, eleven[11].close_reason) == (
        RESTRUCTURE,
        "TAB agreed, 21 Oct 2025",
    )
    assert len(snapshot_of(intervention, D(2025, 10, 31))) == 11
    assert len(snapshot_of(intervention, RESTRUCTURE)) == 10
    # Its milestone goes with it from the report.
    milestones = snapshot.take(intervention, RESTRUCTURE).milestones
    assert eleven[11].pk not in {m.programme_id for m in milestones}


def test_closing_an_aim_waits_until_its_programmes_are_closed(
    client, intervention, eleven, aims, improvement_team
):
    client.force_login(improvement_team)

    refused = change(client, intervention, "plan_close_aim", {"aim": aims[2].pk})

    assert refused.status_code == 200
    assert "still has open programmes (9, 10, 11)" in refused.content.decode()
    aims[2].refresh_from_db()
    assert aims[2].closed_on is None

    for number in (9, 10, 11):
        plan_changes.close_programme(eleven[number], on=RESTRUCTURE, reason="Done")
    closed = change(client, intervention, "plan_close_aim", {"aim": aims[2].pk})

    assert closed.status_code == 302
    aims[2].refresh_from_db()
    assert aims[2].closed_on == RESTRUCTURE
    assert [a.number for a in snapshot.take(intervention, RESTRUCTURE).aims] == [1, 2]


def test_merging_asks_to_confirm_saying_exactly_what_will_happen(
    client, intervention, eleven, improvement_team
):
    client.force_login(improvement_team)

    response = change(
        client,
        intervention,
        "plan_merge",
        {"merged": [eleven[2].pk, eleven[3].pk], "into": eleven[1].pk, "milestones": "move"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Check what will happen" in page
    closes = "Programme 2 (Programme of old 2) closes on 1 November 2025"
    assert f"{closes}, merged into programme 1 (Programme of old 1)." in page
    assert "Its open milestones (2.1) move to programme 1, after its own." in page
    assert 'name="confirmed" value="yes"' in page
    eleven[2].refresh_from_db()
    assert eleven[2].closed_on is None  # nothing yet


def test_merging_moves_the_open_milestones(client, intervention, eleven, improvement_team):
    done = MilestoneFactory(programme=eleven[2], position=2, status=WorkStatus.COMPLETE)
    client.force_login(improvement_team)

    response = change(
        client,
        intervention,
        "plan_merge",
        {"merged": [eleven[2].pk, eleven[3].pk], "into": eleven[1].pk, "milestones": "move"},
        confirm=True,
    )

    assert response.status_code == 302
    for number in (2, 3):
        eleven[number].refresh_from_db()
        assert eleven[number].closed_on == RESTRUCTURE
        assert eleven[number].merged_into == eleven[1]
    moved = Milestone.objects.filter(programme=eleven[1]).order_by("position")
    assert [m.number for m in moved] == ["1.1", "2.1", "3.1"]
    assert list(Milestone.objects.filter(programme=eleven[2])) == [done]
    record = moved[1].history.first()
    assert record.valid_from == RESTRUCTURE
    assert record.history_change_reason.startswith("Moved to programme 1 when programme 2")
    # Before the merge, the report shows the milestone under its old programme.
    before = snapshot.take(intervention, D(2025, 10, 31))
    assert next(m for m in before.milestones if m.id == moved[1].pk).programme_id == eleven[2].pk


def test_merging_may_close_the_open_milestones_instead(
    client, intervention, eleven, improvement_team
):
    client.force_login(improvement_team)

    change(
        client,
        intervention,
        "plan_merge",
        {"merged": [eleven[2].pk], "into": eleven[1].pk, "milestones": "close"},
        confirm=True,
    )

    milestone = eleven[2].milestones.get()
    assert (milestone.status, milestone.actual_end) == (WorkStatus.CANCELLED, RESTRUCTURE)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"merged": ["into"], "into": "into"}, "cannot be merged into itself"),
        ({"merged": ["closed"], "into": "into"}, "Select a valid choice"),
        ({"merged": ["one"], "into": "closed"}, "Select a valid choice"),
        (
            {"merged": ["one"], "into": "into", "effective_on": "2999-01-01"},
            "cannot be in the future",
        ),
        (
            {"merged": ["late"], "into": "into", "effective_on": "2025-10-01"},
            "opened on 1 December 2025",
        ),
    ],
)
def test_a_bad_merge_is_refused_with_its_reason_and_changes_nothing(
    client, intervention, eleven, improvement_team, data, error
):
    plan_changes.close_programme(eleven[9], on=D(2025, 9, 1), reason="Stopped")
    late = plan_changes.add_programme(
        eleven[1].aim, number=12, title="Late", purpose="", on=D(2025, 12, 1), reason="New"
    )
    rows = {"into": eleven[1], "one": eleven[2], "closed": eleven[9], "late": late}
    fields = {
        "merged": [rows[name].pk for name in data["merged"]],
        "into": rows[data["into"]].pk,
        "milestones": "move",
    }
    if "effective_on" in data:
        fields["effective_on"] = data["effective_on"]
    client.force_login(improvement_team)
    before = {p.pk: (p.number, p.closed_on, p.version) for p in Programme.objects.all()}
    milestones_before = set(Milestone.objects.values_list("pk", "programme_id", "status"))

    response = change(client, intervention, "plan_merge", fields, confirm=True)

    assert response.status_code == 200
    assert error in response.content.decode()
    assert {p.pk: (p.number, p.closed_on, p.version) for p in Programme.objects.all()} == before
    assert set(Milestone.objects.values_list("pk", "programme_id", "status")) == milestones_before


def test_a_reason_is_needed(client, intervention, eleven, improvement_team):
    client.force_login(improvement_team)

    response = change(
        client, intervention, "plan_close_programme", {"programme": eleven[4].pk, "reason": " "}
    )

    assert response.status_code == 200
    eleven[4].refresh_from_db()
    assert eleven[4].closed_on is None


def test_the_date_defaults_to_today(client, intervention, eleven, improvement_team):
    client.force_login(improvement_team)

    page = client.get(url(intervention, "plan_close_programme")).content.decode()

    assert f'value="{timezone.localdate().isoformat()}"' in page
    assert "When did this take effect?" in page


# ----------------------------------------------------------------------------- renumbering


def test_renumbering_swaps_numbers_in_one_change(client, intervention, eleven, improvement_team):
    client.force_login(improvement_team)
    numbers = {f"number_{p.pk}": p.number for p in eleven.values()}
    numbers[f"number_{eleven[1].pk}"] = 2
    numbers[f"number_{eleven[2].pk}"] = 1

    confirm = change(client, intervention, "plan_renumber", numbers)
    assert "Programme 1 (Programme of old 1) becomes programme 2." in confirm.content.decode()
    response = change(client, intervention, "plan_renumber", numbers, confirm=True)

    assert response.status_code == 302
    eleven[1].refresh_from_db()
    eleven[2].refresh_from_db()
    assert (eleven[1].number, eleven[2].number) == (2, 1)
    # No record of the numbers they held for a moment inside the change.
    assert sorted(eleven[1].history.values_list("number", flat=True)) == [1, 2]


def test_renumbering_two_programmes_to_one_number_is_refused(
    client, intervention, eleven, improvement_team
):
    client.force_login(improvement_team)
    numbers = {f"number_{p.pk}": p.number for p in eleven.values()}
    numbers[f"number_{eleven[1].pk}"] = 5

    response = change(client, intervention, "plan_renumber", numbers, confirm=True)

    assert response.status_code == 200
    assert "each programme needs its own number" in response.content.decode()
    eleven[1].refresh_from_db()
    assert eleven[1].number == 1


def test_tower_hamlets_eleven_programmes_become_four(
    client, intervention, eleven, improvement_team
):
    """November 2025: merges and a renumbering effective 1 Nov 2025, entered today."""
    client.force_login(improvement_team)
    survivors = {1: (2, 3), 4: (5, 6), 7: (8, 9), 10: (11,)}
    for into, merged in survivors.items():
        response = change(
            client,
            intervention,
            "plan_merge",
            {
                "merged": [eleven[n].pk for n in merged],
                "into": eleven[into].pk,
                "milestones": "move",
            },
            confirm=True,
        )
        assert response.status_code == 302
    numbers = {f"number_{eleven[old].pk}": new for new, old in enumerate(survivors, start=1)}

    confirm = change(client, intervention, "plan_renumber", numbers)
    page = confirm.content.decode()
    assert "Programme 4 (Programme of old 4) becomes programme 2." in page
    assert "Closed programme 2 (Programme of old 2) gives up its number and becomes" in page
    response = change(client, intervention, "plan_renumber", numbers, confirm=True)
    assert response.status_code == 302

    assert snapshot_of(intervention, D(2025, 10, 31)) == [
        (n, f"Programme of old {n}") for n in range(1, 12)
    ]
    assert snapshot_of(intervention, RESTRUCTURE) == [
        (1, "Programme of old 1"),
        (2, "Programme of old 4"),
        (3, "Programme of old 7"),
        (4, "Programme of old 10"),
    ]
    new = snapshot.take(intervention, RESTRUCTURE)
    assert {m.number for m in new.milestones_of(new.programmes[1])} == {"4.1", "5.1", "6.1"}
    old = snapshot.take(intervention, D(2025, 10, 31))
    assert len(old.milestones) == 11
    assert all(len(old.milestones_of(p)) == 1 for p in old.programmes)
    # The list shows the four; with the closed ones shown, all eleven.
    listed = client.get(url(intervention, "programme_list"))
    assert listed.context["table"].paginator.count == 4
    everything = client.get(url(intervention, "programme_list") + "?closed=true")
    assert everything.context["table"].paginator.count == 11
    assert "Merged into" not in listed.content.decode()
    assert "Merged into" in everything.content.decode()
    assert "1 Nov 2025" in everything.content.decode()


def test_an_old_number_leads_to_the_programme_that_had_it(
    client, intervention, eleven, improvement_team
):
    plan_changes.merge_programmes(
        [eleven[2]], eleven[1], milestones="move", on=RESTRUCTURE, reason="Merged"
    )
    plan_changes.close_programme(eleven[5], on=RESTRUCTURE, reason="Stopped")
    plan_changes.renumber(intervention, {eleven[11].pk: 5}, on=RESTRUCTURE, reason="Tidy")
    client.force_login(improvement_team)
    old = reverse(
        "interventions:programme_detail", kwargs={"slug": intervention.slug, "number": 11}
    )

    response = client.get(old, follow=True)

    assert response.redirect_chain[0][0] == eleven[11].get_absolute_url().replace("/11/", "/5/")
    assert "Programme 11 was renumbered: it is now programme 5." in response.content.decode()
    missing = reverse(
        "interventions:programme_detail", kwargs={"slug": intervention.slug, "number": 99}
    )
    assert client.get(missing).status_code == 404


def test_a_merged_programme_says_where_its_work_went(
    client, intervention, eleven, improvement_team
):
    plan_changes.merge_programmes(
        [eleven[2]],
        eleven[1],
        milestones="move",
        on=RESTRUCTURE,
        reason="Board agreed a smaller plan <b>",
    )
    client.force_login(improvement_team)

    page = client.get(eleven[2].get_absolute_url()).content.decode()

    assert (
        "Merged into programme 1 on 1 November 2025: Board agreed a smaller plan &lt;b&gt;" in page
    )
    assert eleven[1].get_absolute_url() in page
    # Its history reads as what happened.
    assert "Closed on set to 1 Nov 2025" in page
    assert "Merged into set to 1. Programme of old 1" in page
    assert "Merged into programme 1. Board agreed a smaller plan &lt;b&gt;" in page


def test_a_closed_programme_leaves_the_dashboard(client, intervention, eleven, improvement_team):
    plan_changes.close_programme(eleven[3], on=RESTRUCTURE, reason="Stopped")
    client.force_login(improvement_team)

    response = client.get(intervention.get_absolute_url())

    assert response.context["programme_total"] == 10


def test_open_on_leaves_out_what_had_closed_or_not_yet_opened(intervention, eleven):
    plan_changes.close_programme(eleven[3], on=RESTRUCTURE, reason="Stopped")
    later = plan_changes.add_programme(
        eleven[1].aim, number=12, title="Later", purpose="", on=D(2025, 12, 1), reason="New"
    )
    programmes = Programme.objects.filter(intervention=intervention)

    assert eleven[3] in programmes.open_on(D(2025, 10, 31))
    assert eleven[3] not in programmes.open_on(RESTRUCTURE)
    assert later not in programmes.open_on(D(2025, 11, 30))
    assert later in programmes.open_on(D(2025, 12, 1))


# ---------------------------------------------------------------------------- query counts


def _programme_list_queries(client, intervention, query: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(intervention, "programme_list") + query)
    assert response.status_code == 200
    return len(context.captured_queries)


def _grow(intervention, aim, n: int) -> None:
    for _ in range(n):
        open_one = ProgrammeFactory(intervention=intervention, aim=aim)
        MilestoneFactory(programme=open_one)
        closed = ProgrammeFactory(intervention=intervention, aim=aim)
        plan_changes.merge_programmes(
            [closed], open_one, milestones="move", on=RESTRUCTURE, reason="Merged"
        )


@pytest.mark.parametrize("shown", ["", "?closed=true"])
def test_the_programme_list_makes_the_same_queries_at_ten_times_the_programmes(
    client, intervention, aims, improvement_team, shown
):
    client.force_login(improvement_team)
    _grow(intervention, aims[0], 1)
    _programme_list_queries(client, intervention, shown)  # warm up

    once = _programme_list_queries(client, intervention, shown)
    _grow(intervention, aims[0], 9)
    ten_times = _programme_list_queries(client, intervention, shown)

    assert ten_times == once


def test_the_rag_trend_stops_counting_a_programme_once_it_closes(intervention, eleven):
    plan_changes.close_programme(eleven[3], on=timezone.localdate(), reason="Stopped")

    chart = rag_trend(intervention, timezone.localdate())

    assert sum(chart.values[-1]) == 10
