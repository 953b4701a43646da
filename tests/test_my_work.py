"""My work: what the signed-in user may update, what is overdue or due soon, and which of
their programmes still need this period's update.

The domain functions take `today`, so most tests fix the day (15 Aug 2025, in Q2 2025/26);
the page tests use dates relative to the real today.
"""

import datetime

import pytest
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.access import roles
from interventions.dates.periods import ReportingPeriod
from interventions.deadlines.engine import State, state_of
from interventions.inbox.items import inbox
from interventions.kit.kept import forget_all
from tests.factories import (
    DelegationFactory,
    InterventionFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    UserFactory,
)

TODAY = datetime.date(2025, 8, 15)  # Q2 2025/26
DAY = datetime.timedelta(days=1)
MY_WORK = reverse("interventions:my_work")


class Work:
    """One intervention's inbox, each source read as a list of its items."""

    def __init__(self, group):
        self.intervention = group.intervention
        self.group = group

    def __getattr__(self, key):
        shelf = self.group.shelves.get(key)
        return shelf.items if shelf else []


def my_work(user, today):
    result = inbox(user, today)
    result.interventions = [Work(group) for group in result.interventions]
    return result


def person_of(user, intervention):
    return user.people.get(intervention=intervention)


@pytest.fixture
def programme(intervention, officer):
    """A programme whose SRO is the officer."""
    return ProgrammeFactory(
        aim__intervention=intervention, sro=person_of(officer, intervention), title="Governance"
    )


def milestone(programme, **dates):
    return MilestoneFactory(programme=programme, **dates)


def labels(milestones):
    return [m.title for m in milestones]


# The domain: my_work(user, today)


def test_it_lists_overdue_milestones_by_forecast_else_baseline_end(officer, programme):
    milestone(programme, title="Forecast past", forecast_end=TODAY - DAY)
    milestone(programme, title="Baseline past", baseline_end=TODAY - 10 * DAY)
    milestone(
        programme,
        title="Forecast moved on",
        baseline_end=TODAY - 10 * DAY,
        forecast_end=TODAY + 40 * DAY,
    )
    milestone(programme, title="Done", forecast_end=TODAY - DAY, status="complete")
    milestone(programme, title="Stopped", forecast_end=TODAY - DAY, status="cancelled")
    milestone(programme, title="Due today", forecast_end=TODAY)
    milestone(programme, title="No date")

    [work] = my_work(officer, TODAY).interventions

    assert labels(work.overdue) == ["Baseline past", "Forecast past"]


def test_it_lists_milestones_due_within_the_due_soon_days(settings, officer, programme):
    settings.DUE_SOON_DAYS = 30
    milestone(programme, title="Today", forecast_end=TODAY)
    milestone(programme, title="In thirty days", baseline_end=TODAY + 30 * DAY)
    milestone(programme, title="In thirty-one days", forecast_end=TODAY + 31 * DAY)
    milestone(programme, title="In a week", forecast_end=TODAY + 7 * DAY)
    milestone(programme, title="Done", forecast_end=TODAY + 7 * DAY, status="complete")

    [work] = my_work(officer, TODAY).interventions

    assert labels(work.due_soon) == ["Today", "In a week", "In thirty days"]


def test_due_soon_is_the_same_number_of_days_as_on_the_deadline_pages(officer, programme):
    """One setting: a milestone My work calls due soon is "Due soon" on the deadline pages."""
    days = django_settings.DUE_SOON_DAYS
    milestone(programme, title="Last day", forecast_end=TODAY + days * DAY)
    milestone(programme, title="Day after", forecast_end=TODAY + (days + 1) * DAY)

    [work] = my_work(officer, TODAY).interventions

    assert labels(work.due_soon) == ["Last day"]
    assert state_of(TODAY + days * DAY, TODAY, None) == State.DUE_SOON
    assert state_of(TODAY + (days + 1) * DAY, TODAY, None) == State.UPCOMING


def test_it_lists_programmes_without_an_update_for_the_current_period(
    intervention, officer, programme
):
    me = person_of(officer, intervention)
    updated = ProgrammeFactory(aim=programme.aim, sro=me, title="Updated")
    ProgrammeUpdateFactory(programme=updated, period_start=datetime.date(2025, 7, 1))
    last_quarter_only = ProgrammeFactory(aim=programme.aim, sponsor=me, title="Last quarter")
    ProgrammeUpdateFactory(programme=last_quarter_only, period_start=datetime.date(2025, 4, 1))
    ProgrammeFactory(aim=programme.aim, sro=me, title="Finished", status="complete")

    result = my_work(officer, TODAY)
    [work] = result.interventions

    assert ReportingPeriod.containing(TODAY).label == "Q2 2025/26"
    assert [p.title for p in work.needs_update] == ["Governance", "Last quarter"]


def test_it_leaves_out_other_peoples_programmes(intervention, officer, programme):
    someone_elses = ProgrammeFactory(aim=programme.aim, title="Not mine")
    milestone(someone_elses, title="Theirs", forecast_end=TODAY - DAY)

    [work] = my_work(officer, TODAY).interventions

    assert [p.title for p in work.needs_update] == ["Governance"]
    assert work.overdue == []


def test_a_delegation_makes_a_programme_the_officers_work(intervention, officer):
    programme = ProgrammeFactory(aim__intervention=intervention, title="Delegated")
    milestone(programme, title="Late", forecast_end=TODAY - DAY)
    DelegationFactory(programme=programme, person=person_of(officer, intervention))

    result = my_work(officer, TODAY)
    [work] = result.interventions

    assert result.may_update
    assert [p.title for p in work.needs_update] == ["Delegated"]
    assert [d.programme.title for d in work.delegations] == ["Delegated"]
    assert labels(work.overdue) == ["Late"]


def test_an_expired_delegation_gives_no_work(intervention, officer):
    programme = ProgrammeFactory(aim__intervention=intervention)
    DelegationFactory(
        programme=programme,
        person=person_of(officer, intervention),
        starts_on=datetime.date(2025, 1, 22),
        ends_on=TODAY - DAY,
    )

    result = my_work(officer, TODAY)

    assert not result.may_update
    assert result.interventions == []


def test_a_delegated_milestone_is_listed_without_its_programme(intervention, officer):
    programme = ProgrammeFactory(aim__intervention=intervention)
    mine = milestone(programme, title="Mine", forecast_end=TODAY + 3 * DAY)
    milestone(programme, title="Not mine", forecast_end=TODAY + 3 * DAY)
    DelegationFactory(programme=programme, milestone=mine, person=person_of(officer, intervention))

    result = my_work(officer, TODAY)
    [work] = result.interventions

    assert result.may_update
    assert work.needs_update == []
    assert labels(work.due_soon) == ["Mine"]


def test_work_is_grouped_by_intervention(intervention, officer, programme):
    elsewhere = InterventionFactory(title="Another council")
    PersonFactory(intervention=elsewhere, user=officer)
    ProgrammeFactory(aim__intervention=elsewhere, sro=officer.people.get(intervention=elsewhere))

    result = my_work(officer, TODAY)

    assert [w.intervention for w in result.interventions] == sorted(
        [intervention, elsewhere], key=lambda i: i.title
    )


def test_the_improvement_team_has_every_programme_of_their_intervention(
    intervention, improvement_team, programme, other_intervention
):
    ProgrammeFactory(aim__intervention=other_intervention)

    [work] = my_work(improvement_team, TODAY).interventions

    assert work.intervention == intervention
    assert work.needs_update == [programme]


@pytest.mark.parametrize("persona", ["envoy", "board_member"])
def test_readers_may_update_nothing(request, persona, programme):
    milestone(programme, forecast_end=TODAY - DAY)
    user = request.getfixturevalue(persona)

    result = my_work(user, TODAY)

    assert not result.may_update
    assert result.interventions == []


# The page


def test_the_page_shows_an_sro_what_to_do(client, intervention, officer, programme):
    today = timezone.localdate()
    late = milestone(programme, title="Publish the constitution", forecast_end=today - 5 * DAY)
    milestone(programme, title="Train the members", baseline_end=today + 10 * DAY)
    milestone(programme, title="Much later", forecast_end=today + 90 * DAY)
    period = ReportingPeriod.containing(today)
    client.force_login(officer)

    response = client.get(MY_WORK)

    assert response.status_code == 200
    page = response.content.decode()
    assert intervention.title in page
    assert "Publish the constitution" in page
    assert "Train the members" in page
    assert "Much later" not in page
    assert f"Programmes that need an update for {period.label} (1)" in page
    assert (
        reverse("interventions:milestone_edit", kwargs={"slug": intervention.slug, "pk": late.pk})
        in page
    )
    slug = f"{period.financial_year}-q{period.quarter}"
    assert (
        reverse(
            "interventions:programme_update_edit",
            kwargs={"slug": intervention.slug, "number": programme.number, "period": slug},
        )
        in page
    )


def test_the_page_says_plainly_when_nothing_is_late(client, officer, programme):
    ProgrammeUpdateFactory(
        programme=programme, period_start=ReportingPeriod.containing(timezone.localdate()).start
    )
    client.force_login(officer)

    page = client.get(MY_WORK).content.decode()

    assert "Nothing is waiting for you" in page
    assert "every programme has its update for" in page


@pytest.mark.parametrize("persona", ["envoy", "board_member"])
def test_readers_see_why_there_is_nothing_to_update(client, request, persona, programme):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(MY_WORK)

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is nothing for you to update." in page
    assert "delegate it to you" in page
    assert "<table" not in page


def test_an_officer_with_nothing_editable_sees_the_explanation(client, officer):
    client.force_login(officer)

    assert "There is nothing for you to update." in client.get(MY_WORK).content.decode()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, db):
    response = client.get(MY_WORK)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def grow(intervention, officer, n: int) -> None:
    """n more programmes for the officer, each with an overdue and a due milestone, an old
    update, a delegation, and n more in another intervention the officer is in."""
    today = timezone.localdate()
    me = person_of(officer, intervention)
    elsewhere = InterventionFactory()
    there = PersonFactory(intervention=elsewhere, user=officer)
    for _ in range(n):
        for programme in (
            ProgrammeFactory(aim__intervention=intervention, sro=me),
            ProgrammeFactory(aim__intervention=elsewhere, sponsor=there),
        ):
            milestone(programme, forecast_end=today - 3 * DAY)
            milestone(programme, baseline_end=today + 3 * DAY)
            ProgrammeUpdateFactory(programme=programme, period_start=datetime.date(2025, 1, 1))
        delegated = ProgrammeFactory(aim__intervention=intervention)
        DelegationFactory(programme=delegated, person=me)
        milestone(delegated, forecast_end=today - 3 * DAY)


def count_queries(client) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(MY_WORK)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_makes_the_same_queries_at_ten_times_the_rows(client, intervention, officer):
    client.force_login(officer)
    grow(intervention, officer, 1)
    one = count_queries(client)
    grow(intervention, officer, 9)
    ten = count_queries(client)

    # 1-2 the session and the user; 3 the user's groups; 4 their interventions (each item
    # shares its intervention's instance); 5-14 which items of each of the inbox's sources but
    # the change requests to decide, which an officer has none of without asking (challenges
    # to answer, to resolve, recommendations, risks to review, expectations to answer,
    # overdue, needing an update, due soon, their own change requests, delegations); 15-18
    # the items themselves of the four with any (overdue, needing an update, due soon,
    # delegations); 19 whether they may update anything; 20 the header's count, one query of
    # subqueries; 21 the data's version, which the lists and the count are kept with
    # (interventions.kit.kept; read once a request). Nothing per row.
    assert one == ten == 21


def test_a_new_user_in_a_role_has_their_own_my_work(client, intervention):
    user = UserFactory(role=roles.COUNCIL_OFFICER)
    client.force_login(user)

    assert "There is nothing for you to update." in client.get(MY_WORK).content.decode()
