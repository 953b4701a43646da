"""Dates entered after the event: a recommendation made at a past meeting is made on the
meeting's date, its response may be dated any day from then to today, and the day a
response is due follows its basis unless it was typed by hand."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.models import Recommendation
from boards.services import default_response_due
from interventions.models.valid_time import records_as_of
from tests.factories import BoardFactory, MeetingFactory, RecommendationFactory

D = datetime.date
pytestmark = pytest.mark.django_db


def _add_url(intervention, meeting=None):
    url = reverse("boards:recommendation_add", kwargs={"slug": intervention.slug})
    return f"{url}?meeting={meeting.pk}" if meeting else url


def _new(**more):
    return {
        "reference": "B-1",
        "source": "board",
        "title": "Publish the forward plan",
        "text": "Publish the forward plan each month.",
        **more,
    }


def _edit(client, recommendation, **changes):
    data = {
        "version": recommendation.version,
        "reference": recommendation.reference,
        "source": recommendation.source,
        "title": recommendation.title,
        "text": recommendation.text,
        "made_on": recommendation.made_on.isoformat(),
        "response_due": recommendation.response_due.isoformat()
        if recommendation.response_due
        else "",
        "meeting": recommendation.meeting_id or "",
        **changes,
    }
    url = reverse(
        "boards:recommendation_edit",
        kwargs={"slug": recommendation.intervention.slug, "pk": recommendation.pk},
    )
    return client.post(url, data)


# ------------------------------------------------------------- made on, from the meeting


def test_a_recommendation_added_from_a_past_meeting_is_made_on_the_meetings_date(
    client, intervention, improvement_team
):
    meeting = MeetingFactory(board__intervention=intervention, date=D(2025, 5, 12))
    client.force_login(improvement_team)

    page = client.get(_add_url(intervention, meeting)).content.decode()

    assert 'name="made_on" value="2025-05-12"' in page
    assert f'name="made_on" value="{timezone.localdate():%Y-%m-%d}"' not in page


def test_without_a_made_on_date_the_meetings_date_is_used(client, intervention, improvement_team):
    intervention.response_due_working_days = 10
    intervention.save()
    meeting = MeetingFactory(board__intervention=intervention, date=D(2025, 5, 12))
    client.force_login(improvement_team)

    response = client.post(_add_url(intervention), _new(meeting=meeting.pk, made_on=""))

    assert response.status_code == 302
    recommendation = Recommendation.objects.get(reference="B-1")
    assert recommendation.made_on == D(2025, 5, 12)
    assert recommendation.response_due == default_response_due(
        intervention, D(2025, 5, 12), meeting.board
    )
    # True from the day it was made, though recorded later.
    assert recommendation.history.get().valid_from == D(2025, 5, 12)


def test_a_recommendation_from_no_meeting_asks_for_its_date_and_is_not_saved(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)

    page = client.get(_add_url(intervention)).content.decode()
    assert 'name="made_on" value=' not in page

    response = client.post(_add_url(intervention), _new(source="peer_challenge", made_on=""))

    assert response.status_code == 200
    assert "Enter the date the recommendation was made" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_recommendation_cannot_be_made_in_the_future(client, intervention, improvement_team):
    client.force_login(improvement_team)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(_add_url(intervention), _new(made_on=tomorrow.isoformat()))

    assert "The date it was made cannot be in the future" in response.content.decode()
    assert not Recommendation.objects.exists()


def test_a_meeting_of_another_intervention_gives_no_date(
    client, intervention, other_intervention, improvement_team
):
    theirs = MeetingFactory(board__intervention=other_intervention, date=D(2025, 5, 12))
    client.force_login(improvement_team)

    page = client.get(_add_url(intervention, theirs)).content.decode()

    assert "2025-05-12" not in page


def test_adding_a_recommendation_is_refused_to_an_officer(client, intervention, officer):
    meeting = MeetingFactory(board__intervention=intervention, date=D(2025, 5, 12))
    client.force_login(officer)

    response = client.post(_add_url(intervention), _new(meeting=meeting.pk))

    assert response.status_code == 403
    assert not Recommendation.objects.exists()


def test_the_commissioners_secretariat_adds_one_from_a_past_board_meeting(
    client, commissioners, commissioner_personas
):
    meeting = commissioners.boards.get(key="irb").meetings.get(date=D(2025, 7, 14))
    client.force_login(commissioner_personas["improvement_team"])

    page = client.get(_add_url(commissioners, meeting)).content.decode()
    response = client.post(
        _add_url(commissioners), _new(reference="IRB-7", meeting=meeting.pk, made_on="")
    )

    assert 'name="made_on" value="2025-07-14"' in page
    assert "Envoy" not in page
    assert response.status_code == 302
    assert commissioners.recommendations.get(reference="IRB-7").made_on == D(2025, 7, 14)


# ---------------------------------------------------------------- responded on


def _respond(client, recommendation, day):
    url = reverse(
        "boards:recommendation_respond",
        kwargs={"slug": recommendation.intervention.slug, "pk": recommendation.pk},
    )
    return client.post(
        url,
        {
            "version": recommendation.version,
            "response": "Accepted.",
            "status": "accepted",
            "responded_on": day.isoformat() if day else "",
        },
    )


def test_a_response_may_be_dated_any_day_after_a_past_recommendation(
    client, intervention, improvement_team
):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 12))
    client.force_login(improvement_team)

    response = _respond(client, recommendation, D(2025, 5, 20))

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.responded_on == D(2025, 5, 20)
    assert recommendation.history.latest("history_id").valid_from == D(2025, 5, 20)


@pytest.mark.parametrize(
    ("day", "message"),
    [
        (D(2025, 5, 11), "The response cannot be before the recommendation was made"),
        (timezone.localdate() + datetime.timedelta(days=1), "cannot be in the future"),
    ],
)
def test_a_response_before_the_recommendation_or_in_the_future_is_refused(
    client, intervention, improvement_team, day, message
):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 12))
    client.force_login(improvement_team)

    response = _respond(client, recommendation, day)

    assert response.status_code == 200
    assert message in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.responded_on is None
    assert recommendation.version == 1


def test_the_response_form_says_which_days_it_accepts(client, intervention, improvement_team):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 12))
    client.force_login(improvement_team)
    url = reverse(
        "boards:recommendation_respond",
        kwargs={"slug": intervention.slug, "pk": recommendation.pk},
    )

    page = client.get(url).content.decode()

    assert "any day from 12 May 2025" in page


def test_a_response_is_refused_to_a_board_member(client, intervention, board_member):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 12))
    client.force_login(board_member)

    response = _respond(client, recommendation, D(2025, 5, 20))

    assert response.status_code == 403
    recommendation.refresh_from_db()
    assert recommendation.responded_on is None


def test_a_response_cannot_be_published_on_a_day_to_come(client, intervention, improvement_team):
    recommendation = RecommendationFactory(
        intervention=intervention,
        made_on=D(2025, 5, 12),
        response="Accepted.",
        responded_on=D(2025, 5, 20),
    )
    client.force_login(improvement_team)
    url = reverse(
        "boards:recommendation_publish", kwargs={"slug": intervention.slug, "pk": recommendation.pk}
    )
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)

    response = client.post(url, {"version": 1, "published_on": tomorrow.isoformat()}, follow=True)

    assert "cannot be in the future" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.published_on is None


# -------------------------------------------------------------------- response due


def test_clearing_response_due_recomputes_it_from_made_on(client, intervention, improvement_team):
    intervention.response_due_working_days = 10
    intervention.save()
    recommendation = RecommendationFactory(
        intervention=intervention, made_on=D(2025, 12, 19), response_due=D(2026, 3, 1)
    )
    client.force_login(improvement_team)

    response = _edit(client, recommendation, response_due="")

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.response_due == D(2026, 1, 7)


def test_changing_made_on_moves_a_due_date_the_rule_gave(client, intervention, improvement_team):
    intervention.response_due_working_days = 10
    intervention.save()
    recommendation = RecommendationFactory(
        intervention=intervention,
        made_on=D(2025, 12, 19),
        response_due=default_response_due(intervention, D(2025, 12, 19)),
    )
    client.force_login(improvement_team)

    _edit(client, recommendation, made_on="2025-04-14")

    recommendation.refresh_from_db()
    assert recommendation.response_due == default_response_due(intervention, D(2025, 4, 14))
    assert recommendation.response_due == D(2025, 4, 30)  # over Easter


def test_changing_made_on_keeps_a_due_date_typed_by_hand(client, intervention, improvement_team):
    recommendation = RecommendationFactory(
        intervention=intervention, made_on=D(2025, 12, 19), response_due=D(2026, 2, 27)
    )
    client.force_login(improvement_team)

    _edit(client, recommendation, made_on="2025-12-01")

    recommendation.refresh_from_db()
    assert recommendation.made_on == D(2025, 12, 1)
    assert recommendation.response_due == D(2026, 2, 27)


def test_moving_it_to_another_meeting_moves_the_rules_due_date(
    client, intervention, improvement_team
):
    intervention.response_due_rule = "next_board_meeting"
    intervention.save()
    board = BoardFactory(intervention=intervention, kind="tab")
    may, june, july = (MeetingFactory(board=board, date=D(2025, m, 12)) for m in (5, 6, 7))
    recommendation = RecommendationFactory(
        intervention=intervention,
        source="board",
        meeting=may,
        made_on=may.date,
        response_due=june.date,
    )
    client.force_login(improvement_team)

    _edit(client, recommendation, meeting=june.pk, made_on="")

    recommendation.refresh_from_db()
    assert recommendation.made_on == june.date
    assert recommendation.response_due == july.date


def test_made_on_cannot_move_after_the_response(client, intervention, improvement_team):
    recommendation = RecommendationFactory(
        intervention=intervention,
        made_on=D(2025, 5, 12),
        response_due=D(2025, 6, 1),
        response="Accepted.",
        responded_on=D(2025, 5, 20),
    )
    client.force_login(improvement_team)

    response = _edit(client, recommendation, made_on="2025-05-25")

    assert "response of 20 May 2025" in response.content.decode()
    recommendation.refresh_from_db()
    assert recommendation.made_on == D(2025, 5, 12)


def test_a_corrected_made_on_counts_from_the_corrected_day(client, intervention, improvement_team):
    recommendation = RecommendationFactory(
        intervention=intervention, made_on=D(2025, 6, 20), response_due=D(2025, 8, 1)
    )
    client.force_login(improvement_team)

    _edit(client, recommendation, made_on="2025-06-02")

    as_of = records_as_of(Recommendation, D(2025, 6, 10), intervention_id=intervention.pk)
    assert [record.id for record in as_of] == [recommendation.pk]
