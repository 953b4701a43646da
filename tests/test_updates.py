"""Officers update programmes and milestones; slips and scope changes go through change
control; a stale edit is refused without losing input."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from interventions.choices import ChangeStatus
from interventions.models import ChangeRequest, Milestone, Programme
from tests.factories import DelegationFactory, MilestoneFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def milestone(intervention):
    return MilestoneFactory(
        programme__aim__intervention=intervention,
        start_as_written="Apr 2025",
        end_as_written="Sept 2025",
        rag="green",
    )


@pytest.fixture
def programme(milestone):
    return milestone.programme


@pytest.fixture
def sro(programme, officer):
    """The officer persona, made SRO of the programme."""
    programme.sro = officer.people.get()
    programme.save()
    return officer


def edit_url(milestone):
    slug = milestone.programme.intervention.slug
    return reverse("interventions:milestone_edit", args=[slug, milestone.pk])


def programme_edit_url(programme):
    return reverse(
        "interventions:programme_edit", args=[programme.intervention.slug, programme.number]
    )


def milestone_post(milestone, **changes):
    data = {
        "version": milestone.version,
        "status": "in_progress",
        "rag": "amber",
        "percent_complete": 40,
        "forecast_start": "",
        "forecast_end": "",
        "commentary": "Consultation closed.",
        "next_steps": "Report to Cabinet.",
        "reason": "",
    }
    data.update(changes)
    return data


# ------------------------------------------------------------------------------ permissions


@pytest.mark.parametrize("persona", ["improvement_team", "administrator", "sro"])
def test_those_who_may_update_a_milestone_can(client, milestone, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(edit_url(milestone)).status_code == 200
    response = client.post(edit_url(milestone), milestone_post(milestone))

    assert response.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).rag == "amber"


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_others_in_the_intervention_are_refused_and_nothing_changes(
    client, milestone, persona, request
):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(edit_url(milestone)).status_code == 403
    assert client.post(edit_url(milestone), milestone_post(milestone)).status_code == 403
    assert Milestone.objects.get(pk=milestone.pk).rag == "green"


def test_a_user_of_another_intervention_gets_404(client, milestone, stranger):
    client.force_login(stranger)

    assert client.post(edit_url(milestone), milestone_post(milestone)).status_code == 404
    assert client.get(programme_edit_url(milestone.programme)).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(client, milestone):
    response = client.get(edit_url(milestone))

    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_the_sponsor_may_update_the_programme(client, programme, officer):
    programme.sponsor = officer.people.get()
    programme.save()
    client.force_login(officer)

    response = client.post(
        programme_edit_url(programme),
        {"version": 1, "status": "in_progress", "phase": "delivery", "rag": "red", "reason": ""},
    )

    assert response.status_code == 302
    saved = Programme.objects.get(pk=programme.pk)
    assert saved.phase == "delivery"
    # The RAG and status are set in the quarter's update, never on this page.
    assert (saved.rag, saved.status) == (programme.rag, programme.status)


def test_the_programme_page_says_where_rag_is_set(client, programme, officer):
    programme.sponsor = officer.people.get()
    programme.save()
    client.force_login(officer)

    page = client.get(programme_edit_url(programme)).content.decode()

    assert 'name="rag"' not in page
    assert 'name="status"' not in page
    assert "set in the programme's quarterly update" in page
    assert "/updates/" in page


def test_a_delegation_lets_an_officer_update_while_it_lasts(client, programme, officer):
    person = officer.people.get()
    delegation = DelegationFactory(programme=programme, person=person)
    client.force_login(officer)
    assert client.get(programme_edit_url(programme)).status_code == 200

    delegation.ends_on = datetime.date(2025, 1, 31)
    delegation.save()
    assert client.get(programme_edit_url(programme)).status_code == 403


def test_a_milestone_delegation_covers_that_milestone_only(client, milestone, officer):
    other = MilestoneFactory(programme=milestone.programme)
    DelegationFactory(
        programme=milestone.programme, milestone=milestone, person=officer.people.get()
    )
    client.force_login(officer)

    assert client.get(edit_url(milestone)).status_code == 200
    assert client.get(edit_url(other)).status_code == 403
    assert client.get(programme_edit_url(milestone.programme)).status_code == 403


def test_the_update_button_shows_only_to_those_who_may_update(client, milestone, sro, envoy):
    page = milestone.get_absolute_url()
    client.force_login(sro)
    assert "Update this milestone" in client.get(page).text
    client.force_login(envoy)
    assert "Update this milestone" not in client.get(page).text


# ------------------------------------------------------------------------------ updating


def test_an_update_is_saved_with_its_reason_and_who_made_it(client, milestone, sro):
    client.force_login(sro)

    client.post(edit_url(milestone), milestone_post(milestone, reason="Supplier late"))

    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.rag, saved.percent_complete, saved.version) == ("amber", 40, 2)
    assert saved.commentary == "Consultation closed."
    latest = saved.history.first()
    assert latest.history_user == sro
    assert latest.history_change_reason == "Supplier late"


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"percent_complete": 150}, "percent_complete", "less than or equal to 100"),
        (
            {"forecast_start": "2025-09-01", "forecast_end": "2025-08-01"},
            "forecast_end",
            "must be on or after the start",
        ),
        ({"status": "complete", "percent_complete": 90}, "percent_complete", "100% complete"),
        ({"status": "cancelled"}, "status", "Select a valid choice"),
        ({"rag": "purple"}, "rag", "Select a valid choice"),
    ],
)
def test_bad_input_is_shown_with_its_error_and_changes_nothing(
    client, milestone, sro, changes, field, message
):
    client.force_login(sro)

    response = client.post(edit_url(milestone), milestone_post(milestone, **changes))

    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert message in response.text
    assert f'id="id_{field}-error"' in response.text
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.rag, saved.version, saved.history.count()) == ("green", 1, 1)


def test_the_rag_choices_show_their_definitions(client, milestone, sro):
    client.force_login(sro)

    page = client.get(edit_url(milestone)).text

    assert "Off track: needs decisions or help from outside the programme." in page
    assert 'class="govuk-radios__input"' in page


# ------------------------------------------------------------------------------ change control


def test_a_slip_past_the_baseline_needs_a_reason(client, milestone, sro):
    client.force_login(sro)

    response = client.post(
        edit_url(milestone), milestone_post(milestone, forecast_end="2025-12-31")
    )

    assert response.status_code == 200
    assert "Say why the forecast end moves past the baseline end (30 Sep 2025)" in response.text
    assert not ChangeRequest.objects.exists()
    assert Milestone.objects.get(pk=milestone.pk).forecast_end is None


def test_a_slip_with_a_reason_is_saved_and_waits_for_approval(client, milestone, sro):
    client.force_login(sro)

    response = client.post(
        edit_url(milestone),
        milestone_post(milestone, forecast_end="2025-12-31", reason="Consultation extended"),
        follow=True,
    )

    assert "now waits for the improvement team" in response.text
    saved = Milestone.objects.get(pk=milestone.pk)
    assert saved.forecast_end == datetime.date(2025, 12, 31)
    assert saved.baseline_end == datetime.date(2025, 9, 30)
    change = ChangeRequest.objects.get()
    assert (change.kind, change.status, change.proposed_end) == (
        "end_date",
        "pending",
        datetime.date(2025, 12, 31),
    )
    assert change.reason == "Consultation extended"
    assert "Change awaiting a decision" in response.text


def test_a_second_slip_revises_the_pending_request_instead_of_adding_one(client, milestone, sro):
    client.force_login(sro)
    client.post(
        edit_url(milestone), milestone_post(milestone, forecast_end="2025-12-31", reason="A")
    )
    milestone.refresh_from_db()

    client.post(
        edit_url(milestone), milestone_post(milestone, forecast_end="2026-01-31", reason="B")
    )

    change = ChangeRequest.objects.get()
    assert (change.proposed_end, change.reason) == (datetime.date(2026, 1, 31), "B")


def decide(client, change, decision, note=""):
    url = reverse(
        "interventions:change_request_detail",
        args=[change.milestone.programme.intervention.slug, change.pk],
    )
    return client.post(url, {"decision": decision, "note": note}, follow=True)


@pytest.fixture
def slip(client, milestone, sro):
    client.force_login(sro)
    client.post(
        edit_url(milestone),
        milestone_post(milestone, forecast_end="2025-12-31", reason="Consultation extended"),
    )
    client.logout()
    return ChangeRequest.objects.get()


def test_approval_rebaselines_and_keeps_the_old_baseline(client, slip, improvement_team):
    client.force_login(improvement_team)

    response = decide(client, slip, "approve", "Agreed at IAB")

    assert "Change request approved" in response.text
    slip.refresh_from_db()
    milestone = slip.milestone
    milestone.refresh_from_db()
    assert milestone.baseline_end == datetime.date(2025, 12, 31)
    assert slip.baseline_before == datetime.date(2025, 9, 30)
    assert (slip.status, slip.decided_by, slip.decision_note) == (
        "approved",
        improvement_team,
        "Agreed at IAB",
    )
    baselines = list(milestone.history.values_list("baseline_end", flat=True))
    assert baselines[0] == datetime.date(2025, 12, 31)
    assert datetime.date(2025, 9, 30) in baselines[1:]
    assert milestone.history.first().history_change_reason.startswith("Change request approved")


def test_rejection_needs_a_note_and_leaves_the_baseline(client, slip, improvement_team):
    client.force_login(improvement_team)

    without = decide(client, slip, "reject")
    assert "Say why the request is rejected." in without.text
    assert ChangeRequest.objects.get().status == "pending"

    decide(client, slip, "reject", "Not evidenced")
    slip.refresh_from_db()
    assert slip.status == "rejected"
    slip.milestone.refresh_from_db()
    assert slip.milestone.baseline_end == datetime.date(2025, 9, 30)


@pytest.mark.parametrize("persona", ["sro", "envoy", "board_member"])
def test_only_the_improvement_team_decides(client, slip, persona, request):
    client.force_login(request.getfixturevalue(persona))

    page = client.get(
        reverse(
            "interventions:change_request_detail",
            args=[slip.milestone.programme.intervention.slug, slip.pk],
        )
    )
    assert page.status_code == 200
    assert "Record the decision" not in page.text
    assert decide(client, slip, "approve").status_code == 403
    assert ChangeRequest.objects.get().status == ChangeStatus.PENDING


def test_a_decided_request_cannot_be_decided_again(client, slip, improvement_team):
    client.force_login(improvement_team)
    decide(client, slip, "approve")

    response = decide(client, slip, "reject", "Changed my mind")

    assert ChangeRequest.objects.get().status == "approved"
    assert "Record the decision" not in response.text


def test_a_scope_change_applies_only_when_approved(client, milestone, sro, improvement_team):
    client.force_login(sro)
    url = reverse(
        "interventions:change_request_new",
        args=[milestone.programme.intervention.slug, milestone.pk],
    )
    empty = client.post(url, {"kind": "scope", "reason": "Narrower", "proposed_title": ""})
    assert "Give the new title, the new steps, or both." in empty.text
    client.post(url, {"kind": "scope", "reason": "Narrower", "proposed_title": "Pilot in one ward"})
    assert Milestone.objects.get(pk=milestone.pk).title == milestone.title

    client.force_login(improvement_team)
    decide(client, ChangeRequest.objects.get(), "approve")

    assert Milestone.objects.get(pk=milestone.pk).title == "Pilot in one ward"


def test_closing_early_cancels_the_milestone_when_approved(
    client, milestone, sro, improvement_team
):
    client.force_login(sro)
    url = reverse(
        "interventions:change_request_new",
        args=[milestone.programme.intervention.slug, milestone.pk],
    )
    client.post(url, {"kind": "close_early", "reason": "Superseded by 7.2"})
    client.force_login(improvement_team)

    decide(client, ChangeRequest.objects.get(), "approve")

    assert Milestone.objects.get(pk=milestone.pk).status == "cancelled"


def test_the_change_request_list_shows_pending_first(client, slip, improvement_team, milestone):
    decided = ChangeRequest.objects.create(
        milestone=milestone,
        kind="scope",
        reason="Old one",
        requested_by=improvement_team,
        status="rejected",
    )
    client.force_login(improvement_team)
    url = reverse("interventions:change_request_list", args=[milestone.programme.intervention.slug])

    default = client.get(url).text
    everything = client.get(url, {"status": ""}).text

    assert "Consultation extended" in default and "Old one" not in default
    assert "Old one" in everything and decided.reason in everything


def test_the_change_request_list_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, improvement_team, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def add(count):
        for _ in range(count):
            ChangeRequest.objects.create(
                milestone=MilestoneFactory(programme__aim__intervention=intervention),
                kind="end_date",
                proposed_end=datetime.date(2026, 1, 1),
                reason="Slip",
                requested_by=improvement_team,
            )

    client.force_login(improvement_team)
    url = reverse("interventions:change_request_list", args=[intervention.slug])
    add(1)
    with CaptureQueriesContext(connection) as once:
        client.get(url)
    add(9)
    with CaptureQueriesContext(connection) as ten:
        client.get(url)
    assert len(ten) == len(once)


# ------------------------------------------------------------------------------ stale edits


def test_a_stale_edit_is_refused_with_their_changes_and_my_input_kept(milestone, sro, intervention):
    colleague = UserFactory(role="Council officer")
    PersonFactory(intervention=intervention, user=colleague)
    milestone.programme.sponsor = colleague.people.get()
    milestone.programme.save()
    mine, theirs = Client(), Client()
    mine.force_login(sro)
    theirs.force_login(colleague)
    mine.get(edit_url(milestone))  # both open the form at version 1
    theirs.get(edit_url(milestone))

    theirs.post(edit_url(milestone), milestone_post(milestone, rag="red", percent_complete=60))
    response = mine.post(
        edit_url(milestone), milestone_post(milestone, commentary="My careful words")
    )

    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in response.text
    assert "RAG changed from Green to Red" in response.text
    assert "Percent complete changed from 0 to 60" in response.text
    assert "My careful words" in response.text
    saved = Milestone.objects.get(pk=milestone.pk)
    assert (saved.rag, saved.commentary, saved.version) == ("red", "Consultation closed.", 2)
    # Having read their changes, saving again applies mine on top.
    assert 'name="version" value="2"' in response.text
    again = mine.post(
        edit_url(milestone),
        milestone_post(saved, commentary="My careful words"),
    )
    assert again.status_code == 302
    assert Milestone.objects.get(pk=milestone.pk).commentary == "My careful words"
