"""The success measures' pages: who may do what (allowed and refused), what they show, and
the queries of the list."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.choices import MeasureAgreement
from interventions.kit.kept import forget_all
from interventions.models import Measure, MeasureReading, Theme
from tests.factories import (
    MeasureFactory,
    MeasureReadingFactory,
    PersonFactory,
    ProgrammeFactory,
    StrategicAimFactory,
)

D = datetime.date


@pytest.fixture
def owned(intervention, officer):
    """A measure owned by the officer."""
    return MeasureFactory(intervention=intervention, owner=officer.people.get())


def url(name, measure, **more):
    return reverse(name, kwargs={"slug": measure.intervention.slug, "pk": measure.pk, **more})


def reading_data(**over):
    data = {
        "taken_on": "2025-10-01",
        "value": "72",
        "commentary": "Up after the new triage.",
        "evidence_url": "https://example.org/complaints-q2",
        "version": "1",
    }
    data.update(over)
    return data


def test_the_owner_enters_a_reading_and_the_rag_follows(client, officer, owned):
    client.force_login(officer)
    detail = client.get(url("interventions:measure_detail", owned), {"as_of": "2025-10-01"})
    assert "No reading yet" in detail.content.decode()
    response = client.post(url("interventions:reading_add", owned), reading_data())
    assert response.status_code == 302
    reading = owned.readings.get()
    assert (reading.value, reading.history.get().history_user) == (72, officer)
    page = client.get(url("interventions:measure_detail", owned), {"as_of": "2025-10-01"})
    text = page.content.decode()
    assert "Green: on or ahead of trajectory" in text
    assert "18% still to go" in text  # target 90%
    assert "<svg" in text and "72%" in text


def test_another_officer_may_not_enter_a_reading(client, intervention, owned):
    from interventions.access import roles
    from tests.conftest import _member

    other = _member(intervention, roles.COUNCIL_OFFICER)
    client.force_login(other)
    response = client.post(url("interventions:reading_add", owned), reading_data())
    assert response.status_code == 403
    assert not MeasureReading.objects.exists()


def test_the_improvement_team_enters_readings_for_any_measure(client, improvement_team, owned):
    client.force_login(improvement_team)
    assert client.post(url("interventions:reading_add", owned), reading_data()).status_code == 302


@pytest.mark.parametrize(
    ("over", "message"),
    [
        ({"value": "lots"}, "Enter a number"),
        ({"taken_on": "2999-01-01"}, "cannot be in the future"),
        ({"evidence_url": "not a link"}, "Enter a valid URL"),
    ],
)
def test_bad_readings_are_refused_with_a_message(client, officer, owned, over, message):
    client.force_login(officer)
    response = client.post(url("interventions:reading_add", owned), reading_data(**over))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not MeasureReading.objects.exists()


def test_a_second_reading_for_the_same_day_is_refused(client, officer, owned):
    MeasureReadingFactory(measure=owned, taken_on=D(2025, 10, 1))
    client.force_login(officer)
    response = client.post(url("interventions:reading_add", owned), reading_data())
    assert "correct that one instead" in response.content.decode()
    assert owned.readings.count() == 1


def test_a_stale_correction_is_refused(client, officer, owned):
    reading = MeasureReadingFactory(measure=owned, taken_on=D(2025, 10, 1), value=60)
    reading.value, reading.version = 61, 2
    reading.save()
    client.force_login(officer)
    edit = url("interventions:reading_edit", owned, reading=reading.pk)
    response = client.post(edit, reading_data(value="65", version="1"))
    assert "Someone else changed this" in response.content.decode()
    reading.refresh_from_db()
    assert reading.value == 61


def measure_data(intervention, **over):
    data = {
        "title": "Staff who would recommend the council as a place to work",
        "rationale": "Culture change shows in how staff feel.",
        "theme": str(Theme.objects.get(slug="culture").pk),
        "unit": "%",
        "direction": "higher",
        "baseline_value": "41",
        "baseline_on": "2025-10-01",
        "target_value": "60",
        "target_on": "2027-10-01",
        "source": "All-staff survey",
        "owner": str(PersonFactory(intervention=intervention).pk),
        "frequency": "annually",
        "proposed_on": "2025-09-01",
        "version": "1",
    }
    data.update(over)
    return data


def test_the_improvement_team_adds_a_measure(client, intervention, improvement_team):
    client.force_login(improvement_team)
    new = reverse("interventions:measure_create", kwargs={"slug": intervention.slug})
    response = client.post(new, measure_data(intervention))
    measure = Measure.objects.get()
    assert response["Location"] == measure.get_absolute_url()
    assert measure.agreement == MeasureAgreement.PROPOSED


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_others_may_not_add_or_edit_measures(client, intervention, persona, request, owned):
    client.force_login(request.getfixturevalue(persona))
    new = reverse("interventions:measure_create", kwargs={"slug": intervention.slug})
    assert client.post(new, measure_data(intervention)).status_code == 403
    edit = url("interventions:measure_edit", owned)
    assert client.post(edit, measure_data(intervention, title="Changed")).status_code == 403
    owned.refresh_from_db()
    assert owned.title != "Changed"
    assert Measure.objects.count() == 1


def test_a_measure_needs_something_to_measure_and_a_target_after_its_baseline(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    new = reverse("interventions:measure_create", kwargs={"slug": intervention.slug})
    response = client.post(new, measure_data(intervention, theme="", target_on="2025-01-01"))
    text = response.content.decode()
    assert "Choose the aim, programme or Best Value theme" in text
    assert "The target date must be after the baseline date" in text
    assert not Measure.objects.exists()


def test_another_interventions_programme_cannot_be_chosen(
    client, intervention, other_intervention, improvement_team
):
    client.force_login(improvement_team)
    elsewhere = ProgrammeFactory(aim=StrategicAimFactory(intervention=other_intervention))
    new = reverse("interventions:measure_create", kwargs={"slug": intervention.slug})
    response = client.post(new, measure_data(intervention, programme=str(elsewhere.pk)))
    assert "Select a valid choice" in response.content.decode()
    assert not Measure.objects.exists()


def test_the_envoy_agrees_and_then_the_board(client, envoy, improvement_team, owned):
    client.force_login(envoy)
    response = client.post(url("interventions:measure_agree", owned), {"agreed_on": "2025-07-01"})
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.oversight_agreed_by.user == envoy
    assert owned.agreement == MeasureAgreement.PROPOSED
    client.force_login(improvement_team)
    client.post(
        url("interventions:measure_board_agreement", owned),
        {"agreed_on": "2025-07-14", "agreed_at": "14 July 2025 meeting, item 4"},
    )
    owned.refresh_from_db()
    assert owned.agreement == MeasureAgreement.AGREED
    text = client.get(owned.get_absolute_url()).content.decode()
    assert "Agreed by the Envoys" in text and "14 July 2025 meeting, item 4" in text


@pytest.mark.parametrize(
    "persona", ["officer", "improvement_team", "board_member", "administrator"]
)
def test_only_the_oversight_agrees_for_the_oversight(client, persona, request, owned):
    client.force_login(request.getfixturevalue(persona))
    response = client.post(url("interventions:measure_agree", owned), {"agreed_on": "2025-07-01"})
    assert response.status_code == 403
    owned.refresh_from_db()
    assert owned.oversight_agreed_on is None


def test_changing_an_agreed_measures_target_makes_it_proposed_again(
    client, intervention, improvement_team, owned
):
    owned.oversight_agreed_on = owned.board_agreed_on = D(2025, 7, 14)
    owned.save()
    client.force_login(improvement_team)
    data = measure_data(intervention, target_value="95", version=str(owned.version))
    data.update(
        title=owned.title,
        theme=str(owned.theme_id),
        baseline_value="50",
        baseline_on="2025-04-01",
        target_on="2026-04-01",
    )
    response = client.post(url("interventions:measure_edit", owned), data)
    assert response.status_code == 302
    owned.refresh_from_db()
    assert owned.agreement == MeasureAgreement.PROPOSED
    assert owned.target_value == 95


def test_a_commissioner_agrees_in_their_own_words(client, commissioners, commissioner_personas):
    measure = MeasureFactory(intervention=commissioners, owner=None)
    client.force_login(commissioner_personas["lead_commissioner"])
    page = client.get(url("interventions:measure_agree", measure)).content.decode()
    assert "Agree this measure for the Commissioners" in page
    assert "Envoy" not in page
    client.post(url("interventions:measure_agree", measure), {"agreed_on": "2025-07-01"})
    measure.refresh_from_db()
    assert measure.oversight_agreed_by.key == "ruth-akinola"
    detail = client.get(measure.get_absolute_url()).content.decode()
    assert "Agreed by the Commissioners" in detail
    assert "Improvement and Recovery Board" in detail
    assert "Envoy" not in detail
    client.force_login(commissioner_personas["officer"])
    assert client.post(url("interventions:measure_agree", measure), {}).status_code == 403


def test_the_list_shows_each_measure_with_its_rag_as_of_the_day(client, officer, owned):
    MeasureReadingFactory(measure=owned, taken_on=D(2025, 10, 1), value=40)
    client.force_login(officer)
    list_url = reverse("interventions:measure_list", kwargs={"slug": owned.intervention.slug})
    text = client.get(list_url, {"as_of": "2025-10-01"}).content.decode()
    assert owned.title in text and "Red" in text
    text = client.get(list_url, {"as_of": "2025-09-30"}).content.decode()
    assert "No reading yet" in text
    red = client.get(list_url, {"as_of": "2025-10-01", "standing": "red"}).content.decode()
    green = client.get(list_url, {"as_of": "2025-10-01", "standing": "green"}).content.decode()
    assert owned.title in red and owned.title not in green


def test_user_text_is_escaped(client, officer, intervention):
    measure = MeasureFactory(
        intervention=intervention, title="<script>alert(1)</script>", unit="<b>"
    )
    MeasureReadingFactory(measure=measure, commentary="<img src=x onerror=alert(1)>")
    client.force_login(officer)
    for page in (
        measure.get_absolute_url(),
        reverse("interventions:measure_list", kwargs={"slug": intervention.slug}),
    ):
        text = client.get(page).content.decode()
        assert "<script>alert" not in text and "<img src=x" not in text and "<b>" not in text


def test_a_stranger_cannot_see_the_measures(client, stranger, owned):
    client.force_login(stranger)
    assert client.get(owned.get_absolute_url()).status_code == 404


def grow(intervention, n):
    aim = StrategicAimFactory(intervention=intervention)
    for _ in range(n):
        programme = ProgrammeFactory(aim=aim)
        measure = MeasureFactory(intervention=intervention, programme=programme, aim=aim)
        MeasureReadingFactory(measure=measure)
        MeasureReadingFactory(measure=measure)


def count_queries(client, address):
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_makes_the_same_queries_at_ten_times_the_measures(client, intervention, officer):
    client.force_login(officer)
    address = reverse("interventions:measure_list", kwargs={"slug": intervention.slug})
    grow(intervention, 1)
    once = count_queries(client, address)
    grow(intervention, 9)
    assert count_queries(client, address) == once
    # Session, user, groups, the intervention, the filters' choices (aims, programmes,
    # owners), the count, the rows and their readings, and the permission check.
    assert once <= 14


def test_the_detail_makes_the_same_queries_at_ten_times_the_readings(client, officer, owned):
    client.force_login(officer)
    MeasureReadingFactory(measure=owned)
    once = count_queries(client, owned.get_absolute_url())
    for _ in range(9):
        MeasureReadingFactory(measure=owned)
    assert count_queries(client, owned.get_absolute_url()) == once


def test_today_is_the_default_day(client, officer, owned):
    client.force_login(officer)
    MeasureReadingFactory(measure=owned, taken_on=timezone.localdate(), value=99)
    text = client.get(owned.get_absolute_url()).content.decode()
    assert "Against target today" in text and "99%" in text


def test_the_dashboard_counts_measures_by_theme_as_of_the_day(client, officer, intervention):
    governance = MeasureFactory(intervention=intervention)
    MeasureReadingFactory(measure=governance, taken_on=D(2025, 10, 1), value=80)
    behind = MeasureFactory(intervention=intervention)
    MeasureReadingFactory(measure=behind, taken_on=D(2025, 10, 1), value=40)
    MeasureFactory(intervention=intervention, theme=Theme.objects.get(slug="culture"))
    client.force_login(officer)
    dashboard = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    panel = client.get(dashboard, {"as_of": "2025-10-01"}).context["measures"]
    table = panel["chart"].table()
    rows = {label: [cell.value for cell in cells] for label, cells in table.rows}
    assert rows == {"Governance": [1, 1, 0, 2], "Culture": [0, 0, 1, 1]}
    # Before the readings, nothing had been read.
    panel = client.get(dashboard, {"as_of": "2025-09-30"}).context["measures"]
    rows = {label: [c.value for c in cells] for label, cells in panel["chart"].table().rows}
    assert rows["Governance"] == [0, 0, 2, 2]
    # Each figure leads to the measures it counts.
    off_target = dict(panel["chart"].table().rows)["Governance"][1].url
    assert "standing=off_target" in off_target and "as_of=2025-09-30" in off_target
    listed = client.get(off_target.replace("2025-09-30", "2025-10-01")).content.decode()
    assert behind.title in listed and governance.title not in listed


def test_the_dashboard_leaves_out_measures_proposed_after_the_day(client, officer, intervention):
    MeasureFactory(intervention=intervention, proposed_on=D(2025, 9, 1))
    client.force_login(officer)
    dashboard = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    assert client.get(dashboard, {"as_of": "2025-08-31"}).context["measures"]["total"] == 0
    assert client.get(dashboard, {"as_of": "2025-09-01"}).context["measures"]["total"] == 1


def test_the_dashboard_panel_makes_the_same_queries_at_ten_times_the_measures(
    client, officer, intervention
):
    client.force_login(officer)
    dashboard = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    grow(intervention, 1)
    client.get(dashboard)  # warm up
    once = count_queries(client, dashboard)
    grow(intervention, 9)
    assert count_queries(client, dashboard) == once
