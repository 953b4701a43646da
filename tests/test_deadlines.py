"""The deadline engine: date arithmetic, states, what meets each obligation, the real 2025
dates, the query count and the `deadlines` command."""

import calendar
import csv
import datetime
import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from directions.choices import DeadlineKind, DirectionStatus
from interventions.dates.fuzzy import add_months
from interventions.dates.schedules import occurrence_dates
from interventions.deadlines.engine import (
    Source,
    State,
    deadlines_for,
    next_due,
    state_of,
)
from interventions.kit.kept import forget_all
from interventions.models import Intervention, Milestone, Programme, Theme
from tests.deadline_factories import (
    IntervalVariationFactory,
    ReportFactory,
    ReportingDutyFactory,
    issued_at,
)
from tests.factories import (
    BoardFactory,
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

D = datetime.date
dates = st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31))
months = st.integers(min_value=-240, max_value=240)


# ------------------------------------------------------------------------- date arithmetic


@given(dates, months)
def test_adding_months_lands_in_the_right_month_and_keeps_the_day_where_it_can(day, n):
    result = add_months(day, n)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == n
    month_length = calendar.monthrange(result.year, result.month)[1]
    assert result.day == min(day.day, month_length)


@given(dates, dates, months)
def test_adding_months_keeps_the_order_of_dates(first, second, n):
    first, second = sorted((first, second))
    assert add_months(first, n) <= add_months(second, n)


@given(dates, st.integers(min_value=0, max_value=240), st.integers(min_value=1, max_value=60))
def test_adding_more_months_gives_a_later_date(day, n, more):
    assert add_months(day, n) < add_months(day, n + more)


@given(dates, st.integers(min_value=0, max_value=240))
def test_going_back_the_same_months_never_overshoots(day, n):
    assert add_months(add_months(day, n), -n) <= day


def test_month_ends_are_clamped_not_overflowed():
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 8, 31), 6) == D(2026, 2, 28)


variations = st.lists(
    st.tuples(dates, st.one_of(st.none(), st.integers(min_value=1, max_value=24))), max_size=4
)


@given(dates, st.one_of(st.none(), st.integers(min_value=1, max_value=24)), variations, dates)
def test_occurrences_are_strictly_increasing_and_stop_at_the_end(first, interval, varied, until):
    result = occurrence_dates(first, interval, varied, until)
    assert all(a < b for a, b in zip(result, result[1:], strict=False))
    assert all(day <= until for day in result)
    assert result[:1] == ([first] if first <= until else [])


@given(
    dates,
    st.integers(min_value=1, max_value=12),
    st.integers(min_value=1, max_value=2000),
    st.integers(min_value=1, max_value=12),
)
def test_a_variation_applies_from_its_date_on_and_never_before(first, interval, after, new):
    effective = first + datetime.timedelta(days=after)
    until = add_months(first, 120)
    result = occurrence_dates(first, interval, [(effective, new)], until)
    before = [day for day in result if day < effective]
    later = [day for day in result if day >= effective]
    assert before == occurrence_dates(first, interval, [], effective - datetime.timedelta(1))
    if later:
        anchor = before[-1]
        assert later[0] >= effective
        assert later == [
            add_months(anchor, k * new)
            for k in range(1, 400)
            if effective <= add_months(anchor, k * new) <= until
        ]


def test_a_duty_from_the_31st_does_not_drift_to_the_28th():
    result = occurrence_dates(D(2025, 1, 31), 1, [], D(2025, 5, 31))
    assert result == [
        D(2025, 1, 31),
        D(2025, 2, 28),
        D(2025, 3, 31),
        D(2025, 4, 30),
        D(2025, 5, 31),
    ]


def test_an_interval_not_yet_agreed_gives_only_the_first_until_one_is():
    first = D(2025, 5, 22)
    assert occurrence_dates(first, None, [], D(2026, 12, 31)) == [first]
    agreed = occurrence_dates(first, None, [(D(2025, 9, 1), 6)], D(2026, 12, 31))
    assert agreed == [first, D(2025, 11, 22), D(2026, 5, 22), D(2026, 11, 22)]


# ---------------------------------------------------------------------------------- states


@pytest.mark.parametrize(
    ("due", "satisfied_on", "state"),
    [
        (D(2025, 7, 22), None, State.UPCOMING),
        (D(2025, 6, 14), None, State.DUE_SOON),
        (D(2025, 6, 1), None, State.DUE_SOON),  # due today is not yet missed
        (D(2025, 5, 31), None, State.MISSED),
        (D(2025, 5, 31), D(2025, 5, 31), State.MET_ON_TIME),
        (D(2025, 5, 31), D(2025, 6, 1), State.MET_LATE),
        (D(2025, 5, 31), D(2025, 6, 2), State.MISSED),  # met after the as-of date: not yet
    ],
)
def test_the_state_is_as_it_stood_on_the_as_of_date(due, satisfied_on, state):
    assert state_of(due, D(2025, 6, 1), satisfied_on) == state


# ------------------------------------------------------------------------ real 2025 dates


@pytest.fixture
def tower_hamlets(db):
    call_command(
        "import_intervention", str(Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml")
    )
    return Intervention.objects.get(slug="tower-hamlets-2025")


def due_dates(items, reference):
    return [item.due for item in items if item.reference == reference]


def test_tower_hamlets_2025_gives_the_dates_of_the_directions(tower_hamlets):
    items = deadlines_for(tower_hamlets, D(2025, 6, 1))

    assert due_dates(items, "Direction b") == [D(2025, 2, 22)]
    for ref in "cde":
        assert due_dates(items, f"Direction {ref}") == [D(2025, 4, 22)]
    reports_to_the_secretary_of_state = due_dates(items, "Direction j")
    assert reports_to_the_secretary_of_state[0] == D(2025, 7, 22)
    # Every six months until the three-year period ends on 21 January 2028.
    assert reports_to_the_secretary_of_state == [
        D(2025, 7, 22),
        D(2026, 1, 22),
        D(2026, 7, 22),
        D(2027, 1, 22),
        D(2027, 7, 22),
    ]
    # The first quarterly report goes to the Board's June 2025 meeting (Envoys' report §1.11).
    assert due_dates(items, "Direction g")[:2] == [D(2025, 6, 30), D(2025, 9, 30)]
    assert due_dates(items, "Envoys' stocktake") == [D(2025, 5, 22)]
    assert all(item.due <= D(2028, 1, 21) for item in items)
    assert next_due(items, Source.REPORT).due == D(2025, 6, 30)  # g's first, at the June meeting
    assert next_due(items, Source.MEETING) is None  # no meeting after 12 May is recorded


def test_tower_hamlets_2025_reports_are_met_by_the_reports_issued(tower_hamlets):
    ReportFactory(
        intervention=tower_hamlets,
        kind="sos",
        title="First report to the Secretary of State",
        as_of=D(2025, 6, 30),
        finalised_at=issued_at(D(2025, 7, 15)),
    )
    ReportFactory(
        intervention=tower_hamlets,
        kind="stocktake",
        as_of=D(2025, 5, 21),
        finalised_at=issued_at(D(2025, 5, 21)),
    )

    items = {item.uid: item for item in deadlines_for(tower_hamlets, D(2025, 8, 1))}
    sos = next(i for i in items.values() if i.reference == "Direction j")
    stocktake = next(i for i in items.values() if i.reference == "Envoys' stocktake")

    assert (sos.state, sos.satisfied_on) == (State.MET_ON_TIME, D(2025, 7, 15))
    assert sos.satisfied_note == "First report to the Secretary of State"
    assert stocktake.state == State.MET_ON_TIME
    # On 10 July the report had not been issued yet.
    earlier = deadlines_for(tower_hamlets, D(2025, 7, 10))
    assert next(i for i in earlier if i.uid == sos.uid).state == State.DUE_SOON


# --------------------------------------------------------------------------------- sources


def sos_duty(intervention, **kwargs):
    direction = DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        deadline_kind=DeadlineKind.RECURRING,
        offset_months=None,
        interval_months=6,
        **kwargs,
    )
    return ReportingDutyFactory(
        intervention=intervention, report_kind="sos", direction=direction, first_due_months=None
    )


def test_a_report_meets_only_the_occurrence_whose_period_holds_its_as_of_date(db):
    intervention = InterventionFactory(directions_date=D(2025, 1, 22))
    sos_duty(intervention)
    # Issued late, for the first period (as of 30 June): the first is met late.
    ReportFactory(
        intervention=intervention, as_of=D(2025, 6, 30), finalised_at=issued_at(D(2025, 8, 5))
    )
    # A draft does not count.
    ReportFactory(intervention=intervention, as_of=D(2025, 12, 31), status="draft")

    first, second = deadlines_for(intervention, D(2026, 2, 1))[:2]

    assert (first.due, first.state, first.satisfied_on) == (
        D(2025, 7, 22),
        State.MET_LATE,
        D(2025, 8, 5),
    )
    assert (second.due, second.state) == (D(2026, 1, 22), State.MISSED)


def test_a_change_of_interval_changes_the_later_due_dates(db):
    intervention = InterventionFactory(directions_date=D(2025, 1, 22))
    duty = sos_duty(intervention)
    IntervalVariationFactory(
        direction=duty.direction, effective_from=D(2025, 9, 1), interval_months=3
    )

    due = [item.due for item in deadlines_for(intervention, D(2025, 6, 1))][:4]

    assert due == [D(2025, 7, 22), D(2025, 10, 22), D(2026, 1, 22), D(2026, 4, 22)]


def test_a_revoked_direction_stops_recurring_on_the_day_it_was_revoked(db):
    intervention = InterventionFactory(directions_date=D(2025, 1, 22))
    sos_duty(intervention, status=DirectionStatus.REVOKED, status_changed_on=D(2026, 3, 1))

    due = [item.due for item in deadlines_for(intervention, D(2025, 6, 1))]

    assert due == [D(2025, 7, 22), D(2026, 1, 22)]


def test_a_reporting_duty_stops_when_its_directions_set_is_superseded(db):
    intervention = InterventionFactory(directions_date=D(2025, 1, 22))
    duty = sos_duty(intervention)
    direction_set = duty.direction.direction_set
    direction_set.status, direction_set.status_changed_on = "superseded", D(2026, 3, 1)
    direction_set.save()

    items = deadlines_for(intervention, D(2026, 6, 1))

    # Due 22 Jul 2025 and 22 Jan 2026, both missed (no report was issued) and kept as missed;
    # nothing after the set stopped being in force on 1 Mar 2026.
    assert [(item.due, item.state) for item in items] == [
        (D(2025, 7, 22), State.MISSED),
        (D(2026, 1, 22), State.MISSED),
    ]


def test_a_stocktake_of_its_own_schedule_recurs_once_an_interval_is_agreed(db):
    intervention = InterventionFactory(directions_date=D(2025, 1, 22), duration_months=12)
    duty = ReportingDutyFactory(intervention=intervention, first_due_months=4)
    assert [i.due for i in deadlines_for(intervention, D(2025, 6, 1))] == [D(2025, 5, 22)]

    IntervalVariationFactory(duty=duty, effective_from=D(2025, 6, 1), interval_months=3)

    due = [i.due for i in deadlines_for(intervention, D(2025, 6, 1))]
    assert due == [D(2025, 5, 22), D(2025, 8, 22), D(2025, 11, 22)]


def test_milestone_ends_are_met_by_completion(db):
    intervention = InterventionFactory()
    sro = PersonFactory(intervention=intervention)
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention), sro=sro)
    programme.themes.add(Theme.objects.get(slug="culture"))
    milestone = MilestoneFactory(programme=programme, end_as_written="Sept 2025")
    milestone.forecast_end = D(2025, 10, 15)
    milestone.status = "complete"
    milestone.actual_end = D(2025, 10, 10)
    milestone.save()

    baseline, forecast = deadlines_for(intervention, D(2025, 11, 1))

    assert (baseline.due, baseline.state) == (D(2025, 9, 30), State.MET_LATE)
    assert (forecast.due, forecast.state) == (D(2025, 10, 15), State.MET_ON_TIME)
    assert baseline.responsible == sro
    assert [theme.slug for theme in baseline.themes] == ["culture"]
    assert baseline.source == Source.MILESTONE


def test_a_board_recommendation_is_met_when_its_response_is_published(db):
    intervention = InterventionFactory()
    owner = PersonFactory(intervention=intervention)
    RecommendationFactory(
        intervention=intervention,
        source="board",
        response_due=D(2025, 6, 30),
        responded_on=D(2025, 6, 20),
        published_on=D(2025, 7, 3),
        owner=owner,
    )

    (item,) = deadlines_for(intervention, D(2025, 8, 1))

    assert (item.state, item.satisfied_on, item.responsible) == (
        State.MET_LATE,
        D(2025, 7, 3),
        owner,
    )
    assert item.satisfied_by == "a response published"


def test_meetings_are_met_when_held_and_cancelled_ones_are_left_out(db):
    intervention = InterventionFactory()
    board = BoardFactory(intervention=intervention)
    MeetingFactory(board=board, date=D(2025, 4, 14), status="held")
    MeetingFactory(board=board, date=D(2025, 5, 12), status="scheduled")
    MeetingFactory(board=board, date=D(2025, 5, 19), status="cancelled")

    states = [(i.due, i.state) for i in deadlines_for(intervention, D(2025, 6, 1))]

    assert states == [(D(2025, 4, 14), State.MET_ON_TIME), (D(2025, 5, 12), State.MISSED)]


def test_a_direction_recorded_as_met_without_a_date_says_so_from_the_day_it_was_recorded(db):
    intervention = InterventionFactory()
    DirectionFactory(direction_set=DirectionSetFactory(intervention=intervention), compliance="met")
    today = timezone.localdate()

    (item,) = deadlines_for(intervention, today)
    # Recorded today: on an earlier day nobody had recorded it met, so it was missed then.
    (before,) = deadlines_for(intervention, D(2025, 6, 1))

    assert item.state == State.MET
    assert before.state == State.MISSED


def test_deadlines_are_only_the_interventions_own(db):
    intervention = InterventionFactory()
    other = InterventionFactory()
    MeetingFactory(board=BoardFactory(intervention=other))
    sos_duty(other)

    assert deadlines_for(intervention, D(2025, 6, 1)) == []


# ------------------------------------------------------------------------- query count


def grow(intervention, n):
    # At most one reporting duty of each kind; their reports and variations grow instead.
    if not intervention.reporting_duties.exists():
        for kind in ("board", "sos", "stocktake"):
            ReportingDutyFactory(intervention=intervention, report_kind=kind)
    duties = list(intervention.reporting_duties.all())
    aim = StrategicAimFactory(intervention=intervention)
    direction_set = DirectionSetFactory(intervention=intervention)
    theme = Theme.objects.get(slug="governance")
    for _ in range(n):
        person = PersonFactory(intervention=intervention)
        programme = ProgrammeFactory(aim=aim, sro=person)
        programme.themes.add(theme)
        milestone = MilestoneFactory(programme=programme)
        # In the plan since January 2025, so that the engine has it on 1 June 2025.
        milestone.history.update(valid_from=D(2025, 1, 1))
        direction = DirectionFactory(direction_set=direction_set)
        direction.themes.add(theme)
        recurring = DirectionFactory(
            direction_set=direction_set, deadline_kind="recurring", interval_months=3
        )
        IntervalVariationFactory(direction=recurring)
        MeetingFactory(board=BoardFactory(intervention=intervention))
        rec = RecommendationFactory(
            intervention=intervention, response_due=D(2025, 7, 1), owner=person
        )
        rec.programmes.add(programme)
        ReportFactory(intervention=intervention, kind="stocktake")
        for duty in duties:
            IntervalVariationFactory(duty=duty)


def count(intervention):
    """The engine's queries when it works the deadlines out (none kept from before)."""
    forget_all()
    with CaptureQueriesContext(connection) as context:
        deadlines_for(intervention, D(2025, 6, 1))
    return len(context.captured_queries)


def test_the_engine_makes_the_same_queries_at_ten_times_the_data(db):
    intervention = InterventionFactory()
    grow(intervention, 1)
    once = count(intervention)
    grow(intervention, 9)

    assert count(intervention) == once
    assert len(deadlines_for(intervention, D(2025, 6, 1))) > 10 * 4
    # Reporting duties and their variations; Directions, their themes and variations; issued
    # reports; milestones, their programmes (each read once, with its intervention and SRO), the
    # programmes' themes and the milestones' history (as they stood on 1 June 2025);
    # recommendations, their programmes and those programmes' themes; meetings. (Duties that
    # follow a Direction add two: that Direction's variations and themes.) And the version of
    # the data the answer is kept with (interventions.kit.kept).
    assert once == 15


def test_the_deadlines_are_kept_until_something_changes(db):
    intervention = InterventionFactory()
    grow(intervention, 1)
    first = deadlines_for(intervention)

    # Kept: the second reading only asks the data's version.
    with CaptureQueriesContext(connection) as context:
        again = deadlines_for(intervention)
    assert len(context.captured_queries) == 1
    assert again == first

    # A change saved through the ORM (a history record) gives a new version: worked out again.
    milestone = Milestone.objects.filter(programme__intervention=intervention).first()
    milestone.title = "Renamed milestone"
    milestone.save()
    renamed = deadlines_for(intervention)
    assert any(item.what.startswith("Renamed milestone") for item in renamed)
    assert not any(item.what.startswith("Renamed milestone") for item in first)


def test_a_link_changed_gives_a_new_version(db):
    """Themes are many-to-many links: adding one writes a history record of its own."""
    intervention = InterventionFactory()
    grow(intervention, 1)
    programme = Programme.objects.filter(intervention=intervention).first()
    before = [item.theme_names for item in deadlines_for(intervention)]
    programme.themes.add(Theme.objects.get(slug="culture"))
    after = [item.theme_names for item in deadlines_for(intervention)]
    assert after != before
    assert any("Culture" in names for names in after)


def test_a_change_rolled_back_leaves_no_kept_answer_behind(db):
    intervention = InterventionFactory()
    grow(intervention, 1)
    milestone = Milestone.objects.filter(programme__intervention=intervention).first()
    before = deadlines_for(intervention)

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        milestone.title = "Never saved"
        milestone.save()
        inside = deadlines_for(intervention)
        assert any(item.what.startswith("Never saved") for item in inside)
        raise Undo

    assert deadlines_for(intervention) == before


# ------------------------------------------------------------------------------ command


def run(*args):
    out = io.StringIO()
    call_command("deadlines", *args, stdout=out)
    return out.getvalue()


def test_the_command_lists_one_row_per_occurrence(tower_hamlets):
    text = run("tower-hamlets-2025", "--as-of", "2025-06-01")
    lines = text.splitlines()

    assert len(lines) == len(deadlines_for(tower_hamlets, D(2025, 6, 1)))
    assert any(line.startswith("2025-07-22") and "Direction j" in line for line in lines)


def test_the_command_says_c_d_and_e_were_met_on_14_april_2025_and_where_that_is_recorded(
    tower_hamlets,
):
    lines = run("tower-hamlets-2025", "--as-of", "2025-06-01").splitlines()

    for ref in "cde":
        (line,) = [line for line in lines if f"Direction {ref} " in line]
        assert line.startswith("2025-04-22  Met on time")
        assert "(met 2025-04-14)" in line
        assert "Envoys' first stocktake report, 21 May 2025, §1.9" in line


def test_the_command_says_gs_first_report_is_due_at_the_june_2025_meeting(tower_hamlets):
    lines = run("tower-hamlets-2025", "--as-of", "2025-06-01").splitlines()

    first = next(line for line in lines if "Direction g" in line)
    assert first.startswith("2025-06-30  Upcoming")
    assert "§1.11" in first and "June 2025 meeting" in first
    # No report of g is missed in April any more.
    assert not any("Direction g" in line and "Missed" in line for line in lines)


def test_the_command_shows_an_undated_met_direction_as_missed_before_it_was_recorded(
    tower_hamlets,
):
    # Direction b is recorded met with no date (the seeds do not give the day the recruitment
    # began): as of 1 June 2025 nobody had recorded it in Stocktake yet.
    lines = run("tower-hamlets-2025", "--as-of", "2025-06-01").splitlines()
    today = run("tower-hamlets-2025").splitlines()

    assert any(line.startswith("2025-02-22  Missed") and "Direction b" in line for line in lines)
    assert any(
        line.startswith("2025-02-22")
        and "Direction b" in line
        and "Met (date not recorded)" in line
        for line in today
    )


def test_the_command_writes_csv(tower_hamlets):
    rows = list(
        csv.reader(
            io.StringIO(run("tower-hamlets-2025", "--as-of", "2025-06-01", "--format", "csv"))
        )
    )

    assert rows[0][:5] == ["Due", "What", "Kind", "Source", "State"]
    assert rows[0][-1] == "Rests on"
    (cultural_change,) = [row for row in rows if row[3] == "Direction c"]
    assert cultural_change[5] == "2025-04-14"
    assert "§1.9" in cultural_change[-1]
    sos = [row for row in rows if row[3] == "Direction j"]
    assert sos[0][0] == "2025-07-22"
    assert sos[0][4] == "Upcoming"


def test_the_command_refuses_an_unknown_slug_and_a_bad_date(tower_hamlets):
    with pytest.raises(CommandError, match="No intervention with the slug 'nope'"):
        run("nope")
    with pytest.raises(CommandError, match="not a date: expected YYYY-MM-DD"):
        run("tower-hamlets-2025", "--as-of", "22/07/2025")


# ------------------------------------------------------------ reporting duties in the format


def test_reporting_duties_go_out_and_come_back_with_the_intervention(tower_hamlets):
    from interventions.interchange.exporter import export_intervention

    exported = yaml.safe_load(export_intervention(tower_hamlets))

    duties = {duty["report"]: duty for duty in exported["reporting_duties"]}
    assert duties["sos"]["direction"] == "2025-directions/j"
    assert duties["board"]["direction"] == "2025-directions/g"
    assert duties["stocktake"]["first_due_months"] == 4
    assert duties["stocktake"].get("interval_months") is None


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            {"direction": "2025-directions/b"},
            "reporting_duties[0].direction: expected `SET/REF` of a Direction with a recurring "
            "deadline",
        ),
        (
            {"direction": "2025-directions/j", "first_due_months": 4},
            "a duty that follows a Direction takes its schedule from it",
        ),
        ({"direction": "", "first_due_months": None}, "a duty without a direction needs"),
    ],
)
def test_a_reporting_duty_without_a_clear_schedule_is_refused(db, tmp_path, change, problem):
    from tests.test_interchange import (
        assert_nothing_written,
        bad_file,
        import_refused,
        the_2025_file,
    )

    document = the_2025_file()
    document["reporting_duties"][0].update(change)

    message = import_refused(bad_file(tmp_path, document))

    assert problem in message
    assert_nothing_written()
