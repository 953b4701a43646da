"""The improvement team, a programme's sponsor and its SRO delegate updating it to others."""

import datetime

import pytest
from django.urls import reverse

from interventions.models import Delegation
from tests.factories import (
    DelegationFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def programme(intervention):
    return ProgrammeFactory(aim__intervention=intervention)


@pytest.fixture
def sro(programme, officer):
    programme.sro = officer.people.get()
    programme.save()
    return officer


@pytest.fixture
def colleague(intervention):
    user = UserFactory(role="Council officer")
    PersonFactory(intervention=intervention, user=user, name="Colleague Officer")
    return user


def url(programme):
    return reverse(
        "interventions:programme_delegations", args=[programme.intervention.slug, programme.number]
    )


def edit_url(programme):
    return reverse(
        "interventions:programme_edit", args=[programme.intervention.slug, programme.number]
    )


def delegate(client, programme, person, **extra):
    data = {
        "person": person.pk,
        "milestone": "",
        "starts_on": "2025-01-22",
        "ends_on": "",
        "note": "",
    }
    data.update(extra)
    return client.post(url(programme), data)


@pytest.mark.parametrize("persona", ["sro", "improvement_team", "administrator"])
def test_those_in_charge_may_delegate_and_the_delegate_may_then_update(
    client, programme, colleague, persona, request
):
    client.force_login(colleague)
    assert client.get(edit_url(programme)).status_code == 403

    client.force_login(request.getfixturevalue(persona))
    response = delegate(client, programme, colleague.people.get())

    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert delegation.granted_by == request.getfixturevalue(persona)
    client.force_login(colleague)
    assert client.get(edit_url(programme)).status_code == 200


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_others_may_read_the_delegations_but_not_delegate(
    client, programme, colleague, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(url(programme))
    assert page.status_code == 200
    assert "Delegate</button>" not in page.text
    assert delegate(client, programme, colleague.people.get()).status_code == 403
    assert not Delegation.objects.exists()


def test_a_user_of_another_intervention_gets_404(client, programme, stranger):
    client.force_login(stranger)

    assert client.get(url(programme)).status_code == 404


def test_only_people_of_this_intervention_can_be_chosen(client, programme, sro, stranger):
    client.force_login(sro)

    response = delegate(client, programme, stranger.people.get())

    assert response.status_code == 200
    assert "Select a valid choice" in response.text
    assert not Delegation.objects.exists()


def test_a_milestone_of_another_programme_cannot_be_chosen(client, programme, sro, colleague):
    elsewhere = MilestoneFactory(programme__aim__intervention=programme.intervention)
    client.force_login(sro)

    response = delegate(client, programme, colleague.people.get(), milestone=elsewhere.pk)

    assert "Select a valid choice" in response.text
    assert not Delegation.objects.exists()


def test_an_ended_delegation_no_longer_lets_the_delegate_update(client, programme, sro, colleague):
    delegation = DelegationFactory(
        programme=programme, person=colleague.people.get(), starts_on=datetime.date(2025, 1, 22)
    )
    end = reverse(
        "interventions:end_delegation",
        args=[programme.intervention.slug, programme.number, delegation.pk],
    )
    client.force_login(sro)

    refused = client.post(end, {"ends_on": "2025-01-01"})
    assert "The last day must be on or after the first." in refused.text
    client.post(end, {"ends_on": "2025-02-28"})

    delegation.refresh_from_db()
    assert delegation.ends_on == datetime.date(2025, 2, 28)
    assert delegation.history.first().history_change_reason == "Delegation ended"
    client.force_login(colleague)
    assert client.get(edit_url(programme)).status_code == 403


def test_only_those_in_charge_may_end_a_delegation(client, programme, colleague, envoy):
    delegation = DelegationFactory(programme=programme, person=colleague.people.get())
    end = reverse(
        "interventions:end_delegation",
        args=[programme.intervention.slug, programme.number, delegation.pk],
    )
    client.force_login(envoy)

    assert client.post(end, {"ends_on": "2025-02-28"}).status_code == 403
    delegation.refresh_from_db()
    assert delegation.ends_on is None
