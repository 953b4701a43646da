"""Success measures: the RAG rule against target, readings counted from their own day, the
agreement, and the measures due a reading."""

import datetime

import pytest
from django.utils import timezone

from interventions.choices import MeasureAgreement, MeasureStanding
from interventions.measures import services
from interventions.models import Measure, MeasureReading
from interventions.models.base import set_effective_date
from interventions.models.measures import format_figure, period_start
from interventions.models.valid_time import records_as_of
from tests.factories import MeasureFactory, MeasureReadingFactory, PersonFactory, UserFactory

D = datetime.date


def rag(measure, on, *readings):
    return measure.standing_on(on, list(readings)).rag


class Reading:
    def __init__(self, taken_on, value):
        self.taken_on, self.value = taken_on, value


@pytest.fixture
def measure(db):
    # From 50% on 1 Apr 2025 to 90% by 1 Apr 2026: the trajectory is 70% on 1 Oct 2025 (or
    # near it: 183 of 365 days).
    return MeasureFactory(baseline_value=50, target_value=90)


def test_no_reading_on_or_before_the_day_is_no_reading(measure):
    assert rag(measure, D(2025, 9, 30), Reading(D(2025, 10, 1), 99)) == MeasureStanding.NO_READING


def test_a_reading_on_or_ahead_of_the_trajectory_is_green(measure):
    assert rag(measure, D(2025, 10, 1), Reading(D(2025, 10, 1), 71)) == MeasureStanding.ON_TRACK


def test_a_reading_a_little_behind_is_amber_and_further_behind_red(measure):
    # The planned change is 40 points: up to 4 behind the trajectory (about 70) is amber.
    assert (
        rag(measure, D(2025, 10, 1), Reading(D(2025, 10, 1), 67)) == MeasureStanding.SLIGHTLY_BEHIND
    )
    assert rag(measure, D(2025, 10, 1), Reading(D(2025, 10, 1), 65)) == MeasureStanding.OFF_TRACK


def test_the_latest_reading_by_the_day_decides(measure):
    early, late = Reading(D(2025, 5, 1), 40), Reading(D(2025, 11, 1), 80)
    assert rag(measure, D(2025, 10, 1), early, late) == MeasureStanding.OFF_TRACK
    assert rag(measure, D(2025, 12, 1), early, late) == MeasureStanding.ON_TRACK


def test_lower_is_better_measures_count_the_other_way(db):
    measure = MeasureFactory(direction="lower", baseline_value=30, target_value=10, unit="days")
    assert rag(measure, D(2026, 5, 1), Reading(D(2026, 5, 1), 9)) == MeasureStanding.ON_TRACK
    assert (
        rag(measure, D(2026, 5, 1), Reading(D(2026, 5, 1), 11)) == MeasureStanding.SLIGHTLY_BEHIND
    )
    assert rag(measure, D(2026, 5, 1), Reading(D(2026, 5, 1), 14)) == MeasureStanding.OFF_TRACK


def test_after_the_target_date_the_target_itself_is_the_bar(measure):
    standing = measure.standing_on(D(2026, 6, 1), [Reading(D(2026, 6, 1), 90)])
    assert standing.rag == MeasureStanding.ON_TRACK
    assert standing.gap == 0
    assert measure.standing_on(D(2026, 6, 1), [Reading(D(2026, 6, 1), 80)]).gap == 10


def test_a_target_to_hold_the_baseline_has_no_amber(db):
    measure = MeasureFactory(baseline_value=95, target_value=95)
    assert rag(measure, D(2025, 6, 1), Reading(D(2025, 6, 1), 95)) == MeasureStanding.ON_TRACK
    assert rag(measure, D(2025, 6, 1), Reading(D(2025, 6, 1), 94.9)) == MeasureStanding.OFF_TRACK


def test_figures_read_as_written():
    assert format_figure(87.5, "%") == "87.5%"
    assert format_figure(1204, "cases") == "1,204 cases"
    assert format_figure(3.0, "days") == "3 days"


@pytest.mark.parametrize(
    ("frequency", "on", "start"),
    [
        ("monthly", D(2025, 8, 15), D(2025, 8, 1)),
        ("quarterly", D(2025, 8, 15), D(2025, 7, 1)),
        ("quarterly", D(2026, 2, 1), D(2026, 1, 1)),
        ("six_monthly", D(2026, 2, 1), D(2025, 10, 1)),
        ("annually", D(2026, 2, 1), D(2025, 4, 1)),
        ("annually", D(2025, 4, 1), D(2025, 4, 1)),
    ],
)
def test_reporting_periods_run_with_the_financial_year(frequency, on, start):
    assert period_start(frequency, on) == start


def test_measures_due_a_reading_are_those_without_one_this_period(db):
    owner = PersonFactory(user=UserFactory())
    read = MeasureFactory(owner=owner, intervention=owner.intervention, frequency="quarterly")
    MeasureReadingFactory(measure=read, taken_on=D(2025, 7, 10))
    stale = MeasureFactory(owner=owner, intervention=owner.intervention, frequency="quarterly")
    MeasureReadingFactory(measure=stale, taken_on=D(2025, 6, 30))
    never = MeasureFactory(owner=owner, intervention=owner.intervention, frequency="monthly")
    not_mine = MeasureFactory(intervention=owner.intervention)
    on = D(2025, 8, 1)
    due = set(Measure.objects.due_reading(on, person=owner))
    assert due == {stale, never}
    assert set(Measure.objects.due_reading(on, user=owner.user)) == {stale, never}
    assert not_mine in Measure.objects.due_reading(on)
    # A reading after the day does not count for it.
    assert read in Measure.objects.due_reading(D(2025, 7, 5), person=owner)


def test_a_reading_entered_late_counts_from_its_own_day(measure):
    reading = MeasureReadingFactory(measure=measure, taken_on=D(2025, 5, 31), value=60)
    record = reading.history.get()
    assert record.valid_from == D(2025, 5, 31)
    assert [r.id for r in records_as_of(MeasureReading, D(2025, 5, 31))] == [reading.pk]
    assert records_as_of(MeasureReading, D(2025, 5, 30)) == []


def test_a_correction_counts_from_the_readings_day(measure):
    reading = MeasureReadingFactory(measure=measure, taken_on=D(2025, 5, 31), value=60)
    reading.value = 62
    reading.save()
    [record] = records_as_of(MeasureReading, D(2025, 6, 1))
    assert record.value == 62
    assert reading.history.latest("history_id").valid_from == D(2025, 5, 31)


def test_a_measure_exists_from_the_day_it_was_proposed(db):
    measure = MeasureFactory(proposed_on=D(2025, 3, 1))
    assert measure.history.get().valid_from == D(2025, 3, 1)


def test_a_measure_is_agreed_only_once_both_have_agreed_it(measure):
    envoy = PersonFactory(intervention=measure.intervention)
    services.agree_for_oversight(measure, envoy, D(2025, 6, 1))
    assert measure.agreement == MeasureAgreement.PROPOSED
    services.record_board_agreement(measure, D(2025, 7, 14), "14 July 2025 meeting, item 4")
    measure.refresh_from_db()
    assert measure.agreement == MeasureAgreement.AGREED
    assert measure.agreed_on == D(2025, 7, 14)
    assert measure.oversight_agreed_by == envoy
    assert measure.version == 3


def test_as_of_a_day_before_the_agreement_the_measure_was_proposed(measure):
    envoy = PersonFactory(intervention=measure.intervention)
    services.agree_for_oversight(measure, envoy, D(2025, 6, 1))
    services.record_board_agreement(measure, D(2025, 7, 14), "July meeting")
    today = timezone.localdate()
    [now] = records_as_of(Measure, today)
    assert now.agreement == MeasureAgreement.AGREED
    [before] = records_as_of(Measure, today)
    Measure.as_it_stood(before, D(2025, 7, 13))
    assert before.agreement == MeasureAgreement.PROPOSED
    assert before.oversight_agreed_on == D(2025, 6, 1)


def test_a_target_must_come_after_its_baseline(db):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        measure = MeasureFactory.build(
            intervention=MeasureFactory().intervention,
            owner=None,
            baseline_on=D(2025, 4, 1),
            target_on=D(2025, 4, 1),
        )
        set_effective_date(measure, None)
        measure.save()
