"""Answers kept until the data changes (interventions.kit.kept): each page that shows a kept
answer shows a change saved after it was kept, on the very next reading, in an Envoys
intervention and in a Commissioners one."""

import datetime

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.history import change_log
from interventions.kit.kept import Kept
from interventions.models import DataVersion, Milestone, Programme
from interventions.models.data_version import current_version, new_version
from tests.factories import BoardFactory, MeetingFactory, ProgrammeFactory, StrategicAimFactory
from tests.test_audit import edit

pytestmark = pytest.mark.django_db


@pytest.fixture(params=["envoys", "commissioners"])
def place(request):
    """An intervention of each model, the improvement team's user in it, and a programme."""
    if request.param == "envoys":
        intervention = request.getfixturevalue("intervention")
        programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
        return intervention, request.getfixturevalue("improvement_team"), programme
    commissioners = request.getfixturevalue("commissioners")
    user = request.getfixturevalue("commissioner_personas")["improvement_team"]
    programme = Programme.objects.filter(intervention=commissioners).order_by("number").first()
    return commissioners, user, programme


def page(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.text


def test_what_changed_lists_a_change_saved_after_it_was_read(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = reverse("interventions:whats_changed", kwargs={"slug": intervention.slug})
    assert "A reason given after the page was read" not in page(client, address)
    page(client, address)  # read again: now kept

    edit(programme, user, "A reason given after the page was read", rag="red")

    assert "A reason given after the page was read" in page(client, address)


def test_the_history_section_shows_a_change_saved_after_it_was_read(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = programme.get_absolute_url()
    page(client, address)
    page(client, address)

    edit(programme, user, "A reason nobody gave before", rag="red")

    assert "A reason nobody gave before" in page(client, address)


def test_the_boards_page_shows_a_change_saved_after_it_was_read(client, place):
    intervention, user, programme = place
    board = BoardFactory(intervention=intervention, key="kept-test")
    MeetingFactory(board=board, date=timezone.localdate() - datetime.timedelta(days=40))
    client.force_login(user)
    address = board.get_absolute_url()
    page(client, address)
    page(client, address)

    edit(programme, user, "Renamed", title="Renamed since the meeting")

    assert "Renamed since the meeting" in page(client, address)


def test_the_home_page_shows_a_board_added_after_it_was_read(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = reverse("interventions:intervention_detail", kwargs={"slug": intervention.slug})
    page(client, address)
    page(client, address)

    BoardFactory(intervention=intervention, key="added-later", name="A board added later")

    assert "A board added later" in page(client, address)


def test_a_programmes_milestones_show_a_change_saved_after_they_were_read(client, place):
    intervention, user, programme = place
    milestone = Milestone.objects.create(
        programme=programme, title="Before the change", position=97, number="x.97"
    )
    client.force_login(user)
    address = programme.get_absolute_url()
    page(client, address)
    page(client, address)

    edit(milestone, user, "Renamed", title="After the change")

    text = page(client, address)
    assert "After the change" in text
    assert "Before the change" not in text


@pytest.mark.parametrize("name", ["interventions:milestone_list", "interventions:programme_list"])
def test_a_lists_rows_show_a_change_saved_after_they_were_read(client, place, name):
    intervention, user, programme = place
    milestone = Milestone.objects.create(
        programme=programme, title="A milestone before", position=96, number="x.96"
    )
    client.force_login(user)
    address = reverse(name, kwargs={"slug": intervention.slug}) + "?page=1"
    page(client, address)
    page(client, address)

    edit(milestone, user, "Renamed", title="A milestone after")
    edit(programme, user, "Renamed", title="A programme after")

    text = page(client, address)
    after = "A milestone after" if name.endswith("milestone_list") else "A programme after"
    assert after in text


def test_the_deadline_list_shows_a_milestone_added_after_it_was_read(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = reverse("interventions:deadline_list", kwargs={"slug": intervention.slug})
    page(client, address)
    page(client, address)

    Milestone.objects.create(
        programme=programme,
        title="Added after the list was read",
        position=99,
        number=f"{programme.number}.99",
        baseline_end=timezone.localdate() + datetime.timedelta(days=30),
    )

    assert "Added after the list was read" in page(client, address)


def test_my_work_shows_a_milestone_falling_due_after_it_was_read(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = reverse("interventions:my_work")
    page(client, address)
    page(client, address)

    Milestone.objects.create(
        programme=programme,
        title="Fell due after My work was read",
        position=98,
        number=f"{programme.number}.98",
        baseline_end=timezone.localdate() - datetime.timedelta(days=3),
    )

    assert "Fell due after My work was read" in page(client, address)


def test_a_kept_page_reads_only_the_version(client, place):
    intervention, user, programme = place
    client.force_login(user)
    address = reverse("interventions:deadline_list", kwargs={"slug": intervention.slug})
    page(client, address)
    with CaptureQueriesContext(connection) as cold:
        new_version()
        page(client, address)
    with CaptureQueriesContext(connection) as kept:
        page(client, address)

    # The deadlines are worked out again after a new version (their sources read), and only
    # the version is read while it stays the same.
    def sources_read(context) -> bool:
        return any('"boards_meeting"' in query["sql"] for query in context.captured_queries)

    assert sources_read(cold)
    assert not sources_read(kept)
    assert len(kept.captured_queries) < len(cold.captured_queries)


def test_history_written_without_signals_gives_a_new_version(intervention, officer):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    before = current_version()
    Historical = Programme.history.model
    values = {f.attname: getattr(programme, f.attname) for f in Programme._meta.concrete_fields}
    Historical.objects.bulk_create(  # as the benchmark's synthetic data is written
        [Historical(**values, history_date=timezone.now(), history_type="~")]
    )
    assert current_version() == before  # no signal, no new version ...

    assert change_log.sync() == 1
    assert current_version() != before  # ... until the log is brought up to date


def test_rebuilding_the_change_log_gives_a_new_version(db):
    before = current_version()
    call_command("rebuild_change_log")
    assert current_version() != before


def test_migrate_gives_a_new_version(db):
    before = current_version()
    call_command("migrate", verbosity=0)
    assert current_version() != before


def test_the_version_row_is_made_again_if_it_is_missing(db):
    DataVersion.objects.all().delete()
    token = current_version()
    assert DataVersion.objects.get().token == token


def test_kept_answers_are_worked_out_again_for_a_new_version_and_the_oldest_dropped():
    kept = Kept(kept=2)
    worked: list[str] = []

    def work(name: str):
        def answer() -> str:
            worked.append(name)
            return name.upper()

        return answer

    assert kept.get("a", "v1", work("a")) == "A"
    assert kept.get("a", "v1", work("a")) == "A"
    assert worked == ["a"]
    assert kept.get("a", "v2", work("a")) == "A"
    assert worked == ["a", "a"]

    kept.get("b", "v2", work("b"))
    kept.get("c", "v2", work("c"))  # two kept: "a" was used least recently
    kept.get("a", "v2", work("a"))
    assert worked == ["a", "a", "b", "c", "a"]
