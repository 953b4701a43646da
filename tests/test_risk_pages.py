"""The RAID log's pages: who may do what (allowed and refused), what they show, the heat map,
and the queries of the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.kit.kept import forget_all
from interventions.models import Mitigation, Risk
from tests.factories import (
    MitigationFactory,
    PersonFactory,
    ProgrammeFactory,
    RiskFactory,
    StrategicAimFactory,
)

D = datetime.date


@pytest.fixture
def owned(intervention, officer):
    """A risk owned by the officer."""
    return RiskFactory(intervention=intervention, owner=officer.people.get())


def url(name, risk, **more):
    return reverse(name, kwargs={"slug": risk.intervention.slug, "pk": risk.pk, **more})


def list_url(intervention, name="interventions:risk_list"):
    return reverse(name, kwargs={"slug": intervention.slug})


def risk_data(**over):
    data = {
        "kind": "risk",
        "reference": "",
        "title": "Finance staff leave before the new system is in",
        "description": "Turnover in the finance team.",
        "cause": "Market pay",
        "effect": "The closedown slips",
        "programme": "",
        "depends_on_programme": "",
        "depends_on_body": "",
        "owner": "",
        "inherent_likelihood": "4",
        "inherent_impact": "5",
        "residual_likelihood": "3",
        "residual_impact": "5",
        "raised_on": "2025-05-01",
        "review_on": "2025-08-01",
        "source": "CIP 2025, risks to delivery",
        "version": "1",
    }
    data.update(over)
    return data


def review_data(**over):
    data = {
        "reviewed_on": "2025-08-01",
        "residual_likelihood": "2",
        "residual_impact": "4",
        "review_on": "2025-11-01",
        "note": "Two posts filled.",
        "version": "1",
    }
    data.update(over)
    return data


# Adding and editing


def test_the_improvement_team_adds_a_risk_and_it_is_scored(client, intervention, improvement_team):
    client.force_login(improvement_team)
    response = client.post(list_url(intervention, "interventions:risk_create"), risk_data())
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.reference, risk.score, risk.band, risk.inherent_score) == ("R1", 15, "red", 20)
    assert risk.history.get().history_user == improvement_team


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_others_may_not_add_risks(client, intervention, persona, request):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(list_url(intervention, "interventions:risk_create"), risk_data())
    assert response.status_code == 403
    assert not Risk.objects.exists()


def test_the_owner_edits_their_risk(client, officer, owned):
    client.force_login(officer)
    response = client.post(
        url("interventions:risk_edit", owned),
        risk_data(owner=owned.owner_id, title="Renamed", raised_on="2025-04-01"),
    )
    assert response.status_code == 302
    owned.refresh_from_db()
    assert (owned.title, owned.version) == ("Renamed", 2)


@pytest.mark.parametrize("persona", ["envoy", "board_member"])
def test_the_oversight_and_the_board_read_but_do_not_update(client, persona, request, owned):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(owned.get_absolute_url()).status_code == 200
    for name in ("risk_edit", "risk_review", "risk_close", "mitigation_add"):
        assert client.post(url(f"interventions:{name}", owned), {}).status_code == 403
    assert "Record a review" not in client.get(owned.get_absolute_url()).content.decode()


def test_another_officer_may_not_update_the_risk(client, intervention, owned):
    from interventions.access import roles
    from tests.factories import UserFactory

    other = UserFactory(role=roles.COUNCIL_OFFICER)
    PersonFactory(intervention=intervention, user=other)
    client.force_login(other)
    response = client.post(url("interventions:risk_review", owned), review_data())
    assert response.status_code == 403
    owned.refresh_from_db()
    assert owned.score == 9


@pytest.mark.parametrize(
    "over, field, message",
    [
        ({"kind": "dependency"}, "depends_on_programme", "Say what it depends on"),
        ({"depends_on_body": "DLUHC"}, "kind", "Only a dependency depends on"),
        ({"residual_impact": "6"}, "residual_impact", "Select a valid choice"),
        ({"review_on": "2025-04-01"}, "review_on", "cannot be before the day it was raised"),
        ({"raised_on": "2999-01-01"}, "raised_on", "cannot be in the future"),
    ],
)
def test_bad_risks_are_refused_with_a_message(
    client, intervention, improvement_team, over, field, message
):
    client.force_login(improvement_team)
    response = client.post(list_url(intervention, "interventions:risk_create"), risk_data(**over))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors[field])
    assert not Risk.objects.exists()


def test_a_dependency_on_another_programme(client, intervention, improvement_team):
    aim = StrategicAimFactory(intervention=intervention)
    one, two = ProgrammeFactory(aim=aim), ProgrammeFactory(aim=aim)
    client.force_login(improvement_team)
    response = client.post(
        list_url(intervention, "interventions:risk_create"),
        risk_data(kind="dependency", programme=one.pk, depends_on_programme=two.pk),
    )
    assert response.status_code == 302
    risk = Risk.objects.get()
    assert (risk.reference, risk.depends_on_programme) == ("D1", two)
    text = client.get(risk.get_absolute_url()).content.decode()
    assert "Depends on" in text and two.title in text
    same = client.post(
        list_url(intervention, "interventions:risk_create"),
        risk_data(kind="dependency", programme=one.pk, depends_on_programme=one.pk),
    )
    assert "cannot depend on itself" in str(same.context["form"].errors)


def test_another_interventions_programme_cannot_be_chosen(
    client, intervention, other_intervention, improvement_team
):
    foreign = ProgrammeFactory(aim=StrategicAimFactory(intervention=other_intervention))
    client.force_login(improvement_team)
    response = client.post(
        list_url(intervention, "interventions:risk_create"), risk_data(programme=foreign.pk)
    )
    assert response.status_code == 200
    assert "programme" in response.context["form"].errors


def test_a_reference_used_twice_is_refused(client, intervention, improvement_team, owned):
    client.force_login(improvement_team)
    response = client.post(
        list_url(intervention, "interventions:risk_create"), risk_data(reference=owned.reference)
    )
    assert "already the reference" in str(response.context["form"].errors["reference"])


# Reviewing and closing


def test_the_owner_reviews_and_the_history_says_so(client, officer, owned):
    client.force_login(officer)
    response = client.post(url("interventions:risk_review", owned), review_data())
    assert response.status_code == 302
    owned.refresh_from_db()
    assert (owned.score, owned.band, owned.last_reviewed_on, owned.review_on) == (
        8,
        "amber",
        D(2025, 8, 1),
        D(2025, 11, 1),
    )
    record = owned.history.latest("history_date")
    assert record.history_change_reason == "Reviewed 1 Aug 2025: Two posts filled."
    assert record.valid_from == D(2025, 8, 1)
    text = client.get(owned.get_absolute_url()).content.decode()
    assert "Reviewed 1 Aug 2025: Two posts filled." in text
    assert "Residual likelihood: 3 Possible → 2 Unlikely" in text or "Residual likelihood" in text
    assert "took effect 1 Aug 2025" in text


def test_a_review_needs_a_later_next_review(client, officer, owned):
    client.force_login(officer)
    response = client.post(
        url("interventions:risk_review", owned), review_data(review_on="2025-07-01")
    )
    assert response.status_code == 200
    assert "must be after this one" in str(response.context["form"].errors["review_on"])
    owned.refresh_from_db()
    assert owned.score == 9


def test_a_stale_review_is_refused(client, officer, improvement_team, owned):
    client.force_login(improvement_team)
    client.post(url("interventions:risk_review", owned), review_data())
    client.force_login(officer)
    response = client.post(
        url("interventions:risk_review", owned), review_data(residual_impact="1", version="1")
    )
    assert response.status_code == 200
    assert response.context["stale"] is not None
    owned.refresh_from_db()
    assert owned.residual_impact == 4


def test_closing_a_risk(client, officer, owned):
    client.force_login(officer)
    response = client.post(
        url("interventions:risk_close", owned),
        {"closed_on": "2025-09-01", "closure_note": "Posts filled", "version": "1"},
    )
    assert response.status_code == 302
    owned.refresh_from_db()
    assert (owned.status, owned.closed_on) == ("closed", D(2025, 9, 1))
    refused = client.post(
        url("interventions:risk_close", owned),
        {"closed_on": "2025-09-02", "closure_note": "Again", "version": "2"},
    )
    assert refused.status_code == 302
    owned.refresh_from_db()
    assert owned.closed_on == D(2025, 9, 1)


def test_closing_needs_a_reason(client, officer, owned):
    client.force_login(officer)
    response = client.post(
        url("interventions:risk_close", owned),
        {"closed_on": "2025-09-01", "closure_note": "", "version": "1"},
    )
    assert response.status_code == 200
    owned.refresh_from_db()
    assert owned.status == "open"


# Mitigations


def test_the_owner_adds_and_completes_a_mitigation(client, officer, owned):
    client.force_login(officer)
    response = client.post(
        url("interventions:mitigation_add", owned),
        {"action": "Recruit two accountants", "owner": "", "due_on": "2025-09-30", "version": "1"},
    )
    assert response.status_code == 302
    mitigation = Mitigation.objects.get()
    response = client.post(
        url("interventions:mitigation_edit", owned, mitigation=mitigation.pk),
        {
            "action": "Recruit two accountants",
            "owner": "",
            "due_on": "2025-09-30",
            "done_on": "2025-09-15",
            "version": "1",
        },
    )
    assert response.status_code == 302
    mitigation.refresh_from_db()
    assert mitigation.done_on == D(2025, 9, 15)
    text = client.get(owned.get_absolute_url()).content.decode()
    assert "Recruit two accountants" in text and "15 Sep 2025" in text


def test_a_mitigation_of_another_risk_is_not_found(client, improvement_team, owned):
    other = MitigationFactory(risk=RiskFactory(intervention=owned.intervention))
    client.force_login(improvement_team)
    response = client.get(url("interventions:mitigation_edit", owned, mitigation=other.pk))
    assert response.status_code == 404


# The list, the heat map


def test_the_list_filters_by_band_and_overdue_review(client, intervention, officer):
    red = RiskFactory(intervention=intervention, residual_likelihood=5, residual_impact=4)
    late = RiskFactory(intervention=intervention, review_on=D(2025, 1, 1))
    client.force_login(officer)
    page = client.get(list_url(intervention), {"band": "red"})
    assert list(page.context["table"].data) == [red]
    page = client.get(list_url(intervention), {"review": "overdue"})
    assert list(page.context["table"].data) == [late]
    assert "Overdue" in page.content.decode()
    plan_wide = client.get(list_url(intervention), {"programme": "null"})
    assert set(plan_wide.context["table"].data) == {red, late}


def test_the_heat_map_is_a_table_with_counts_and_bands_in_words(client, intervention, officer):
    RiskFactory(intervention=intervention, residual_likelihood=5, residual_impact=4)
    RiskFactory(intervention=intervention, residual_likelihood=5, residual_impact=4)
    RiskFactory(intervention=intervention, residual_likelihood=1, residual_impact=2)
    client.force_login(officer)
    page = client.get(list_url(intervention, "interventions:risk_heatmap"))
    text = page.content.decode()
    residual = page.context["residual"]
    cell = residual.rows[1].cells[4]  # impact 4, likelihood 5
    assert (cell.count, cell.band_name, cell.score) == (2, "Red", 20)
    assert 'govuk-table__header--numeric">Likelihood 5 Almost certain</th>' in text
    assert '<th scope="row" class="govuk-table__header">Impact 4 Major</th>' in text
    assert "Red 20" in text
    assert "3 open in all: 2 red, 0 amber, 1 green." in text
    assert "likelihood=5&amp;impact=4" in text


def test_the_heat_map_as_of_an_earlier_day(client, intervention, officer, owned):
    client.force_login(officer)
    later = RiskFactory(intervention=intervention, raised_on=D(2025, 10, 1))
    page = client.get(list_url(intervention, "interventions:risk_heatmap"), {"as_of": "2025-06-01"})
    assert page.context["residual"].total == 1
    assert [row["risk"].id for row in page.context["top"]] == [owned.pk]
    assert later.pk


def test_user_text_is_escaped(client, officer, intervention):
    risk = RiskFactory(intervention=intervention, title="<script>alert(1)</script>")
    client.force_login(officer)
    for address in (risk.get_absolute_url(), list_url(intervention)):
        text = client.get(address).content.decode()
        assert "<script>alert(1)</script>" not in text
        assert "&lt;script&gt;" in text


def test_a_stranger_cannot_see_the_log(client, stranger, owned):
    client.force_login(stranger)
    assert client.get(owned.get_absolute_url()).status_code == 404
    assert client.get(list_url(owned.intervention)).status_code == 404


def grow(intervention, n):
    aim = StrategicAimFactory(intervention=intervention)
    for _ in range(n):
        programme = ProgrammeFactory(aim=aim)
        risk = RiskFactory(intervention=intervention, programme=programme)
        MitigationFactory(risk=risk)


def count_queries(client, address):
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_makes_the_same_queries_at_ten_times_the_risks(client, intervention, officer):
    client.force_login(officer)
    address = list_url(intervention)
    grow(intervention, 1)
    once = count_queries(client, address)
    grow(intervention, 9)
    assert count_queries(client, address) == once
    assert once <= 12


def test_the_heat_map_makes_the_same_queries_at_ten_times_the_risks(client, intervention, officer):
    client.force_login(officer)
    address = list_url(intervention, "interventions:risk_heatmap")
    grow(intervention, 1)
    once = count_queries(client, address)
    grow(intervention, 9)
    assert count_queries(client, address) == once


def test_the_detail_makes_the_same_queries_at_ten_times_the_mitigations(client, officer, owned):
    client.force_login(officer)
    MitigationFactory(risk=owned)
    once = count_queries(client, owned.get_absolute_url())
    for _ in range(9):
        MitigationFactory(risk=owned)
    assert count_queries(client, owned.get_absolute_url()) == once


def test_the_add_form_starts_at_today_and_asks_for_every_score(
    client, intervention, improvement_team
):
    from django.utils import timezone

    client.force_login(improvement_team)
    text = client.get(list_url(intervention, "interventions:risk_create")).content.decode()
    assert f'value="{timezone.localdate().isoformat()}"' in text
    response = client.post(
        list_url(intervention, "interventions:risk_create"), risk_data(inherent_impact="")
    )
    assert "inherent_impact" in response.context["form"].errors
    assert not Risk.objects.exists()


def test_the_review_form_asks_for_the_day_first_and_a_new_next_review(client, officer, owned):
    client.force_login(officer)
    form = client.get(url("interventions:risk_review", owned)).context["form"]
    assert list(form.fields)[:4] == [
        "reviewed_on",
        "residual_likelihood",
        "residual_impact",
        "review_on",
    ]
    assert form.initial["review_on"] is None
    assert form.initial["residual_likelihood"] == owned.residual_likelihood
