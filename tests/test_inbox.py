"""The inbox (My work): each source lists its items to the people who act on them and to
nobody else, the header counts what waits, and the page's queries do not grow with its rows.

The sources of what a person may update (overdue, due soon, programmes needing an update) are
tests/test_my_work.py; challenges' threads are tests/test_challenges.py.
"""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.access import roles
from interventions.dates.periods import ReportingPeriod
from interventions.evidence import services as evidence_services
from interventions.inbox.items import inbox, waiting_count
from interventions.kit.kept import forget_all
from interventions.models import Programme
from tests.factories import (
    ChangeRequestFactory,
    CommentFactory,
    DelegationFactory,
    InterventionFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    RecommendationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
MY_WORK = reverse("interventions:my_work")


def today():
    return timezone.localdate()


def listed(user, key, intervention=None):
    """The items of one source in the user's inbox, across (or in one of) their interventions."""
    items = []
    for group in inbox(user, today(), intervention=intervention).interventions:
        shelf = group.shelves.get(key)
        items += shelf.items if shelf else []
    return items


def person_of(user, intervention):
    return user.people.get(intervention=intervention)


@pytest.fixture
def programme(intervention, officer):
    return ProgrammeFactory(
        aim__intervention=intervention, sro=person_of(officer, intervention), title="Governance"
    )


@pytest.fixture
def milestone(programme):
    return MilestoneFactory(programme=programme, title="Publish the constitution")


# Change requests


def test_the_improvement_team_decides_pending_change_requests(
    improvement_team, officer, milestone, stranger
):
    change = ChangeRequestFactory(milestone=milestone, requested_by=officer)
    ChangeRequestFactory(milestone=milestone, requested_by=officer, status="approved")

    assert listed(improvement_team, "changes_to_decide") == [change]
    assert listed(officer, "changes_to_decide") == []
    assert listed(stranger, "changes_to_decide") == []


def test_the_improvement_team_of_another_intervention_decides_none(milestone, other_intervention):
    ChangeRequestFactory(milestone=milestone)
    theirs = UserFactory(role=roles.IMPROVEMENT_TEAM)
    PersonFactory(intervention=other_intervention, user=theirs)

    assert listed(theirs, "changes_to_decide") == []


def test_an_officer_sees_their_own_requests_waiting(officer, improvement_team, milestone):
    mine = ChangeRequestFactory(milestone=milestone, requested_by=officer)
    ChangeRequestFactory(milestone=milestone, requested_by=officer, status="rejected")

    assert listed(officer, "my_changes") == [mine]
    assert listed(improvement_team, "my_changes") == []


# Challenges


def test_a_challenge_waits_for_an_answer_from_who_may_update_what_it_challenges(
    officer, improvement_team, envoy, board_member, stranger, programme, milestone
):
    on_programme = CommentFactory(programme=programme, author=envoy)
    on_milestone = CommentFactory(programme=programme, milestone=milestone, author=envoy)
    CommentFactory(programme=programme, author=envoy, kind="comment")  # not a challenge

    assert listed(officer, "challenges_to_answer") == [on_programme, on_milestone]
    assert listed(improvement_team, "challenges_to_answer") == [on_programme, on_milestone]
    for other in (envoy, board_member, stranger):
        assert listed(other, "challenges_to_answer") == []


def test_a_delegate_answers_the_challenges_on_their_milestone_only(
    intervention, officer, envoy, programme, milestone
):
    delegate = UserFactory(role=roles.COUNCIL_OFFICER)
    DelegationFactory(
        programme=programme,
        milestone=milestone,
        person=PersonFactory(intervention=intervention, user=delegate),
    )
    theirs = CommentFactory(programme=programme, milestone=milestone, author=envoy)
    CommentFactory(programme=programme, author=envoy)
    CommentFactory(
        programme=programme, milestone=MilestoneFactory(programme=programme), author=envoy
    )

    assert listed(delegate, "challenges_to_answer") == [theirs]


def test_an_answered_challenge_waits_for_the_challenger(
    officer, envoy, improvement_team, programme
):
    challenge = CommentFactory(programme=programme, author=envoy)
    evidence_services.reply_to_challenge(challenge=challenge, text="Done.", by=officer)

    assert listed(officer, "challenges_to_answer") == []
    assert listed(envoy, "challenges_to_resolve") == [challenge]
    assert listed(improvement_team, "challenges_to_resolve") == []
    assert listed(officer, "challenges_to_resolve") == []

    evidence_services.resolve_challenge(challenge=challenge, by=envoy)

    assert listed(envoy, "challenges_to_resolve") == []


# Recommendations


def test_an_officer_responds_to_the_recommendations_they_own(
    intervention, officer, envoy, improvement_team, stranger
):
    mine = RecommendationFactory(intervention=intervention, owner=person_of(officer, intervention))
    RecommendationFactory(
        intervention=intervention,
        owner=person_of(officer, intervention),
        response="Accepted.",
        responded_on=datetime.date(2025, 6, 1),
        status="accepted",
    )
    someone_elses = RecommendationFactory(
        intervention=intervention, owner=PersonFactory(intervention=intervention)
    )

    assert listed(officer, "recommendations") == [mine]
    assert someone_elses not in listed(improvement_team, "recommendations")
    assert listed(envoy, "recommendations") == []
    assert listed(stranger, "recommendations") == []


def test_the_improvement_team_responds_to_recommendations_nobody_owns(
    intervention, officer, improvement_team, other_intervention
):
    unowned = RecommendationFactory(intervention=intervention, owner=None)
    RecommendationFactory(intervention=other_intervention, owner=None)

    assert listed(improvement_team, "recommendations") == [unowned]
    assert listed(officer, "recommendations") == []


# Delegations


def test_a_delegation_is_listed_to_whom_it_was_given(intervention, officer, envoy):
    programme = ProgrammeFactory(aim__intervention=intervention)
    current = DelegationFactory(programme=programme, person=person_of(officer, intervention))
    DelegationFactory(
        programme=programme,
        person=person_of(officer, intervention),
        starts_on=datetime.date(2025, 1, 1),
        ends_on=today() - DAY,
    )

    assert listed(officer, "delegations") == [current]
    assert listed(envoy, "delegations") == []


# Both intervention models


def test_a_commissioners_challenge_reaches_the_officer_and_back(
    commissioners, commissioner_personas
):
    officer = commissioner_personas["officer"]
    commissioner = commissioner_personas["lead_commissioner"]
    programme = (
        Programme.objects.filter(intervention=commissioners)
        .filter(Q(sro__user=officer) | Q(sponsor__user=officer))
        .first()
        or Programme.objects.filter(intervention=commissioners).first()
    )
    programme.sro = officer.people.get(intervention=commissioners)
    programme.save()
    challenge = CommentFactory(programme=programme, author=commissioner)

    assert challenge in listed(officer, "challenges_to_answer", commissioners)
    assert challenge not in listed(commissioner_personas["board_member"], "challenges_to_answer")

    evidence_services.reply_to_challenge(challenge=challenge, text="Answered.", by=officer)

    assert listed(commissioner, "challenges_to_resolve") == [challenge]


# The page


def test_the_page_lists_each_source_with_its_action(
    client, intervention, officer, envoy, programme, milestone
):
    challenge = CommentFactory(
        programme=programme, milestone=milestone, author=envoy, text="Why late?"
    )
    rec = RecommendationFactory(
        intervention=intervention, owner=person_of(officer, intervention), title="Publish minutes"
    )
    change = ChangeRequestFactory(milestone=milestone, requested_by=officer)
    client.force_login(officer)

    page = client.get(MY_WORK).content.decode()

    assert "Challenges to answer (1)" in page
    assert "Why late?" in page
    assert reverse("interventions:challenge_reply", args=[intervention.slug, challenge.pk]) in page
    assert "Recommendations to respond to (1)" in page
    assert rec.get_absolute_url() in page
    assert "Your change requests waiting for a decision (1)" in page
    assert (
        reverse("interventions:change_request_detail", args=[intervention.slug, change.pk]) in page
    )


def test_user_text_is_escaped_on_the_page(client, officer, envoy, programme):
    CommentFactory(programme=programme, author=envoy, text="<script>alert(1)</script>")
    client.force_login(officer)

    page = client.get(MY_WORK).content.decode()

    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_a_long_list_is_cut_short_with_a_link_to_the_rest(
    client, intervention, officer, envoy, programme
):
    for n in range(13):
        CommentFactory(programme=programme, author=envoy, text=f"Question {n:02}")
    client.force_login(officer)

    page = client.get(MY_WORK).content.decode()

    assert "Challenges to answer (13)" in page
    assert "3 more than the first 10 listed here" in page
    assert "Question 09" in page and "Question 10" not in page


# The header's count


def test_the_header_counts_what_waits(client, intervention, officer, envoy, programme):
    CommentFactory(programme=programme, author=envoy)
    RecommendationFactory(intervention=intervention, owner=person_of(officer, intervention))
    later = MilestoneFactory(programme=programme, forecast_end=today() + 60 * DAY)
    ChangeRequestFactory(milestone=later, requested_by=officer)
    client.force_login(officer)

    page = client.get(reverse("interventions:intervention_list")).content.decode()

    # A challenge, a recommendation and the programme's update: not their own request.
    assert waiting_count(officer, today()) == 3
    badge = '<span class="app-inbox-count">3</span>'
    assert f'{badge}<span class="govuk-visually-hidden"> waiting for you</span>' in page


def test_the_header_shows_no_count_when_nothing_waits(client, envoy):
    client.force_login(envoy)

    page = client.get(reverse("interventions:intervention_list")).content.decode()

    assert "app-inbox-count" not in page
    assert waiting_count(envoy, today()) == 0


def test_the_header_count_is_one_query_at_any_size(
    intervention, officer, envoy, programme, django_assert_num_queries
):
    def grow(n):
        for _ in range(n):
            mine = ProgrammeFactory(aim=programme.aim, sro=person_of(officer, intervention))
            CommentFactory(programme=mine, author=envoy)
            MilestoneFactory(programme=mine, forecast_end=today() - DAY)
            RecommendationFactory(intervention=intervention, owner=person_of(officer, intervention))

    grow(1)
    waiting_count(officer, today())  # the user's roles, kept for the request
    forget_all()
    # The data's version, then the count (one query, whatever the size).
    with django_assert_num_queries(2):
        one = waiting_count(officer, today())
    grow(9)
    with django_assert_num_queries(2):
        ten = waiting_count(officer, today())
    # Kept until the data changes: then only the version is read.
    with django_assert_num_queries(1):
        assert waiting_count(officer, today()) == ten

    assert (one, ten) == (
        4 + 1,
        40 + 1,
    )  # each: its challenge, update, overdue milestone, recommendation; and the first programme


def test_the_header_count_follows_a_change_at_once(intervention, officer, envoy, programme):
    mine = ProgrammeFactory(aim=programme.aim, sro=person_of(officer, intervention))
    before = waiting_count(officer, today())
    CommentFactory(programme=mine, author=envoy)  # a challenge for the officer to answer
    assert waiting_count(officer, today()) == before + 1


def test_building_the_inbox_queries_reads_nothing_from_the_database(
    intervention, officer, improvement_team, envoy, administrator, programme
):
    """The inbox's SQL is built once for a user, their groups and the day, and kept
    (`interventions.kit.compiled`): it may hold no value read from the database, or a later
    change would not show."""
    from interventions.access.permissions import group_names
    from interventions.inbox.items import _chosen, _counts
    from interventions.inbox.sources import SOURCES
    from interventions.kit.compiled import compile_values

    for user in (officer, improvement_team, envoy, administrator):
        group_names(user)  # the user's groups, kept for the request
        with CaptureQueriesContext(connection) as context:
            for source in SOURCES:
                compile_values(_chosen(source, user, today(), 10, None))
                compile_values(_chosen(source, user, today(), None, intervention))
            compile_values(_counts(user, today()))
        assert context.captured_queries == [], user


def test_the_kept_queries_see_changes_made_after_they_were_built(
    intervention, officer, envoy, improvement_team, programme
):
    # The programme needs its update for this period: one waits.
    assert waiting_count(officer, today()) == 1
    assert listed(officer, "challenges_to_answer") == []

    challenge = CommentFactory(programme=programme, author=envoy)
    MilestoneFactory(programme=programme, forecast_end=today() - DAY, title="Late")

    assert waiting_count(officer, today()) == 3
    assert listed(officer, "challenges_to_answer") == [challenge]
    assert [m.title for m in listed(officer, "overdue")] == ["Late"]

    # Another role is another query: joining the improvement team brings its work.
    officer.groups.add(Group.objects.get(name=roles.IMPROVEMENT_TEAM))
    change = ChangeRequestFactory(milestone=programme.milestones.get(), requested_by=envoy)
    again = type(officer).objects.get(pk=officer.pk)  # the next request's user
    assert listed(again, "changes_to_decide") == [change]
    assert listed(officer, "changes_to_decide") == []  # this request's groups, as it began


# Query counts of the page


def grow_everything(intervention, team, envoy, n):
    """n more of every source for the improvement team, in this and another intervention."""
    elsewhere = InterventionFactory()
    PersonFactory(intervention=elsewhere, user=team)
    for place in (intervention, elsewhere):
        for _ in range(n):
            officer = UserFactory(role=roles.COUNCIL_OFFICER)
            sro = PersonFactory(intervention=place, user=officer)
            programme = ProgrammeFactory(aim__intervention=place, sro=sro)
            late = MilestoneFactory(programme=programme, forecast_end=today() - DAY)
            MilestoneFactory(programme=programme, forecast_end=today() + DAY)
            ChangeRequestFactory(milestone=late, requested_by=officer)
            ChangeRequestFactory(milestone=late, requested_by=team)
            CommentFactory(programme=programme, milestone=late, author=envoy)
            answered = CommentFactory(programme=programme, author=team)
            evidence_services.reply_to_challenge(challenge=answered, text="Yes.", by=officer)
            RecommendationFactory(intervention=place, owner=None)
            DelegationFactory(
                programme=programme, person=PersonFactory(intervention=place, user=team)
            )


def count_queries(client) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(MY_WORK)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_page_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, improvement_team, envoy
):
    client.force_login(improvement_team)
    grow_everything(intervention, improvement_team, envoy, 1)
    one = count_queries(client)
    grow_everything(intervention, improvement_team, envoy, 9)
    ten = count_queries(client)

    # 1-2 the session and the user; 3 the user's groups; 4 their interventions (each item
    # shares its intervention's instance); 5-24 for each of the eleven sources, which items
    # (each intervention's first few, chosen in SQL) and, for the nine with any (no
    # expectations or risks here), those items with what they show; 25 whether they may
    # update anything; 26 the header's count; 27 the data's version, which the lists and the
    # count are kept with (interventions.kit.kept; read once a request). Nothing per row, and
    # nothing per intervention.
    assert one == ten == 27


def test_the_items_of_an_intervention_share_its_one_instance(intervention, improvement_team, envoy):
    """Hundreds of items would otherwise each read their own copy of their intervention."""
    from interventions.inbox.items import _intervention_of

    grow_everything(intervention, improvement_team, envoy, 2)

    work = inbox(improvement_team, today())
    assert len(work.interventions) == 2  # this one and the other grown
    for group in work.interventions:
        for shelf in group.shelves.values():
            for item in shelf.items:
                assert _intervention_of(shelf.source, item) is group.intervention


# The daily digest


def test_the_digest_carries_what_waits_even_without_deadlines(
    intervention, officer, envoy, programme, mailoutbox
):
    from interventions.deadlines.reminders import send_reminders

    CommentFactory(programme=programme, author=envoy, text="Where is the <b>plan</b>?")
    ProgrammeUpdateFactory(
        programme=programme, period_start=ReportingPeriod.containing(today()).start
    )

    send_reminders(today(), "https://stocktake.example.org")

    [message] = [m for m in mailoutbox if m.to == [officer.email]]
    assert message.subject.endswith(f", 1 waiting for you ({today():%-d %b %Y})")
    assert "Challenges to answer (1)" in message.body
    assert f"https://stocktake.example.org{programme.get_absolute_url()}#comment-" in message.body
    html = message.alternatives[0][0]
    assert "Challenges to answer (1)" in html
    # Nobody else is sent the officer's work, and the Envoy has nothing waiting.
    assert [m for m in mailoutbox if m.to == [envoy.email]] == []


def test_a_person_with_nothing_waiting_and_no_deadlines_gets_no_digest(
    intervention, officer, mailoutbox
):
    from interventions.deadlines.reminders import send_reminders

    send_reminders(today(), "https://stocktake.example.org")

    assert mailoutbox == []


def test_the_page_names_no_one_where_a_programme_has_no_sro_or_a_recommendation_no_owner(
    client, intervention, improvement_team, programme
):
    # A plan where a programme's SRO is not yet named (as in the Commissioners fixture),
    # and a recommendation nobody owns: the inbox says so instead of failing.
    programme.sro = None
    programme.save()
    RecommendationFactory(intervention=intervention, owner=None, title="Name an owner")
    client.force_login(improvement_team)

    response = client.get(MY_WORK)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Name an owner" in page
    assert "No owner yet" in page
