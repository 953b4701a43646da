import datetime

import pytest
from django.contrib.auth.models import AnonymousUser, Group, Permission
from django.db import IntegrityError, transaction
from django.utils import timezone

from boards.models import Recommendation
from interventions.access import roles
from interventions.models import Appointment, Intervention, Milestone, Programme
from tests.factories import (
    AppointmentFactory,
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    UserFactory,
)


@pytest.mark.django_db
def test_factories_build_a_milestone_with_computed_dates():
    milestone = MilestoneFactory()
    assert milestone.planned_end.isoformat() == "2025-09-30"
    assert milestone.history.count() == 1


# ---------------------------------------------------------------------------------- Intervention


def test_an_intervention_is_scheduled_to_end_the_day_before_its_period_is_up():
    intervention = InterventionFactory.build(
        directions_date=datetime.date(2025, 1, 22), duration_months=36, end_date=None
    )
    assert intervention.scheduled_end == datetime.date(2028, 1, 21)


def test_a_recorded_end_date_wins_over_the_initial_period():
    intervention = InterventionFactory.build(
        directions_date=datetime.date(2025, 1, 22),
        duration_months=36,
        end_date=datetime.date(2026, 6, 30),
    )
    assert intervention.scheduled_end == datetime.date(2026, 6, 30)


def test_an_intervention_with_no_period_or_end_has_no_scheduled_end():
    intervention = InterventionFactory.build(duration_months=None, end_date=None)
    assert intervention.scheduled_end is None


@pytest.mark.django_db
def test_the_database_refuses_an_intervention_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        InterventionFactory(
            directions_date=datetime.date(2025, 1, 22), end_date=datetime.date(2025, 1, 21)
        )
    InterventionFactory(
        directions_date=datetime.date(2025, 1, 22), end_date=datetime.date(2025, 1, 22)
    )
    assert Intervention.objects.count() == 1


# ---------------------------------------------------------------------------------- people


@pytest.mark.django_db
def test_the_database_refuses_an_appointment_that_ends_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        AppointmentFactory(starts_on=datetime.date(2025, 4, 1), ends_on=datetime.date(2025, 3, 31))
    AppointmentFactory(starts_on=datetime.date(2025, 4, 1), ends_on=None)
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_a_person_with_no_name_is_shown_as_a_post_not_yet_filled():
    vacant = PersonFactory(name="", post="Strategic Director for Change and Improvement")
    assert str(vacant) == "Strategic Director for Change and Improvement (post not yet filled)"


@pytest.mark.django_db
def test_a_named_person_is_shown_with_their_post():
    person = PersonFactory(name="Stephen Halsey", post="Chief Executive")
    assert str(person) == "Stephen Halsey (Chief Executive)"


# ---------------------------------------------------------------------------------- milestones


@pytest.mark.django_db
def test_the_database_refuses_a_milestone_more_than_100_percent_complete():
    with pytest.raises(IntegrityError), transaction.atomic():
        MilestoneFactory(percent_complete=101)
    MilestoneFactory(percent_complete=100)
    assert Milestone.objects.count() == 1


@pytest.mark.django_db
def test_saving_a_milestone_computes_its_dates_from_the_words_written():
    milestone = MilestoneFactory(start_as_written="Autumn 2025", end_as_written="Q4 2025/26")
    assert milestone.planned_start == datetime.date(2025, 9, 1)
    assert milestone.planned_end == datetime.date(2026, 3, 31)

    milestone.start_as_written = "TBC"
    milestone.end_as_written = "Spring 2026"
    milestone.save()
    milestone.refresh_from_db()

    assert milestone.planned_start is None
    assert milestone.planned_end == datetime.date(2026, 5, 31)


@pytest.mark.django_db
def test_a_milestone_is_overdue_once_past_its_forecast_end_and_not_complete():
    milestone = MilestoneFactory(
        baseline_end=datetime.date(2025, 9, 30),
        forecast_end=datetime.date(2025, 12, 31),
        status="in_progress",
    )
    # The forecast, not the baseline, is what it is judged against.
    assert milestone.is_overdue(on=datetime.date(2025, 10, 1)) is False
    assert milestone.is_overdue(on=datetime.date(2025, 12, 31)) is False
    assert milestone.is_overdue(on=datetime.date(2026, 1, 1)) is True


@pytest.mark.django_db
def test_a_milestone_without_a_forecast_is_judged_against_its_baseline():
    milestone = MilestoneFactory(baseline_end=datetime.date(2025, 9, 30), status="in_progress")
    assert milestone.is_overdue(on=datetime.date(2025, 9, 30)) is False
    assert milestone.is_overdue(on=datetime.date(2025, 10, 1)) is True


@pytest.mark.django_db
def test_a_complete_milestone_is_never_overdue():
    milestone = MilestoneFactory(baseline_end=datetime.date(2025, 9, 30), status="complete")
    assert milestone.is_overdue(on=datetime.date(2030, 1, 1)) is False


@pytest.mark.django_db
def test_a_milestone_with_no_end_date_is_never_overdue():
    milestone = MilestoneFactory(start_as_written="Ongoing", end_as_written="")
    assert milestone.baseline_end is None
    assert milestone.is_overdue(on=datetime.date(2030, 1, 1)) is False


# ---------------------------------------------------------------------------------- Directions


@pytest.mark.django_db
def test_a_direction_is_referred_to_by_its_letter_and_a_sub_item_by_letter_and_numeral():
    e = DirectionFactory(ref="e")
    iv = DirectionFactory(direction_set=e.direction_set, parent=e, ref="iv")

    assert e.reference == "e"
    assert iv.reference == "e.iv"


@pytest.fixture
def directions_of_22_january_2025(db):
    return DirectionSetFactory(made_on=datetime.date(2025, 1, 22))


@pytest.mark.parametrize(
    ("fields", "first"),
    [
        ({"deadline_kind": "relative", "offset_months": 1}, datetime.date(2025, 2, 22)),
        ({"deadline_kind": "relative", "offset_months": 3}, datetime.date(2025, 4, 22)),
        (
            {"deadline_kind": "relative", "offset_months": 1, "offset_days": 10},
            datetime.date(2025, 3, 4),
        ),
        (
            {"deadline_kind": "relative", "offset_months": 0, "offset_days": 28},
            datetime.date(2025, 2, 19),
        ),
        (
            {"deadline_kind": "recurring", "offset_months": None, "interval_months": 3},
            datetime.date(2025, 4, 22),
        ),
        (
            {"deadline_kind": "recurring", "offset_months": None, "interval_months": 6},
            datetime.date(2025, 7, 22),
        ),
        (
            {
                "deadline_kind": "recurring",
                "offset_months": None,
                "interval_months": 3,
                "first_due": datetime.date(2025, 6, 16),
            },
            datetime.date(2025, 6, 16),
        ),
        (
            {"deadline_kind": "fixed", "offset_months": None, "due_on": datetime.date(2025, 9, 1)},
            datetime.date(2025, 9, 1),
        ),
        ({"deadline_kind": "standing", "offset_months": None}, None),
        ({"deadline_kind": "event", "offset_months": None, "event": "a recommendation"}, None),
    ],
)
def test_a_direction_first_falls_due_as_its_deadline_rule_says(
    directions_of_22_january_2025, fields, first
):
    direction = DirectionFactory(direction_set=directions_of_22_january_2025, **fields)
    assert direction.first_deadline() == first


# ---------------------------------------------------------------------------------- boards


@pytest.mark.django_db
def test_the_database_refuses_a_response_published_before_it_was_given():
    with pytest.raises(IntegrityError), transaction.atomic():
        RecommendationFactory(published_on=datetime.date(2025, 6, 1), responded_on=None)
    RecommendationFactory(
        responded_on=datetime.date(2025, 5, 30), published_on=datetime.date(2025, 6, 1)
    )
    assert Recommendation.objects.count() == 1


# ---------------------------------------------------------------------------------- who sees what


def test_an_anonymous_visitor_sees_no_intervention(intervention):
    assert list(Intervention.objects.visible_to(AnonymousUser())) == []


def test_a_named_person_sees_only_their_own_intervention(intervention, other_intervention, officer):
    assert list(Intervention.objects.visible_to(officer)) == [intervention]


def test_a_user_named_twice_in_one_intervention_sees_it_once(intervention, officer):
    PersonFactory(intervention=intervention, user=officer)
    assert list(Intervention.objects.visible_to(officer)) == [intervention]


@pytest.mark.django_db
def test_a_signed_in_user_named_nowhere_sees_nothing(intervention):
    assert list(Intervention.objects.visible_to(UserFactory())) == []


def test_an_administrator_sees_every_intervention(intervention, other_intervention, administrator):
    assert set(Intervention.objects.visible_to(administrator)) == {
        intervention,
        other_intervention,
    }


def test_a_superuser_sees_every_intervention(intervention, other_intervention):
    superuser = UserFactory(is_superuser=True)
    assert set(Intervention.objects.visible_to(superuser)) == {intervention, other_intervention}


# ---------------------------------------------------------------------------------- roles


def group_permissions() -> dict[str, set[str]]:
    return {
        group.name: {
            f"{p.content_type.app_label}.{p.codename}"
            for p in group.permissions.select_related("content_type")
        }
        for group in Group.objects.filter(name__in=roles.ROLE_NAMES)
    }


@pytest.mark.django_db
def test_syncing_the_role_groups_again_changes_nothing():
    roles.sync_groups()
    before = group_permissions()
    groups = Group.objects.count()

    roles.sync_groups()

    assert Group.objects.count() == groups
    assert group_permissions() == before
    assert set(before) == set(roles.ROLE_NAMES)


@pytest.mark.django_db
def test_syncing_puts_back_a_permission_removed_by_hand():
    officer_group = Group.objects.get(name=roles.COUNCIL_OFFICER)
    officer_group.permissions.remove(Permission.objects.get(codename="change_milestone"))

    roles.sync_groups()

    assert "interventions.change_milestone" in group_permissions()[roles.COUNCIL_OFFICER]


def test_a_council_officer_may_change_milestones_but_not_directions(officer):
    assert officer.has_perm("interventions.change_milestone")
    assert officer.has_perm("interventions.change_programme")
    assert officer.has_perm("directions.view_direction")
    assert not officer.has_perm("directions.change_direction")
    assert not officer.has_perm("interventions.delete_milestone")


def test_an_envoy_may_read_but_change_nothing(envoy):
    permissions = group_permissions()[roles.ENVOY]
    assert "interventions.view_programme" in permissions
    assert "boards.view_recommendation" in permissions
    assert {p for p in permissions if not p.split(".")[1].startswith("view_")} == set()
    assert not envoy.has_perm("interventions.change_milestone")


def test_an_administrator_holds_every_permission(administrator):
    assert administrator.has_perm("directions.delete_direction")
    assert administrator.has_perm("auth.change_user")


# ---------------------------------------------------------------------------------- history


@pytest.mark.django_db
def test_changing_a_programmes_rag_records_the_reason_and_keeps_the_old_state():
    programme = ProgrammeFactory(rag="green")
    created_at = datetime.datetime(2025, 5, 1, 9, 0, tzinfo=datetime.UTC)
    programme.history.update(history_date=created_at)

    programme.rag = "red"
    programme._change_reason = "Recruitment delayed: reported to TAB on 12 May 2025"
    programme.save()

    latest = programme.history.first()
    assert (latest.history_type, latest.rag, latest.history_change_reason) == (
        "~",
        "red",
        "Recruitment delayed: reported to TAB on 12 May 2025",
    )
    assert programme.history.count() == 2
    before_the_change = Programme.history.as_of(created_at + datetime.timedelta(days=1))
    assert before_the_change.get(pk=programme.pk).rag == "green"
    assert Programme.history.as_of(timezone.now()).get(pk=programme.pk).rag == "red"


@pytest.mark.django_db
def test_current_appointments_are_those_held_on_the_day():
    day = datetime.date(2025, 6, 1)
    held = AppointmentFactory(starts_on=datetime.date(2025, 1, 22), ends_on=None)
    open_start = AppointmentFactory(starts_on=None, ends_on=None)
    ended = AppointmentFactory(starts_on=None, ends_on=datetime.date(2024, 7, 31))
    future = AppointmentFactory(starts_on=datetime.date(2025, 9, 1))

    current = set(Appointment.objects.current(day))

    assert current == {held, open_start}
    assert ended not in current and future not in current
    assert all(a.is_current(day) == (a in current) for a in (held, open_start, ended, future))


@pytest.mark.django_db
def test_a_cancelled_milestone_is_not_overdue():
    milestone = MilestoneFactory(end_as_written="Jan 2025", status="cancelled")

    assert not milestone.is_overdue(datetime.date(2025, 6, 1))
    milestone.status = "in_progress"
    assert milestone.is_overdue(datetime.date(2025, 6, 1))
