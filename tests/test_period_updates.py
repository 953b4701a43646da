"""Period updates: one update per programme per reporting period, written only by those who
may update the programme, only while the period is open, and never lost to someone else's
save."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from interventions.choices import RAG_DEFINITIONS
from interventions.dates.periods import ReportingPeriod
from interventions.kit.kept import forget_all
from interventions.kit.saving import StaleEdit
from interventions.models import ProgrammeUpdate
from interventions.work.items import (
    open_periods,
    period_from_slug,
    period_slug,
    period_updates_context,
    save_period_update,
)
from tests.factories import ProgrammeFactory, ProgrammeUpdateFactory, UserFactory

CURRENT = ReportingPeriod.containing(timezone.localdate())
PREVIOUS = CURRENT.previous()
CLOSED = PREVIOUS.previous()


@pytest.fixture
def programme(intervention, officer):
    """A programme whose SRO is the officer."""
    return ProgrammeFactory(
        aim__intervention=intervention, sro=officer.people.get(intervention=intervention)
    )


def edit_url(programme, period: ReportingPeriod) -> str:
    return reverse(
        "interventions:programme_update_edit",
        kwargs={
            "slug": programme.intervention.slug,
            "number": programme.number,
            "period": period_slug(period),
        },
    )


def list_url(programme) -> str:
    return reverse(
        "interventions:programme_updates",
        kwargs={"slug": programme.intervention.slug, "number": programme.number},
    )


def form_data(**changes) -> dict:
    data = {
        "rag": "amber",
        "status": "in_progress",
        "summary": "Recruited the improvement lead.",
        "next_steps": "Induct the lead.",
        "risks": "",
        "decisions_needed": "",
        "version": "0",
    }
    return {**data, **changes}


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Reporting periods in URLs


@pytest.mark.parametrize(
    ("slug", "start", "label"),
    [
        ("2025-q1", datetime.date(2025, 4, 1), "Q1 2025/26"),
        ("2025-q2", datetime.date(2025, 7, 1), "Q2 2025/26"),
        ("2025-q3", datetime.date(2025, 10, 1), "Q3 2025/26"),
        ("2025-q4", datetime.date(2026, 1, 1), "Q4 2025/26"),
    ],
)
def test_a_period_slug_names_a_financial_quarter(slug, start, label):
    period = period_from_slug(slug)

    assert (period.start, period.label) == (start, label)
    assert period_slug(period) == slug


@pytest.mark.parametrize("slug", ["2025-q5", "2025-q0", "2025q2", "q2-2025", "2025-Q2x"])
def test_anything_else_is_not_a_period(slug):
    with pytest.raises(ValueError):
        period_from_slug(slug)


def test_the_open_periods_are_the_current_and_the_previous_one():
    assert open_periods(datetime.date(2025, 8, 15)) == [
        period_from_slug("2025-q2"),
        period_from_slug("2025-q1"),
    ]
    assert open_periods(datetime.date(2026, 1, 1)) == [
        period_from_slug("2025-q4"),
        period_from_slug("2025-q3"),
    ]


# Who may write an update


def test_the_improvement_team_writes_the_current_periods_update(
    client, improvement_team, programme
):
    client.force_login(improvement_team)
    url = edit_url(programme, CURRENT)

    form = client.get(url)
    response = client.post(url, form_data(rag="red", risks="The lead may not start."))

    assert form.status_code == 200
    assert f"Write the update for {CURRENT.label}" in form.content.decode()
    assert response.status_code == 302
    assert response.url == list_url(programme)
    update = ProgrammeUpdate.objects.get()
    assert (update.programme, update.period_start, update.version) == (
        programme,
        CURRENT.start,
        1,
    )
    assert (update.rag, update.risks, update.author) == (
        "red",
        "The lead may not start.",
        improvement_team,
    )
    record = update.history.get()
    assert record.history_change_reason == f"Update for {CURRENT.label}"
    assert record.history_user == improvement_team


def test_the_sro_changes_the_previous_periods_update(client, officer, programme):
    update = ProgrammeUpdateFactory(programme=programme, period_start=PREVIOUS.start, rag="amber")
    client.force_login(officer)
    url = edit_url(programme, PREVIOUS)

    form = client.get(url)
    response = client.post(url, form_data(rag="green", summary="Done.", version="1"))

    assert f"Change the update for {PREVIOUS.label}" in form.content.decode()
    assert 'name="version" value="1"' in form.content.decode()
    assert response.status_code == 302
    update.refresh_from_db()
    assert (update.rag, update.summary, update.version, update.author) == (
        "green",
        "Done.",
        2,
        officer,
    )
    assert update.history.latest().history_change_reason == f"Update for {PREVIOUS.label}"


def test_the_form_shows_each_rag_choice_with_its_definition(client, officer, programme):
    client.force_login(officer)

    page = client.get(edit_url(programme, CURRENT)).content.decode()

    for definition in RAG_DEFINITIONS.values():
        assert definition in page
    assert 'class="govuk-hint govuk-radios__hint"' in page
    assert "---------" not in page


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member"])
def test_people_who_may_not_update_the_programme_are_refused(
    client, request, persona, intervention
):
    someone_elses = ProgrammeFactory(aim__intervention=intervention)
    client.force_login(request.getfixturevalue(persona))
    url = edit_url(someone_elses, CURRENT)

    assert client.get(url).status_code == 403
    assert client.post(url, form_data()).status_code == 403
    assert not ProgrammeUpdate.objects.exists()


def test_a_user_of_another_intervention_finds_nothing(client, stranger, programme):
    client.force_login(stranger)
    url = edit_url(programme, CURRENT)

    assert client.get(url).status_code == 404
    assert client.post(url, form_data()).status_code == 404
    assert client.get(list_url(programme)).status_code == 404
    assert not ProgrammeUpdate.objects.exists()


def test_an_anonymous_visitor_is_sent_to_sign_in(client, programme):
    for url in (edit_url(programme, CURRENT), list_url(programme)):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("period", ["2025-q5", "last-quarter"])
def test_a_period_that_does_not_exist_is_not_found(client, officer, programme, period):
    client.force_login(officer)
    url = reverse(
        "interventions:programme_update_edit",
        kwargs={"slug": programme.intervention.slug, "number": programme.number, "period": period},
    )

    assert client.get(url).status_code == 404


def test_a_closed_period_is_refused_with_a_reason(client, officer, programme):
    update = ProgrammeUpdateFactory(programme=programme, period_start=CLOSED.start, summary="Old")
    client.force_login(officer)
    url = edit_url(programme, CLOSED)

    shown = client.get(url)
    posted = client.post(url, form_data(summary="Rewritten", version="1"))

    assert shown.status_code == posted.status_code == 403
    page = shown.content.decode()
    assert f"The update for {CLOSED.label} is closed" in page
    assert edit_url(programme, CURRENT) in page
    update.refresh_from_db()
    assert (update.summary, update.version) == ("Old", 1)


def test_a_future_period_is_not_open_yet(client, officer, programme):
    client.force_login(officer)
    url = edit_url(programme, CURRENT.next())

    response = client.post(url, form_data())

    assert response.status_code == 403
    assert f"The update for {CURRENT.next().label} is not open yet" in response.content.decode()
    assert not ProgrammeUpdate.objects.exists()


# Validation


def test_bad_input_is_explained_and_changes_nothing(client, officer, programme):
    update = ProgrammeUpdateFactory(programme=programme, period_start=CURRENT.start, summary="Kept")
    client.force_login(officer)

    response = client.post(
        edit_url(programme, CURRENT), form_data(rag="purple", summary="   ", version="1")
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Enter a summary of progress" in page
    assert "Select a valid choice" in page
    assert 'href="#id_rag_0"' in page  # the summary links to the first radio
    assert 'id="id_summary-error"' in page
    update.refresh_from_db()
    assert (update.summary, update.version) == ("Kept", 1)


def test_a_missing_rag_is_explained(client, officer, programme):
    client.force_login(officer)
    data = form_data()
    del data["rag"]

    response = client.post(edit_url(programme, CURRENT), data)

    assert "Select how delivery is going" in response.content.decode()
    assert not ProgrammeUpdate.objects.exists()


# No lost updates


def test_a_stale_edit_is_refused_keeping_the_input_and_listing_their_changes(
    officer, improvement_team, programme
):
    update = ProgrammeUpdateFactory(
        programme=programme, period_start=CURRENT.start, rag="amber", summary="First draft."
    )
    url = edit_url(programme, CURRENT)
    a, b = signed_in(officer), signed_in(improvement_team)
    assert 'name="version" value="1"' in a.get(url).content.decode()
    assert 'name="version" value="1"' in b.get(url).content.decode()

    saved = a.post(url, form_data(rag="red", summary="Officer's words.", version="1"))
    refused = b.post(url, form_data(rag="green", summary="Team's words.", version="1"))

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "saved the update for" in page
    assert "Your update has not been saved" in page
    assert "RAG changed from Amber to Red" in page
    assert "Summary changed from First draft. to Officer&#x27;s words." in page
    assert "Author changed" not in page
    assert "Team&#x27;s words.</textarea>" in page  # their input is kept
    assert 'value="green" checked' in page
    assert 'name="version" value="2"' in page  # saving again applies theirs on top
    update.refresh_from_db()
    assert (update.summary, update.rag, update.version) == ("Officer's words.", "red", 2)

    again = b.post(url, form_data(rag="green", summary="Team's words.", version="2"))

    assert again.status_code == 302
    update.refresh_from_db()
    assert (update.summary, update.version, update.author) == ("Team's words.", 3, improvement_team)


def test_two_people_writing_the_same_new_update_do_not_overwrite_each_other(
    officer, improvement_team, programme
):
    url = edit_url(programme, CURRENT)
    a, b = signed_in(officer), signed_in(improvement_team)
    assert 'name="version" value="0"' in a.get(url).content.decode()
    assert 'name="version" value="0"' in b.get(url).content.decode()

    saved = a.post(url, form_data(rag="red", summary="Officer's words."))
    refused = b.post(url, form_data(rag="green", summary="Team's words."))

    assert saved.status_code == 302
    assert refused.status_code == 200
    page = refused.content.decode()
    assert "RAG set to Red" in page
    assert "Summary set to Officer&#x27;s words." in page
    assert "Team&#x27;s words.</textarea>" in page
    update = ProgrammeUpdate.objects.get()
    assert (update.summary, update.author, update.version) == ("Officer's words.", officer, 1)


def test_creating_an_update_that_now_exists_is_a_stale_edit_not_an_integrity_error(
    officer, programme
):
    ProgrammeUpdateFactory(programme=programme, period_start=CURRENT.start, summary="Theirs")

    with pytest.raises(StaleEdit) as refused:
        save_period_update(
            programme,
            CURRENT,
            {
                "rag": "green",
                "summary": "Mine",
                "next_steps": "",
                "risks": "",
                "decisions_needed": "",
            },
            by=officer,
            expected_version=0,
        )

    assert refused.value.current.summary == "Theirs"
    assert "Summary set to Theirs" in [c.sentence() for c in refused.value.their_changes]
    assert ProgrammeUpdate.objects.get().summary == "Theirs"


# The list of updates


def test_the_updates_are_listed_newest_period_first(client, envoy, programme):
    ProgrammeUpdateFactory(programme=programme, period_start=PREVIOUS.start, summary="Earlier")
    ProgrammeUpdateFactory(
        programme=programme,
        period_start=CURRENT.start,
        summary="Later",
        next_steps="Recruit",
        risks="Budget",
        decisions_needed="Agree the budget",
        rag="red",
        author=UserFactory(first_name="Ada", last_name="Officer"),
    )
    client.force_login(envoy)

    response = client.get(list_url(programme))

    assert response.status_code == 200
    page = response.content.decode()
    assert page.index(CURRENT.label) < page.index(PREVIOUS.label)
    assert page.index("Later") < page.index("Earlier")
    for text in ("Recruit", "Budget", "Agree the budget", "Ada Officer", "govuk-tag--red"):
        assert text in page
    assert "Change<span" not in page  # an Envoy reads, but does not write
    assert "Write the update" not in page


def test_the_sro_may_change_open_periods_only(client, officer, programme):
    ProgrammeUpdateFactory(programme=programme, period_start=CLOSED.start)
    ProgrammeUpdateFactory(programme=programme, period_start=PREVIOUS.start)
    client.force_login(officer)

    page = client.get(list_url(programme)).content.decode()

    assert edit_url(programme, PREVIOUS) in page
    assert f"Write the update for {CURRENT.label}" in page
    assert edit_url(programme, CLOSED) not in page


def test_a_programme_without_updates_says_so(client, officer, programme):
    client.force_login(officer)

    assert "No updates have been written" in client.get(list_url(programme)).content.decode()


def count_queries(client, url) -> int:
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_makes_the_same_queries_at_ten_times_the_updates(client, officer, programme):
    client.force_login(officer)
    periods = [CURRENT]
    for _ in range(9):
        periods.append(periods[-1].previous())
    ProgrammeUpdateFactory(programme=programme, period_start=periods[0].start)
    one = count_queries(client, list_url(programme))
    for period in periods[1:]:
        ProgrammeUpdateFactory(programme=programme, period_start=period.start)
    ten = count_queries(client, list_url(programme))

    # 1-2 session and user; 3 the user's groups (read once, for every rule); 4 the
    # intervention; 5 the programme; 6 the updates with their authors; 7 may the user update
    # it: the programme among theirs; 8-9 the data's version and the header's count of what
    # waits for them (interventions.kit.kept).
    assert one == ten == 9


# The partial on the programme page


def test_the_partial_shows_the_latest_update_and_offers_the_current_one(rf, officer, programme):
    ProgrammeUpdateFactory(programme=programme, period_start=PREVIOUS.start, summary="Last time")
    request = rf.get("/")
    request.user = officer

    html = render_to_string(
        "includes/period_updates.html",
        {"period_updates": period_updates_context(officer, programme)},
        request=request,
    )

    assert f"The update for {PREVIOUS.label}" in html
    assert "Last time" in html
    assert f"Write the update for {CURRENT.label}" in html
    assert edit_url(programme, CURRENT) in html
    assert list_url(programme) in html


def test_the_partial_offers_no_writing_to_readers(rf, envoy, programme):
    context = period_updates_context(envoy, programme)
    html = render_to_string("includes/period_updates.html", {"period_updates": context})

    assert "No updates have been written" in html
    assert "Write the update" not in html
    assert list_url(programme) in html


def test_the_partial_context_takes_a_fixed_number_of_queries(officer, programme):
    for start in (CURRENT.start, PREVIOUS.start, CLOSED.start):
        ProgrammeUpdateFactory(programme=programme, period_start=start)

    with CaptureQueriesContext(connection) as context:
        period_updates_context(officer, programme)

    # The latest update with its author; the user's groups (read once, for every rule);
    # whether the programme is one they may update.
    assert len(context.captured_queries) == 3
