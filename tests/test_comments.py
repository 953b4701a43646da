"""Challenges and comments: anyone who can see an intervention may add one; nobody edits one."""

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from interventions.evidence.services import evidence_context
from interventions.models import Comment
from tests.factories import CommentFactory, MilestoneFactory, ProgrammeFactory, UserFactory

PERSONAS = ["officer", "improvement_team", "envoy", "board_member", "administrator"]


@pytest.fixture
def programme(intervention):
    return ProgrammeFactory(aim__intervention=intervention, number=10)


@pytest.fixture
def milestone(programme):
    return MilestoneFactory(programme=programme)


def programme_url(programme):
    return reverse(
        "interventions:programme_comment_add",
        kwargs={"slug": programme.intervention.slug, "number": programme.number},
    )


def milestone_url(milestone):
    return reverse(
        "interventions:milestone_comment_add",
        kwargs={"slug": milestone.programme.intervention.slug, "pk": milestone.pk},
    )


CHALLENGE = {"kind": "challenge", "text": "What evidence shows the culture is changing?"}


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_in_the_intervention_may_challenge_a_programme(client, request, persona, programme):
    user = request.getfixturevalue(persona)
    client.force_login(user)

    response = client.post(programme_url(programme), CHALLENGE)

    assert response.status_code == 302
    assert response.url == programme.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert (comment.programme, comment.milestone, comment.author) == (programme, None, user)
    assert (comment.kind, comment.text) == ("challenge", CHALLENGE["text"])


@pytest.mark.parametrize("persona", PERSONAS)
def test_anyone_in_the_intervention_may_comment_on_a_milestone(client, request, persona, milestone):
    client.force_login(request.getfixturevalue(persona))

    response = client.post(milestone_url(milestone), {"kind": "comment", "text": "Noted."})

    assert response.status_code == 302
    assert response.url == milestone.get_absolute_url() + "#comments"
    comment = Comment.objects.get()
    assert (comment.programme, comment.milestone) == (milestone.programme, milestone)


def test_it_says_the_comment_was_added_and_records_who(client, envoy, programme):
    client.force_login(envoy)

    response = client.post(programme_url(programme), CHALLENGE, follow=False)

    messages = [str(message) for message in response.wsgi_request._messages]
    assert messages == ["Challenge added"]
    record = Comment.history.get()
    assert (record.history_type, record.history_user) == ("+", envoy)
    assert record.history_change_reason == "Challenge added"


def test_someone_outside_the_intervention_may_not_comment(client, stranger, programme, milestone):
    client.force_login(stranger)

    assert client.post(programme_url(programme), CHALLENGE).status_code == 404
    assert client.post(milestone_url(milestone), CHALLENGE).status_code == 404
    assert not Comment.objects.exists()


def test_a_user_named_in_no_intervention_may_not_comment(client, programme):
    client.force_login(UserFactory())

    assert client.post(programme_url(programme), CHALLENGE).status_code == 404
    assert not Comment.objects.exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, programme):
    response = client.post(programme_url(programme), CHALLENGE)

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
    assert not Comment.objects.exists()


def test_a_milestone_of_another_intervention_is_not_found(client, envoy, intervention):
    foreign = MilestoneFactory()
    url = reverse(
        "interventions:milestone_comment_add", kwargs={"slug": intervention.slug, "pk": foreign.pk}
    )
    client.force_login(envoy)

    assert client.post(url, CHALLENGE).status_code == 404
    assert not Comment.objects.exists()


def test_the_form_only_accepts_posts(client, envoy, programme):
    client.force_login(envoy)

    assert client.get(programme_url(programme)).status_code == 405


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "challenge", "text": ""}, "Enter your challenge or comment"),
        ({"kind": "challenge", "text": "   "}, "Enter your challenge or comment"),
        ({"text": "Which kind?"}, "Select whether this is a challenge or a comment"),
        (
            {"kind": "praise", "text": "Well done"},
            "Select whether this is a challenge or a comment",
        ),
    ],
)
def test_a_missing_answer_shows_the_govuk_error_pattern(client, envoy, programme, data, message):
    client.force_login(envoy)

    response = client.post(programme_url(programme), data)

    assert response.status_code == 200
    assert '<div class="govuk-error-summary"' in response.text
    assert message in response.text
    assert 'class="govuk-error-message"' in response.text
    assert "<title>Error: " in response.text
    assert not Comment.objects.exists()


def test_the_error_summary_links_to_the_fields(client, envoy, programme):
    client.force_login(envoy)

    response = client.post(programme_url(programme), {})

    assert 'href="#id_kind_0"' in response.text and 'id="id_kind_0"' in response.text
    assert 'href="#id_text"' in response.text and 'id="id_text"' in response.text


def test_there_is_no_way_to_edit_or_delete_a_comment(programme):
    comment = CommentFactory(programme=programme)
    for name in ("comment_edit", "comment_update", "comment_delete"):
        with pytest.raises(NoReverseMatch):
            reverse(
                f"interventions:{name}",
                kwargs={"slug": programme.intervention.slug, "pk": comment.pk},
            )


# The partial on programme and milestone pages


def render_comments(user, programme, milestone=None):
    request = RequestFactory().get("/")
    request.user = user
    context = {
        "intervention": programme.intervention,
        **evidence_context(request, programme, milestone),
    }
    return render_to_string("includes/comments.html", context, request=request)


def test_comments_are_shown_oldest_first_with_author_and_kind(envoy, programme):
    first = CommentFactory(programme=programme, kind="challenge", text="First", author=envoy)
    CommentFactory(programme=programme, kind="comment", text="Second")

    html = render_comments(envoy, programme)

    assert html.index("First") < html.index("Second")
    assert envoy.get_username() in html
    assert 'govuk-tag--orange">Challenge' in html and 'govuk-tag--grey">Comment' in html
    assert f'id="comment-{first.pk}"' in html


def test_the_form_is_offered_to_readers(board_member, programme):
    html = render_comments(board_member, programme)

    assert f'action="{programme_url(programme)}"' in html
    assert 'name="csrfmiddlewaretoken"' in html


def test_a_milestone_page_shows_only_its_comments(envoy, programme, milestone):
    CommentFactory(programme=programme, milestone=milestone, text="On the milestone")
    CommentFactory(programme=programme, text="On the programme")

    html = render_comments(envoy, programme, milestone)

    assert "On the milestone" in html and "On the programme" not in html
    assert f'action="{milestone_url(milestone)}"' in html


def test_a_comments_markup_is_escaped_and_its_lines_kept(client, envoy, programme):
    client.force_login(envoy)
    client.post(
        programme_url(programme),
        {"kind": "comment", "text": "<script>alert(1)</script>\nSecond line"},
    )

    html = render_comments(envoy, programme)

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;<br>Second line" in html


def test_markup_is_escaped_when_the_form_is_shown_again(client, envoy, programme):
    client.force_login(envoy)

    response = client.post(programme_url(programme), {"text": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
