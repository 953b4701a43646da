"""The improvement team records compliance with each Direction, and the evidence for it."""

import pytest
from django.test import Client
from django.urls import reverse

from directions.models import Direction
from tests.factories import DirectionFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def direction(intervention):
    return DirectionFactory(direction_set__intervention=intervention, compliance="not_assessed")


def edit_url(direction):
    return reverse(
        "directions:direction_edit", args=[direction.direction_set.intervention.slug, direction.pk]
    )


def post(direction, **changes):
    data = {"version": direction.version, "compliance": "met", "evidence": "CIP agreed 14 Apr"}
    data.update(changes)
    return data


@pytest.mark.parametrize("persona", ["improvement_team", "administrator"])
def test_the_improvement_team_records_compliance_with_its_reason(
    client, direction, persona, request
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    assert "Record compliance and evidence" in client.get(direction.get_absolute_url()).text

    response = client.post(edit_url(direction), post(direction, reason="Board minutes"))

    assert response.status_code == 302
    saved = Direction.objects.get(pk=direction.pk)
    assert (saved.compliance, saved.evidence, saved.version) == ("met", "CIP agreed 14 Apr", 2)
    latest = saved.history.first()
    assert (latest.history_user, latest.history_change_reason) == (user, "Board minutes")


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_others_cannot_record_compliance(client, direction, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert "Record compliance and evidence" not in client.get(direction.get_absolute_url()).text
    assert client.get(edit_url(direction)).status_code == 403
    assert client.post(edit_url(direction), post(direction)).status_code == 403
    assert Direction.objects.get(pk=direction.pk).compliance == "not_assessed"


def test_a_user_of_another_intervention_gets_404(client, direction, stranger):
    client.force_login(stranger)

    assert client.post(edit_url(direction), post(direction)).status_code == 404


def test_an_unknown_status_is_refused_and_changes_nothing(client, direction, improvement_team):
    client.force_login(improvement_team)

    response = client.post(edit_url(direction), post(direction, compliance="sort_of"))

    assert "There is a problem" in response.text
    assert Direction.objects.get(pk=direction.pk).compliance == "not_assessed"


def test_a_stale_edit_is_refused_with_their_change_shown(direction, improvement_team, intervention):
    colleague = UserFactory(role="Improvement team")
    PersonFactory(intervention=intervention, user=colleague)
    mine, theirs = Client(), Client()
    mine.force_login(improvement_team)
    theirs.force_login(colleague)

    theirs.post(edit_url(direction), post(direction, compliance="at_risk", evidence="Late"))
    response = mine.post(edit_url(direction), post(direction, evidence="My evidence"))

    assert "Compliance changed from Not assessed to At risk" in response.text
    assert "My evidence" in response.text
    assert Direction.objects.get(pk=direction.pk).evidence == "Late"
