"""A challenge's thread: who may answer it, who may resolve it, and what is kept.

Answering: whoever may update what is challenged (its SRO or sponsor, their delegates, the
improvement team). Resolving: the challenger, or the improvement team. Only these reply.
"""

import pytest
from django.urls import reverse

from interventions.access import roles
from interventions.evidence import services
from interventions.kit.kept import forget_all
from interventions.models import Comment
from tests.factories import (
    CommentFactory,
    DelegationFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(intervention, officer):
    return ProgrammeFactory(
        aim__intervention=intervention, sro=officer.people.get(intervention=intervention)
    )


@pytest.fixture
def milestone(programme):
    return MilestoneFactory(programme=programme)


@pytest.fixture
def challenge(programme, milestone, envoy):
    return CommentFactory(
        programme=programme, milestone=milestone, author=envoy, text="Why has this slipped?"
    )


def reply_url(challenge):
    return reverse(
        "interventions:challenge_reply", args=[challenge.programme.intervention.slug, challenge.pk]
    )


def resolve_url(challenge):
    return reverse(
        "interventions:challenge_resolve",
        args=[challenge.programme.intervention.slug, challenge.pk],
    )


@pytest.fixture
def delegate(intervention, programme, milestone):
    user = UserFactory(role=roles.COUNCIL_OFFICER)
    DelegationFactory(
        programme=programme,
        milestone=milestone,
        person=PersonFactory(intervention=intervention, user=user),
    )
    return user


# Answering


@pytest.mark.parametrize("persona", ["officer", "improvement_team", "administrator", "delegate"])
def test_who_may_update_it_answers_it(client, request, challenge, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(reply_url(challenge), {"text": "Recruitment paused; back in May."})

    assert response.status_code == 302
    assert response.url.endswith(f"#comment-{challenge.pk}")
    challenge.refresh_from_db()
    assert challenge.answered_by == user
    assert challenge.answered_at is not None
    assert challenge.state == "answered"
    [reply] = challenge.replies.all()
    assert reply.text == "Recruitment paused; back in May."
    assert reply.author == user


@pytest.mark.parametrize("persona", ["board_member", "other_envoy", "other_officer"])
def test_others_may_not_reply(client, request, intervention, challenge, persona):
    if persona == "other_envoy":
        user = UserFactory(role=roles.ENVOY)
        PersonFactory(intervention=intervention, user=user)
    elif persona == "other_officer":
        user = UserFactory(role=roles.COUNCIL_OFFICER)
        PersonFactory(intervention=intervention, user=user)
    else:
        user = request.getfixturevalue(persona)
    client.force_login(user)

    assert client.get(reply_url(challenge)).status_code == 403
    assert client.post(reply_url(challenge), {"text": "Me too"}).status_code == 403
    assert challenge.replies.count() == 0


def test_a_stranger_is_not_told_the_challenge_exists(client, stranger, challenge):
    client.force_login(stranger)

    assert client.post(reply_url(challenge), {"text": "Hello"}).status_code == 404


def test_an_empty_reply_is_refused_and_nothing_is_saved(client, officer, challenge):
    client.force_login(officer)

    response = client.post(reply_url(challenge), {"text": "  "})

    assert response.status_code == 200
    assert "Enter your reply" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.replies.count() == 0
    assert challenge.answered_at is None


def test_the_challengers_reply_asks_again(officer, envoy, challenge):
    services.reply_to_challenge(challenge=challenge, text="Done.", by=officer)
    services.reply_to_challenge(challenge=challenge, text="Which paper?", by=envoy)

    challenge.refresh_from_db()
    assert challenge.state == "open"
    assert challenge.answered_by is None
    # History keeps the first answer.
    reasons = list(
        challenge.history.order_by("history_date").values_list(
            "history_change_reason", "answered_by_id"
        )
    )
    assert ("Challenge answered", officer.pk) in reasons
    assert reasons[-1] == ("Challenge asked again", None)


def test_comments_are_not_threads(client, officer, programme, envoy):
    comment = CommentFactory(programme=programme, author=envoy, kind="comment")
    client.force_login(officer)

    assert client.get(reply_url(comment)).status_code == 404
    with pytest.raises(services.ThreadRefused):
        services.reply_to_challenge(challenge=comment, text="No", by=officer)


# Resolving


@pytest.mark.parametrize("persona", ["envoy", "improvement_team"])
def test_the_challenger_or_the_improvement_team_resolves_it(
    client, request, officer, challenge, persona
):
    services.reply_to_challenge(challenge=challenge, text="Done.", by=officer)
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(resolve_url(challenge), {"note": "Settled."})

    assert response.status_code == 302
    challenge.refresh_from_db()
    assert challenge.state == "resolved"
    assert challenge.resolved_by == user
    assert challenge.replies.last().text == "Settled."
    assert challenge.history.filter(history_change_reason="Challenge resolved").exists()


@pytest.mark.parametrize("persona", ["officer", "board_member", "delegate"])
def test_the_one_answering_may_not_resolve_it(client, request, challenge, persona):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(resolve_url(challenge)).status_code == 403
    assert client.post(resolve_url(challenge), {"note": ""}).status_code == 403
    challenge.refresh_from_db()
    assert challenge.resolved_at is None


def test_a_resolved_challenge_takes_no_more_replies(client, officer, envoy, challenge):
    services.resolve_challenge(challenge=challenge, by=envoy)
    client.force_login(officer)

    response = client.post(reply_url(challenge), {"text": "Late answer"})

    assert response.status_code == 200
    assert "was resolved while you were writing" in response.content.decode()
    assert challenge.replies.count() == 0


def test_resolving_twice_names_who_resolved_it(client, envoy, improvement_team, challenge):
    services.resolve_challenge(challenge=challenge, by=improvement_team)
    client.force_login(envoy)

    response = client.post(resolve_url(challenge), {"note": "Me too"})

    assert response.status_code == 200
    assert "already resolved by" in response.content.decode()
    challenge.refresh_from_db()
    assert challenge.resolved_by == improvement_team
    assert challenge.replies.count() == 0


# The page where it was raised


def test_the_thread_is_shown_with_its_state_and_actions(
    client, intervention, officer, envoy, challenge, milestone
):
    services.reply_to_challenge(challenge=challenge, text="<b>Recruitment</b> paused.", by=officer)
    client.force_login(envoy)

    page = client.get(milestone.get_absolute_url()).content.decode()

    assert "Why has this slipped?" in page
    assert "&lt;b&gt;Recruitment&lt;/b&gt; paused." in page
    assert "Answered</strong> by" in page
    assert resolve_url(challenge) in page
    assert reply_url(challenge) in page


def test_readers_see_the_thread_without_its_actions(client, board_member, challenge, programme):
    client.force_login(board_member)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert "Awaiting an answer" in page
    assert reply_url(challenge) not in page
    assert resolve_url(challenge) not in page


def test_the_owner_is_offered_the_answer_on_the_programme_page(
    client, officer, challenge, programme
):
    client.force_login(officer)

    page = client.get(programme.get_absolute_url()).content.decode()

    assert reply_url(challenge) in page
    assert resolve_url(challenge) not in page


def test_a_thread_is_read_in_a_fixed_number_of_queries(
    client, officer, envoy, programme, milestone
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(officer)

    def count():
        forget_all()  # nothing kept: counted as the first reading after a change
        with CaptureQueriesContext(connection) as context:
            assert client.get(programme.get_absolute_url()).status_code == 200
        return len(context.captured_queries)

    first = CommentFactory(programme=programme, milestone=milestone, author=envoy)
    services.reply_to_challenge(challenge=first, text="One", by=officer)
    one = count()
    for _ in range(9):
        more = CommentFactory(
            programme=programme, milestone=MilestoneFactory(programme=programme), author=envoy
        )
        services.reply_to_challenge(challenge=more, text="Again", by=officer)
        services.reply_to_challenge(challenge=more, text="And?", by=envoy)

    assert count() == one
    assert Comment.objects.filter(parent__isnull=False).count() == 19
