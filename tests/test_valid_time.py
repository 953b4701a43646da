"""Two times for every fact: the day it happened and the day it was recorded.

"As of a day" shows what was true that day as now known (a fact entered late counts from the
day it happened; an imported fact from its own date, never from the beginning of time); "as
known on a day" shows only what had been recorded by then (the audit view)."""

import datetime
import importlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from boards.choices import MeetingStatus, RecommendationStatus
from interventions.choices import RAG, WorkStatus
from interventions.dates.periods import ReportingPeriod
from interventions.deadlines.engine import State, deadlines_for
from interventions.models import Intervention, Milestone, Programme
from interventions.models.base import set_effective_date
from interventions.models.valid_time import recorded_late, records_as_of
from interventions.work.items import save_period_update
from reports import snapshot
from tests.factories import (
    BoardFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DATA = Path(__file__).resolve().parent.parent / "data"


def in_the_plan_since(obj, day: datetime.date) -> None:
    """Make every history record of a row say it took effect on `day` (as an import does)."""
    obj.history.all().update(valid_from=day)


@pytest.fixture
def programme(intervention):
    programme = ProgrammeFactory(
        intervention=intervention, aim=StrategicAimFactory(intervention=intervention), rag="green"
    )
    in_the_plan_since(programme, D(2025, 1, 31))
    return programme


@pytest.fixture
def milestone(programme):
    milestone = MilestoneFactory(
        programme=programme, end_as_written="May 2025", status=WorkStatus.IN_PROGRESS
    )
    in_the_plan_since(milestone, D(2025, 1, 31))
    return milestone


def rag_on(intervention, day, **known):
    return {p.id: p.rag for p in snapshot.take(intervention, day, **known).programmes}


# ------------------------------------------------------------------------------ the rule


def test_a_change_entered_late_counts_from_the_day_it_happened(intervention, programme):
    # Entered through the pages in January 2025, when it happened.
    programme.history.update(
        valid_from=None,
        history_date=datetime.datetime(2025, 1, 31, 12, tzinfo=datetime.UTC),
    )
    programme.rag = RAG.RED
    set_effective_date(programme, D(2025, 4, 1))
    programme.save()  # recorded today

    assert rag_on(intervention, D(2025, 3, 31)) == {programme.id: RAG.GREEN}
    assert rag_on(intervention, D(2025, 5, 1)) == {programme.id: RAG.RED}
    # As the record stood on 1 May 2025, nobody had entered it yet.
    assert rag_on(intervention, D(2025, 5, 1), known_on=D(2025, 5, 1)) == {programme.id: RAG.GREEN}
    record = programme.history.latest("history_id")
    assert record.valid_from == D(2025, 4, 1)
    assert recorded_late(record) == timezone.localdate()


def test_a_change_made_today_is_not_true_of_a_past_day(intervention, programme):
    programme.rag = RAG.AMBER
    programme.save()

    assert programme.history.latest("history_id").valid_from is None
    assert rag_on(intervention, D(2025, 6, 1)) == {programme.id: RAG.GREEN}
    assert rag_on(intervention, timezone.localdate()) == {programme.id: RAG.AMBER}


def test_a_later_correction_replaces_what_was_recorded_before_it(intervention, programme):
    programme.rag = RAG.RED
    set_effective_date(programme, D(2025, 3, 1))
    programme.save()
    programme.rag = RAG.AMBER  # "it was Amber, not Red, from February"
    set_effective_date(programme, D(2025, 2, 1))
    programme.save()

    assert rag_on(intervention, D(2025, 1, 31)) == {programme.id: RAG.GREEN}
    assert rag_on(intervention, D(2025, 2, 15)) == {programme.id: RAG.AMBER}
    # The correction is the latest word from February on, and agrees with the row today.
    assert rag_on(intervention, D(2025, 3, 15)) == {programme.id: RAG.AMBER}
    assert Programme.objects.get(pk=programme.pk).rag == RAG.AMBER


def test_a_row_added_today_was_not_there_on_a_past_day(intervention, programme):
    later = ProgrammeFactory(intervention=intervention, aim=programme.aim)

    assert later.id not in rag_on(intervention, D(2025, 6, 1))
    assert later.id in rag_on(intervention, timezone.localdate())


# ------------------------------------------------------------------- facts with own dates


def test_a_milestone_is_complete_only_from_its_actual_end(intervention, milestone):
    milestone.status = WorkStatus.COMPLETE
    milestone.actual_end = D(2025, 5, 31)
    milestone.percent_complete = 100
    milestone.save()  # recorded today; finishing takes effect on the actual end

    def status_on(day):
        return {m.id: m.status for m in snapshot.take(intervention, day).milestones}[milestone.id]

    assert status_on(D(2025, 5, 30)) == WorkStatus.IN_PROGRESS
    assert status_on(D(2025, 5, 31)) == WorkStatus.COMPLETE


def test_a_meeting_recorded_after_it_was_held_is_in_a_report_as_of_its_date(intervention):
    board = BoardFactory(intervention=intervention)
    in_the_plan_since(board, D(2025, 1, 22))
    meeting = MeetingFactory(board=board, date=D(2025, 4, 14), status=MeetingStatus.HELD)

    def meetings_on(day):
        return {m.id: m.status for m in snapshot.take(intervention, day).meetings}

    assert meetings_on(D(2025, 4, 13)) == {}
    assert meetings_on(D(2025, 4, 14)) == {meeting.id: MeetingStatus.HELD}


def test_a_meeting_scheduled_ahead_is_held_only_from_its_date(intervention):
    board = BoardFactory(intervention=intervention)
    meeting = MeetingFactory(board=board, date=timezone.localdate() + datetime.timedelta(days=20))
    record = meeting.history.latest("history_id")
    record.status = MeetingStatus.HELD  # a mistaken entry, or one made in advance

    stood = type(meeting).as_it_stood(record, timezone.localdate())

    assert stood.status == MeetingStatus.SCHEDULED


def test_a_response_counts_from_the_day_it_was_made(intervention):
    rec = RecommendationFactory(
        intervention=intervention,
        made_on=D(2025, 2, 1),
        response="Accepted in full.",
        responded_on=D(2025, 3, 1),
        status=RecommendationStatus.ACCEPTED,
    )

    def on(day):
        return {r.id: r for r in snapshot.take(intervention, day).recommendations}

    assert on(D(2025, 1, 31)) == {}
    assert on(D(2025, 2, 15))[rec.id].responded_on is None
    assert on(D(2025, 2, 15))[rec.id].status == RecommendationStatus.OPEN
    assert on(D(2025, 3, 1))[rec.id].response == "Accepted in full."


# ----------------------------------------------------------------------- the deadline engine


def occurrence(intervention, day, milestone, role="baseline"):
    return next(
        o for o in deadlines_for(intervention, day) if o.uid == f"milestone-{milestone.pk}-{role}"
    )


def test_rebaselining_today_does_not_change_where_a_past_day_stood(intervention, milestone):
    assert occurrence(intervention, D(2025, 6, 15), milestone).state == State.MISSED

    milestone.baseline_end = D(2027, 3, 31)
    milestone.save()  # today

    assert occurrence(intervention, D(2025, 6, 15), milestone).state == State.MISSED
    assert occurrence(intervention, D(2025, 6, 15), milestone).due == D(2025, 5, 31)
    assert occurrence(intervention, timezone.localdate(), milestone).due == D(2027, 3, 31)


def test_a_milestone_not_yet_in_the_plan_has_no_deadline_that_day(intervention, programme):
    later = MilestoneFactory(programme=programme, end_as_written="May 2025")

    uids = {o.uid for o in deadlines_for(intervention, D(2025, 6, 15))}

    assert f"milestone-{later.pk}-baseline" not in uids


# --------------------------------------------------------------------------------- the pages


def milestone_post(milestone, **changes):
    data = {
        "version": milestone.version,
        "status": "in_progress",
        "rag": "amber",
        "percent_complete": 40,
        "forecast_start": "",
        "forecast_end": "",
        "commentary": "",
        "next_steps": "",
        "reason": "",
        "effective_on": "",
    }
    data.update(changes)
    return data


def edit_url(milestone):
    return reverse(
        "interventions:milestone_edit",
        args=[milestone.programme.intervention.slug, milestone.pk],
    )


def test_completing_a_milestone_asks_when_it_happened(client, improvement_team, milestone):
    client.force_login(improvement_team)

    page = client.get(edit_url(milestone)).content.decode()
    response = client.post(
        edit_url(milestone),
        milestone_post(
            milestone, status="complete", percent_complete=100, effective_on="2025-05-28"
        ),
    )

    assert "When did this happen?" in page
    assert response.status_code == 302
    saved = Milestone.objects.get(pk=milestone.pk)
    assert saved.actual_end == D(2025, 5, 28)
    assert saved.history.latest("history_id").valid_from == D(2025, 5, 28)
    assert occurrence(milestone.programme.intervention, D(2025, 6, 15), saved).state == (
        State.MET_ON_TIME
    )


def test_a_date_in_the_future_is_refused_and_nothing_changes(client, improvement_team, milestone):
    client.force_login(improvement_team)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(
        edit_url(milestone), milestone_post(milestone, effective_on=tomorrow.isoformat())
    )

    assert response.status_code == 200
    assert "The date it happened cannot be in the future." in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).rag == milestone.rag


def test_the_quarters_update_dates_the_programmes_rag(improvement_team, programme):
    # The update for Q1 2025/26 (April to June), written long after the quarter.
    save_period_update(
        programme,
        ReportingPeriod(D(2025, 4, 1)),
        {"rag": "red", "status": "in_progress", "summary": "Recruitment paused."},
        by=improvement_team,
        expected_version=0,
    )

    programme.refresh_from_db()
    assert programme.rag == RAG.RED
    assert rag_on(programme.intervention, D(2025, 6, 30)) == {programme.id: RAG.RED}
    assert rag_on(programme.intervention, D(2025, 6, 29)) == {programme.id: RAG.GREEN}


def test_an_update_for_an_earlier_quarter_written_last_leaves_the_later_one_current(
    improvement_team, programme
):
    def write(start, rag):
        save_period_update(
            programme,
            ReportingPeriod(start),
            {"rag": rag, "status": "in_progress", "summary": "Progress."},
            by=improvement_team,
            expected_version=0,
        )

    write(D(2025, 7, 1), "amber")  # Q2, ends 30 September
    write(D(2025, 4, 1), "red")  # Q1, ends 30 June, written after Q2's

    programme.refresh_from_db()
    assert programme.rag == RAG.AMBER
    assert rag_on(programme.intervention, D(2025, 6, 1)) == {programme.id: RAG.GREEN}
    assert rag_on(programme.intervention, D(2025, 7, 15)) == {programme.id: RAG.RED}
    assert rag_on(programme.intervention, D(2025, 10, 1)) == {programme.id: RAG.AMBER}


# ----------------------------------------------------------------------------- an import


@pytest.fixture
def tower_hamlets(db):
    call_command("import_intervention", str(DATA / "tower-hamlets-2025.yaml"), verbosity=0)
    return Intervention.objects.get(slug="tower-hamlets-2025")


def test_imported_facts_are_true_from_their_own_dates(tower_hamlets):
    before = snapshot.take(tower_hamlets, D(2024, 12, 31))
    made = snapshot.take(tower_hamlets, D(2025, 1, 22))
    agreed = snapshot.take(tower_hamlets, D(2025, 4, 14))

    # Directions made on 22 January 2025; the plan agreed on 14 April 2025.
    assert before.directions == [] and before.plan is None and before.programmes == []
    assert len(made.top_level_directions()) == 15
    assert made.plan is None
    assert agreed.plan is not None and len(agreed.programmes) == 11
    # The people and the authority were there all along.
    assert before.authority_name == "London Borough of Tower Hamlets"
    assert before.people
    # A meeting counts from its date: the inaugural Board of 14 April 2025.
    dates = {m.date for m in agreed.meetings}
    assert D(2025, 4, 14) in dates
    assert D(2025, 5, 12) not in dates
    assert D(2025, 5, 12) in {m.date for m in snapshot.take(tower_hamlets, D(2025, 5, 12)).meetings}


def test_an_imported_fact_was_not_known_before_the_import(tower_hamlets):
    # The audit view: on 1 June 2025 nothing of this file had been recorded.
    known = snapshot.take(tower_hamlets, D(2025, 6, 1), known_on=D(2025, 6, 1))

    assert known.directions == [] and known.plan is None


def test_imported_deadlines_of_2025_are_not_upcoming_in_2024(tower_hamlets):
    assert not [o for o in deadlines_for(tower_hamlets, D(2024, 6, 1)) if o.source == "milestone"]


def test_records_are_read_in_one_query(django_assert_num_queries, intervention, programme):
    with django_assert_num_queries(1):
        records_as_of(Programme, D(2025, 6, 1), intervention_id=intervention.pk)


def test_the_migration_dates_earlier_imports_as_the_importer_does(tower_hamlets):
    from django.apps import apps

    migration = importlib.import_module("interventions.migrations.0009_date_imported_records")
    models = [m for m in apps.get_models() if m.__name__.startswith("Historical")]
    models = [m for m in models if any(f.name == "valid_from" for f in m._meta.fields)]
    # Kinds of row the file gained after the migration: no import before it could leave them
    # undated, and every import since dates them itself.
    models = [m for m in models if m.__name__ not in {"HistoricalExpectation"}]
    as_imported = {
        (m.__name__, r): d for m in models for r, d in m.objects.values_list("pk", "valid_from")
    }
    for model in models:
        model.objects.update(valid_from=None)  # as an import before this change left them

    migration.date_imported_records(apps, None)

    assert {
        (m.__name__, r): d for m in models for r, d in m.objects.values_list("pk", "valid_from")
    } == as_imported
    # Every row the file wrote is true from a day the papers give, none from the import's.
    assert len(as_imported) > 150 and None not in as_imported.values()


def test_what_changed_says_when_a_late_change_took_effect(client, improvement_team, programme):
    programme.rag = RAG.RED
    set_effective_date(programme, D(2025, 4, 1))
    programme.save()
    client.force_login(improvement_team)
    url = reverse("interventions:whats_changed", kwargs={"slug": programme.intervention.slug})

    page = client.get(url).content.decode()
    exported = client.get(f"{url}?_export=csv").content.decode("utf-8-sig").splitlines()

    assert "1 Apr 2025" in page
    assert exported[0].startswith("Recorded,With effect from,")
    assert "2025-04-01" in exported[1]


def test_a_meeting_entered_late_is_in_the_report_dated_the_meeting_day(intervention):
    from reports.models import Report
    from reports.pdf import render_html

    board = BoardFactory(intervention=intervention, name="Improvement Board")
    in_the_plan_since(board, D(2025, 1, 22))
    MeetingFactory(
        board=board, date=D(2025, 4, 14), status=MeetingStatus.HELD, title="Inaugural meeting"
    )  # entered today, long after the day
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="First report", as_of=D(2025, 4, 14)
    )

    html = render_html(report)

    assert "Inaugural meeting" in html
    assert f"Entered {timezone.localdate():%-d %b %Y}" in html
    assert "entered later is included" in html


def test_a_change_cannot_have_happened_before_the_row_existed(client, improvement_team, milestone):
    client.force_login(improvement_team)

    response = client.post(
        edit_url(milestone), milestone_post(milestone, effective_on="2025-01-01")
    )

    assert response.status_code == 200
    assert "cannot be before 31 January 2025" in response.content.decode()
    assert Milestone.objects.get(pk=milestone.pk).rag == milestone.rag
