"""The change log (interventions.history.change_log): written as changes are saved, rebuilt
from history by a command, and always in agreement with history; What changed, the Board's
page and My work make a fixed number of queries however much has changed."""

import datetime

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.history import change_log
from interventions.history.timeline import changes_in
from interventions.kit.kept import forget_all
from interventions.models import ChangeLog, Milestone
from tests.factories import BoardFactory, MeetingFactory, ProgrammeFactory, StrategicAimFactory
from tests.test_audit import edit, grow

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(intervention):
    return ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))


def test_every_history_record_is_logged_as_it_is_saved(intervention, officer, programme):
    grow(intervention, officer, programme, 2)

    assert ChangeLog.objects.count() >= 40
    assert change_log.differences() == []


def test_a_save_that_changes_nothing_a_reader_sees_is_logged_as_not_shown(
    intervention, officer, programme
):
    milestone = programme.milestones.create(title="Recruit a lead", position=1, number="1.1")
    edit(milestone, officer, rag="red", percent_complete=10)
    edit(milestone, officer)  # saved again with no change

    logged = ChangeLog.objects.filter(model="interventions.milestone").order_by("history_id")
    assert [(row.shown, row.kinds) for row in logged] == [
        (True, " new "),
        (True, " progress rag "),
        (False, ""),
    ]
    assert all(row.intervention_id == intervention.pk for row in logged)


def test_the_log_agrees_with_history_after_a_rebuild(intervention, officer, programme):
    grow(intervention, officer, programme, 2)
    before = sorted(ChangeLog.objects.values_list("model", "history_id", "shown", "kinds"))

    call_command("rebuild_change_log")

    assert sorted(ChangeLog.objects.values_list("model", "history_id", "shown", "kinds")) == before
    call_command("rebuild_change_log", "--check")


def test_the_check_says_where_the_log_is_wrong(intervention, officer, programme):
    grow(intervention, officer, programme, 1)
    ChangeLog.objects.filter(model="interventions.programme").update(kinds=" evidence ")
    ChangeLog.objects.filter(model="interventions.milestone").delete()

    found = change_log.differences(limit=1000)

    assert any("interventions.programme" in line and "logged" in line for line in found)
    assert any("interventions.milestone" in line and "not in the log" in line for line in found)
    with pytest.raises(CommandError, match="disagrees with history"):
        call_command("rebuild_change_log", "--check")


def test_history_written_without_signals_is_logged_by_sync(intervention, officer, programme):
    milestone = programme.milestones.create(title="Recruit a lead", position=1, number="1.1")
    today = timezone.localdate()
    Historical = Milestone.history.model
    values = {f.attname: getattr(milestone, f.attname) for f in Milestone._meta.concrete_fields}
    Historical.objects.bulk_create(  # as the benchmark's synthetic data is written
        [Historical(**{**values, "rag": "red"}, history_date=timezone.now(), history_type="~")]
    )

    def milestone_titles():
        changes = changes_in(intervention, today, today)
        return [e.title for e in changes if e.subject.startswith("Milestone")]

    assert milestone_titles() == ["Created"]

    assert change_log.sync() == 1

    assert milestone_titles() == ["RAG changed from Not started to Red", "Created"]
    assert change_log.differences() == []


# ------------------------------------------------------------------------ query counts


def count_queries(client, url: str) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(
    ("params", "expected"), [("", 37), ("?kind=rag", 20), ("?from_date=2020-01-01", 37)]
)
def test_what_changed_makes_a_fixed_number_of_queries(
    client, intervention, officer, programme, params, expected
):
    url = reverse("interventions:whats_changed", kwargs={"slug": intervention.slug}) + params
    client.force_login(officer)
    grow(intervention, officer, programme, 4)
    count_queries(client, url)  # warm up: content types, the session's first save
    small = count_queries(client, url)
    grow(intervention, officer, programme, 36)
    large = count_queries(client, url)

    # The session and user, the user's groups (once, for every rule), the intervention; the filter's
    # programmes, people and themes; the changes counted in the log, and the page of them;
    # then for each kind of record on the page (nine with every kind, fewer with RAG changes
    # only) its records with their users and the records before them, one per audited link
    # (a programme has two: its themes and its further sponsors), and one per related model
    # named; the header's count of what waits in My work; the data's version, which the page's
    # changes and the header's count are kept with (interventions.kit.kept; read once a
    # request). However long the history, the page reads 50.
    assert small == large == expected


def test_the_boards_page_makes_a_fixed_number_of_queries(client, intervention, officer, programme):
    board = BoardFactory(intervention=intervention, key="tab")
    MeetingFactory(board=board, date=timezone.localdate() - datetime.timedelta(days=40))
    client.force_login(officer)
    url = board.get_absolute_url()
    grow(intervention, officer, programme, 2)
    count_queries(client, url)
    small = count_queries(client, url)
    grow(intervention, officer, programme, 20)

    # The board's own queries, then the latest 20 changes since its last meeting from the log
    # and, per kind of record among them, the records, the records before them, links (a
    # programme's themes and further sponsors) and names; and the data's version, which those
    # changes and the header's count are kept with (interventions.kit.kept).
    assert small == count_queries(client, url) == 41
