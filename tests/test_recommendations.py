"""The recommendations register: when a response is due, recording and publishing the council's
response, overdue responses, versioned edits, and who may do what."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from boards.models import Recommendation
from boards.services import default_response_due
from interventions.kit.saving import StaleEdit
from interventions.models import Person
from tests.factories import (
    BoardFactory,
    MeetingFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    UserFactory,
)

D = datetime.date
pytestmark = pytest.mark.django_db


# --------------------------------------------------------------------- response due


@pytest.mark.parametrize(
    ("made_on", "days", "due"),
    [
        # Over Christmas, Boxing Day and New Year's Day 2026.
        (D(2025, 12, 19), 10, D(2026, 1, 7)),
        (D(2025, 12, 24), 3, D(2025, 12, 31)),
        # Over Good Friday and Easter Monday 2025.
        (D(2025, 4, 14), 5, D(2025, 4, 23)),
        # Over the early May and spring bank holidays 2025.
        (D(2025, 5, 2), 20, D(2025, 6, 3)),
    ],
)
def test_a_response_is_due_a_number_of_working_days_after_the_recommendation(
    intervention, made_on, days, due
):
    intervention.response_due_working_days = days

    assert default_response_due(intervention, made_on) == due


def test_a_response_is_due_by_the_next_board_meeting_when_the_intervention_says_so(intervention):
    intervention.response_due_rule = "next_board_meeting"
    tab = BoardFactory(intervention=intervention, kind="tab")
    other = BoardFactory(intervention=intervention, kind="audit_committee")
    MeetingFactory(board=tab, date=D(2025, 5, 12))
    MeetingFactory(board=other, date=D(2025, 5, 20))
    MeetingFactory(board=tab, date=D(2025, 6, 1), status="cancelled")
    MeetingFactory(board=tab, date=D(2025, 6, 12))

    assert default_response_due(intervention, D(2025, 5, 12)) == D(2025, 6, 12)
    assert default_response_due(intervention, D(2025, 5, 12), other) == D(2025, 5, 20)


def test_without_a_next_meeting_the_working_days_apply(intervention):
    intervention.response_due_rule = "next_board_meeting"
    intervention.response_due_working_days = 5
    MeetingFactory(board__intervention=intervention, board__kind="tab", date=D(2025, 4, 1))

    assert default_response_due(intervention, D(2025, 4, 14)) == D(2025, 4, 23)


def test_a_new_recommendation_without_a_due_date_gets_the_default(
    client, intervention, improvement_team
):
    intervention.response_due_working_days = 10
    intervention.save()
    client.force_login(improvement_team)

    response = client.post(
        reverse("boards:recommendation_add", kwargs={"slug": intervention.slug}),
        {
            "reference": "ENV-1",
            "source": "envoys_stocktake",
            "title": "Member behaviour",
            "text": "Agree a member code of conduct.",
            "made_on": "2025-12-19",
        },
    )

    assert response.status_code == 302
    recommendation = Recommendation.objects.get(reference="ENV-1")
    assert recommendation.response_due == D(2026, 1, 7)
    assert recommendation.history.get().history_change_reason == "Recommendation added"


def test_a_due_date_given_is_kept(client, intervention, improvement_team):
    client.force_login(improvement_team)
    client.post(
        reverse("boards:recommendation_add", kwargs={"slug": intervention.slug}),
        {
            "reference": "PC-1",
            "source": "peer_challenge",
            "title": "Timetable",
            "text": "Agree a timetable.",
            "made_on": "2025-05-01",
            "response_due": "2025-05-30",
        },
    )

    assert Recommendation.objects.get(reference="PC-1").response_due == D(2025, 5, 30)


def test_a_duplicate_reference_is_refused_and_nothing_is_saved(
    client, intervention, improvement_team
):
    RecommendationFactory(intervention=intervention, reference="EY-1")
    client.force_login(improvement_team)

    response = client.post(
        reverse("boards:recommendation_add", kwargs={"slug": intervention.slug}),
        {
            "reference": "EY-1",
            "source": "external_auditor",
            "title": "Accounts",
            "text": "Close the accounts.",
            "made_on": "2025-02-28",
        },
    )

    assert response.status_code == 200
    assert "Another recommendation has that reference" in response.content.decode()
    assert Recommendation.objects.filter(reference="EY-1").count() == 1


# ----------------------------------------------------------- recording and publishing


def test_publishing_needs_a_recorded_response(intervention):
    recommendation = RecommendationFactory(intervention=intervention)

    with pytest.raises(ValueError, match="Record the council's response"):
        recommendation.publish_response(on=D(2025, 6, 1), version=recommendation.version)

    recommendation.refresh_from_db()
    assert recommendation.published_on is None


def test_recording_then_publishing_a_response_is_audited_step_by_step(intervention):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 21))

    recommendation.record_response(
        response="Accepted.", status="accepted", responded_on=D(2025, 6, 2), version=1
    )
    assert recommendation.published_on is None
    recommendation.publish_response(on=D(2025, 6, 3), version=2)

    recommendation.refresh_from_db()
    assert recommendation.published_on == D(2025, 6, 3)
    reasons = list(
        recommendation.history.order_by("history_id").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons[-2:] == ["Council's response recorded", "Council's response published"]


def test_correcting_a_published_response_unpublishes_it(intervention):
    recommendation = RecommendationFactory(
        intervention=intervention,
        response="Accepted.",
        responded_on=D(2025, 6, 2),
        published_on=D(2025, 6, 3),
    )

    recommendation.record_response(
        response="Partly accepted.", status="partly_accepted", responded_on=D(2025, 6, 9), version=1
    )

    recommendation.refresh_from_db()
    assert recommendation.published_on is None


def test_a_stale_response_is_refused_and_changes_nothing(intervention):
    recommendation = RecommendationFactory(intervention=intervention)
    other_copy = Recommendation.objects.get(pk=recommendation.pk)
    recommendation.record_response(
        response="Accepted.", status="accepted", responded_on=D(2025, 6, 2), version=1
    )

    with pytest.raises(StaleEdit):
        other_copy.record_response(
            response="Not accepted.", status="not_accepted", responded_on=D(2025, 6, 2), version=1
        )

    recommendation.refresh_from_db()
    assert recommendation.response == "Accepted."


def test_a_stale_edit_in_the_browser_keeps_the_input_and_saves_nothing(
    client, intervention, improvement_team
):
    recommendation = RecommendationFactory(intervention=intervention, title="Old title")
    recommendation.title = "Someone else's title"
    recommendation.version = 2
    recommendation.save()
    client.force_login(improvement_team)

    response = client.post(
        reverse(
            "boards:recommendation_edit",
            kwargs={"slug": intervention.slug, "pk": recommendation.pk},
        ),
        {
            "version": 1,
            "reference": recommendation.reference,
            "source": recommendation.source,
            "title": "My title",
            "text": recommendation.text,
            "made_on": "2025-05-21",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in page
    assert 'value="My title"' in page
    recommendation.refresh_from_db()
    assert recommendation.title == "Someone else's title"


# -------------------------------------------------------------------------- overdue


def test_overdue_responses_stand_out_in_the_register(client, intervention, envoy):
    today = timezone.localdate()
    late = RecommendationFactory(
        intervention=intervention, reference="LATE-1", response_due=today - datetime.timedelta(1)
    )
    RecommendationFactory(
        intervention=intervention, reference="SOON-1", response_due=today + datetime.timedelta(5)
    )
    RecommendationFactory(
        intervention=intervention,
        reference="DONE-1",
        response_due=today - datetime.timedelta(5),
        response="Accepted.",
        responded_on=today - datetime.timedelta(6),
    )
    client.force_login(envoy)

    page = client.get(
        reverse("boards:recommendation_list", kwargs={"slug": intervention.slug})
    ).content.decode()

    # One tag (the filter form's "Response overdue" label is not a tag).
    assert page.count('govuk-tag--red">Response overdue') == 1
    assert "1 response overdue." in page
    row = page[page.index("LATE-1") :]
    assert row.index("Response overdue") < row.index("</tr>")
    assert list(Recommendation.objects.overdue(today)) == [late]


def test_the_recommendation_page_says_its_response_is_overdue(client, intervention, envoy):
    recommendation = RecommendationFactory(
        intervention=intervention, response_due=timezone.localdate() - datetime.timedelta(1)
    )
    client.force_login(envoy)

    page = client.get(recommendation.get_absolute_url()).content.decode()

    assert "The council's response is overdue" in page


# ---------------------------------------------------------------------- permissions


def test_only_the_secretariat_adds_and_edits_recommendations(
    client, intervention, improvement_team, officer, envoy, board_member, stranger
):
    recommendation = RecommendationFactory(intervention=intervention)
    urls = [
        reverse("boards:recommendation_add", kwargs={"slug": intervention.slug}),
        reverse(
            "boards:recommendation_edit",
            kwargs={"slug": intervention.slug, "pk": recommendation.pk},
        ),
    ]
    for user, status in [
        (improvement_team, 200),
        (officer, 403),
        (envoy, 403),
        (board_member, 403),
        (stranger, 404),
    ]:
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == status, (user, url)


def test_the_owner_records_and_publishes_the_response_other_officers_cannot(
    client, intervention, officer, envoy, board_member, stranger
):
    owner = Person.objects.get(user=officer)
    recommendation = RecommendationFactory(
        intervention=intervention,
        owner=owner,
        response="Accepted.",
        responded_on=D(2025, 6, 2),
        made_on=D(2025, 5, 21),
    )
    other_officer = UserFactory(role="Council officer")
    PersonFactory(intervention=intervention, user=other_officer)
    respond = reverse(
        "boards:recommendation_respond", kwargs={"slug": intervention.slug, "pk": recommendation.pk}
    )
    publish = reverse(
        "boards:recommendation_publish", kwargs={"slug": intervention.slug, "pk": recommendation.pk}
    )
    form = {"version": 1, "published_on": "2025-06-03"}

    for user, status in [(other_officer, 403), (envoy, 403), (board_member, 403), (stranger, 404)]:
        client.force_login(user)
        assert client.get(respond).status_code == status
        assert client.post(publish, form).status_code == status
    recommendation.refresh_from_db()
    assert recommendation.published_on is None

    client.force_login(officer)
    assert client.get(respond).status_code == 200
    assert client.post(publish, form).status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.published_on == D(2025, 6, 3)


def test_the_secretariat_may_respond_to_any_recommendation(client, intervention, improvement_team):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 21))
    client.force_login(improvement_team)

    response = client.post(
        reverse(
            "boards:recommendation_respond",
            kwargs={"slug": intervention.slug, "pk": recommendation.pk},
        ),
        {"version": 1, "response": "Accepted.", "status": "accepted", "responded_on": "2025-06-02"},
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.response == "Accepted."


def test_a_response_without_text_or_before_the_recommendation_is_refused(
    client, intervention, improvement_team
):
    recommendation = RecommendationFactory(intervention=intervention, made_on=D(2025, 5, 21))
    client.force_login(improvement_team)
    url = reverse(
        "boards:recommendation_respond", kwargs={"slug": intervention.slug, "pk": recommendation.pk}
    )

    response = client.post(
        url, {"version": 1, "response": "", "status": "accepted", "responded_on": "2025-05-01"}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Enter the council&#x27;s response" in page
    assert "The response cannot be before the recommendation was made" in page
    recommendation.refresh_from_db()
    assert recommendation.responded_on is None and recommendation.version == 1


def test_envoys_and_board_members_read_the_register_and_see_no_buttons(client, intervention, envoy):
    recommendation = RecommendationFactory(intervention=intervention)
    client.force_login(envoy)

    listing = client.get(reverse("boards:recommendation_list", kwargs={"slug": intervention.slug}))
    detail = client.get(recommendation.get_absolute_url())

    assert listing.status_code == 200 and detail.status_code == 200
    assert "Add a recommendation" not in listing.content.decode()
    assert "Record the council" not in detail.content.decode()


def test_the_secretariat_edits_a_recommendation_and_its_links_with_a_reason(
    client, intervention, improvement_team
):
    recommendation = RecommendationFactory(intervention=intervention, title="Old title")
    programme = ProgrammeFactory(intervention=intervention)
    milestone = MilestoneFactory(programme=programme)
    client.force_login(improvement_team)

    response = client.post(
        reverse(
            "boards:recommendation_edit",
            kwargs={"slug": intervention.slug, "pk": recommendation.pk},
        ),
        {
            "version": 1,
            "reference": recommendation.reference,
            "source": recommendation.source,
            "title": "New title",
            "text": recommendation.text,
            "made_on": "2025-05-21",
            "programmes": [programme.pk],
            "milestones": [milestone.pk],
            "reason": "Linked to the plan",
        },
    )

    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.title == "New title"
    assert recommendation.version == 2
    assert list(recommendation.milestones.all()) == [milestone]
    latest = recommendation.history.latest()
    assert latest.history_change_reason == "Linked to the plan"
    assert latest.history_user == improvement_team
    page = client.get(recommendation.get_absolute_url()).content.decode()
    assert "Linked to the plan" in page
    assert milestone.get_absolute_url() in page


def test_directions_programmes_and_key_activities_are_chosen_with_checkboxes(
    client, intervention, improvement_team
):
    """No multiple selects ("hold Ctrl"): checkboxes, and each can be ticked on its own."""
    programme = ProgrammeFactory(intervention=intervention)
    milestones = MilestoneFactory.create_batch(2, programme=programme)
    client.force_login(improvement_team)
    url = reverse("boards:recommendation_add", kwargs={"slug": intervention.slug})

    page = client.get(url).content.decode()
    response = client.post(
        url,
        {
            "reference": "ENV-2",
            "source": "envoys_stocktake",
            "title": "Member behaviour",
            "text": "Agree a member code of conduct.",
            "made_on": "2025-12-19",
            "programmes": [programme.pk],
            "milestones": [milestone.pk for milestone in milestones],
        },
    )

    assert "Hold Ctrl" not in page and not re.search(r"<select[^>]*multiple", page)
    for name, pk in [("programmes", programme.pk), ("milestones", milestones[0].pk)]:
        assert f'name="{name}" type="checkbox" value="{pk}"' in page
    assert response.status_code == 302
    recommendation = Recommendation.objects.get(reference="ENV-2")
    assert set(recommendation.milestones.all()) == set(milestones)
