"""The deadline pages: lists, calendar, by person and theme, CSV, calendar feeds, the schedules
of recurring duties, and their query counts."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from icalendar import Calendar

from directions.models import IntervalVariation
from interventions.kit.kept import forget_all
from interventions.models import FeedToken, Theme
from tests.conftest import PERSONAS
from tests.deadline_factories import IntervalVariationFactory, ReportingDutyFactory
from tests.factories import (
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    MeetingFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
)

D = datetime.date


def url(name, intervention, query="", **kwargs):
    return reverse(f"interventions:{name}", kwargs={"slug": intervention.slug, **kwargs}) + query


@pytest.fixture
def deadlines(intervention):
    """A Direction due 22 Apr 2025, a meeting held 14 Apr and one never held (12 May), and a
    recommendation response due 30 Jun 2025 owned by a named person."""
    DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        short_title="Costed cultural change programme",
        offset_months=3,
    )
    board = BoardFactory(intervention=intervention, name="Transformation and Assurance Board")
    MeetingFactory(board=board, date=D(2025, 4, 14), status="held", title="Inaugural")
    MeetingFactory(board=board, date=D(2025, 5, 12), status="scheduled", title="Second")
    owner = PersonFactory(intervention=intervention, name="Owner of the response")
    rec = RecommendationFactory(
        intervention=intervention,
        source="board",
        title='=HYPERLINK("http://evil"); respond, please',
        response_due=D(2025, 6, 30),
        owner=owner,
    )
    rec.programmes.add(ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention)))
    rec.programmes.first().themes.add(Theme.objects.get(slug="governance"))
    return owner


PAGES = [
    ("deadline_list", {}),
    ("deadline_overdue", {}),
    ("deadline_next", {"days": 30}),
    ("deadline_calendar", {}),
    ("deadline_calendar_month", {"year": 2025, "month": 4}),
    ("deadline_people", {}),
    ("deadline_themes", {}),
    ("deadline_feeds", {}),
    ("deadline_schedules", {}),
]


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_everyone_in_the_intervention_sees_the_deadline_pages(
    client, request, intervention, deadlines, persona, name, kwargs
):
    client.force_login(request.getfixturevalue(persona))

    response = client.get(url(name, intervention, **kwargs))

    assert response.status_code == 200
    assert b'aria-label="Deadline views"' in response.content


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_a_user_of_another_intervention_gets_not_found(
    client, intervention, stranger, name, kwargs
):
    client.force_login(stranger)

    assert client.get(url(name, intervention, **kwargs)).status_code == 404


def test_signing_in_is_required(client, intervention):
    response = client.get(url("deadline_list", intervention))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def rows(response):
    return [(row.due, row.reference, row.state.value) for row in response.context["table"].data]


def test_the_list_shows_states_as_of_the_chosen_date(client, intervention, officer, deadlines):
    client.force_login(officer)

    before = client.get(url("deadline_list", intervention, "?as_of=2025-04-01"))
    after = client.get(url("deadline_list", intervention, "?as_of=2025-06-01"))

    assert ("2025-04-22", "upcoming") in [
        (str(d), s) for d, r, s in rows(before) if "Direction" in r
    ]
    assert ("2025-04-22", "missed") in [(str(d), s) for d, r, s in rows(after) if "Direction" in r]
    assert b"States are as of 1 June 2025" in after.content


def test_a_bad_as_of_date_is_an_error_on_the_form(client, intervention, officer, deadlines):
    client.force_login(officer)

    response = client.get(url("deadline_list", intervention, "?as_of=2025-02-30"))

    assert response.status_code == 200
    assert b"There is a problem" in response.content
    assert b"Enter a valid date" in response.content


def test_overdue_lists_only_what_was_missed(client, intervention, officer, deadlines):
    client.force_login(officer)

    response = client.get(url("deadline_overdue", intervention, "?as_of=2025-06-01"))

    assert {state for _, _, state in rows(response)} == {"missed"}
    assert len(rows(response)) == 2  # the Direction and the meeting never held


def test_the_next_days_list_only_what_falls_in_them(client, intervention, officer, deadlines):
    client.force_login(officer)

    week = client.get(url("deadline_next", intervention, "?as_of=2025-04-10", days=7))
    quarter = client.get(url("deadline_next", intervention, "?as_of=2025-04-10", days=90))

    assert [due for due, _, _ in rows(week)] == [D(2025, 4, 14)]
    assert b'aria-current="page">Next 7 days</a>' in week.content
    assert [due for due, _, _ in rows(quarter)] == [
        D(2025, 4, 14),
        D(2025, 4, 22),
        D(2025, 5, 12),
        D(2025, 6, 30),
    ]
    assert client.get(url("deadline_next", intervention, days=8)).status_code == 404


def test_filters_narrow_the_list_by_state_person_and_theme(
    client, intervention, officer, deadlines
):
    client.force_login(officer)
    governance = Theme.objects.get(slug="governance")

    by_state = client.get(url("deadline_list", intervention, "?as_of=2025-06-01&state=missed"))
    by_person = client.get(url("deadline_list", intervention, f"?person={deadlines.pk}"))
    by_theme = client.get(url("deadline_list", intervention, f"?theme={governance.pk}"))

    assert len(rows(by_state)) == 2
    assert [r for _, r, _ in rows(by_person)] == [r for _, r, _ in rows(by_theme)]
    assert len(rows(by_person)) == 1
    assert rows(by_person)[0][1].startswith("Recommendation")


def test_the_person_filter_offers_only_this_interventions_people(
    client, intervention, other_intervention, officer, deadlines
):
    client.force_login(officer)
    outsider = PersonFactory(intervention=other_intervention, name="Someone elsewhere")

    response = client.get(url("deadline_list", intervention))

    choices = response.context["filter"].form.fields["person"].queryset
    assert deadlines in choices
    assert outsider not in choices


def test_the_csv_holds_exactly_the_filtered_rows_and_no_formulas(
    client, intervention, officer, deadlines
):
    client.force_login(officer)

    response = client.get(
        url("deadline_list", intervention, f"?as_of=2025-06-01&person={deadlines.pk}&_export=csv")
    )

    assert response["Content-Type"].startswith("text/csv")
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert table[0][:5] == ["Due", "What", "Kind", "Source", "State"]
    assert len(table) == 2
    assert table[1][1] == 'Respond to: =HYPERLINK("http://evil"); respond, please'
    assert table[1][4] == "Upcoming"
    assert table[1][7] == "Owner of the response"


def test_csv_cells_that_start_like_a_formula_are_kept_as_text(client, intervention, officer):
    client.force_login(officer)
    DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention), short_title="=1+2"
    )

    response = client.get(url("deadline_list", intervention, "?source=direction&_export=csv"))

    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row[1] for row in table[1:]] == ["'=1+2"]


def test_the_calendar_is_a_table_of_the_month_with_links_either_side(
    client, intervention, officer, deadlines
):
    client.force_login(officer)

    response = client.get(url("deadline_calendar_month", intervention, year=2025, month=4))

    html = response.content.decode()
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--m">April 2025</caption>' in html
    )
    assert (
        '<th scope="col" class="govuk-table__header"><abbr title="Monday">Mon</abbr></th>' in html
    )
    assert url("deadline_calendar_month", intervention, year=2025, month=3) in html
    assert url("deadline_calendar_month", intervention, year=2025, month=5) in html
    assert "Costed cultural change programme" in html
    assert "Transformation and Assurance Board: Inaugural" in html
    assert "Second" not in html  # 12 May is in the next month
    assert response.context["count"] == 2


def test_the_calendar_refuses_a_month_that_does_not_exist(client, intervention, officer):
    client.force_login(officer)

    response = client.get(url("deadline_calendar_month", intervention, year=2025, month=13))

    assert response.status_code == 404


def test_the_calendar_opens_on_the_month_of_the_as_of_date(client, intervention, officer):
    client.force_login(officer)

    response = client.get(url("deadline_calendar", intervention, "?as_of=2025-07-03"))

    assert response.context["month"] == D(2025, 7, 1)


def test_by_person_and_by_theme_count_and_link_to_the_list(
    client, intervention, officer, deadlines
):
    client.force_login(officer)

    people = client.get(url("deadline_people", intervention, "?as_of=2025-07-15"))
    themes = client.get(url("deadline_themes", intervention))

    (row,) = people.context["rows"]
    assert (row["label"], row["missed"], row["total"]) == ("Owner of the response", 1, 1)
    assert row["url"].endswith(f"?person={deadlines.pk}&as_of=2025-07-15")
    assert [row["label"] for row in themes.context["rows"]] == ["Governance"]
    assert people.context["mine_url"] == ""  # the officer is responsible for nothing here


def test_by_person_links_a_user_to_their_own_deadlines(client, intervention, deadlines):
    from tests.factories import UserFactory

    user = UserFactory(role="Council officer")
    deadlines.user = user
    deadlines.save()
    client.force_login(user)

    page = client.get(url("deadline_people", intervention))

    assert page.context["mine_url"].endswith(f"?person={deadlines.pk}")
    assert "The deadlines you are responsible for" in page.content.decode()


def test_user_text_is_escaped(client, intervention, officer):
    client.force_login(officer)
    DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        short_title="<script>alert(1)</script>",
    )

    for name in ("deadline_list", "deadline_calendar_month"):
        kwargs = {"year": 2025, "month": 4} if name.endswith("month") else {}
        html = client.get(url(name, intervention, **kwargs)).content.decode()
        assert "<script>alert(1)</script>" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --------------------------------------------------------------------------- calendar feeds


def make_feed(client, intervention, user, mine_only=False):
    client.force_login(user)
    response = client.post(
        url("deadline_feeds", intervention), {"mine_only": "1" if mine_only else ""}
    )
    assert response.status_code == 302
    return FeedToken.objects.filter(user=user).latest("created")


def feed_url(token):
    return reverse("interventions:deadline_feed", kwargs={"token": token.token})


def test_a_user_creates_a_feed_and_sees_its_address(client, intervention, officer):
    token = make_feed(client, intervention, officer)

    page = client.get(url("deadline_feeds", intervention))

    assert token.intervention == intervention
    assert f"http://testserver{feed_url(token)}" in page.content.decode()


def test_the_feed_is_valid_icalendar_without_signing_in(client, intervention, officer, deadlines):
    token = make_feed(client, intervention, officer)
    client.logout()

    response = client.get(feed_url(token))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    events = calendar.walk("VEVENT")
    assert len(events) == 4
    by_start = {event.decoded("dtstart"): event for event in events}
    assert set(by_start) == {D(2025, 4, 14), D(2025, 4, 22), D(2025, 5, 12), D(2025, 6, 30)}
    assert all(type(start) is datetime.date for start in by_start)
    response_event = by_start[D(2025, 6, 30)]
    # Commas and semicolons in user text are escaped in the file and read back intact.
    assert str(response_event["summary"]).startswith(
        'Respond to: =HYPERLINK("http://evil"); respond, please ['
    )
    assert b"\\; respond\\, please" in response.content
    assert response_event.decoded("dtend") == D(2025, 7, 1)


def test_feed_uids_are_stable_from_one_fetch_to_the_next(client, intervention, officer, deadlines):
    token = make_feed(client, intervention, officer)

    first = Calendar.from_ical(client.get(feed_url(token)).content)
    second = Calendar.from_ical(client.get(feed_url(token)).content)

    uids = [str(event["uid"]) for event in first.walk("VEVENT")]
    assert uids == [str(event["uid"]) for event in second.walk("VEVENT")]
    assert len(set(uids)) == len(uids)
    assert all(uid.startswith(f"{intervention.slug}-") for uid in uids)


def test_a_feed_of_my_deadlines_has_only_mine(client, intervention, deadlines):
    from tests.factories import UserFactory

    user = UserFactory(role="Council officer")
    deadlines.user = user
    deadlines.save()
    token = make_feed(client, intervention, user, mine_only=True)

    calendar = Calendar.from_ical(client.get(feed_url(token)).content)

    assert [event.decoded("dtstart") for event in calendar.walk("VEVENT")] == [D(2025, 6, 30)]


def test_a_revoked_feed_is_not_found(client, intervention, officer, deadlines):
    token = make_feed(client, intervention, officer)

    response = client.post(url("deadline_feed_revoke", intervention, pk=token.pk))
    client.logout()

    assert response.status_code == 302
    assert client.get(feed_url(token)).status_code == 404


def test_an_unknown_feed_is_not_found(client, db):
    response = client.get(reverse("interventions:deadline_feed", kwargs={"token": "guess"}))

    assert response.status_code == 404


def test_a_feed_stops_when_its_user_leaves_the_intervention(client, intervention, officer):
    token = make_feed(client, intervention, officer)
    officer.people.update(user=None)

    assert client.get(feed_url(token)).status_code == 404


def test_nobody_revokes_another_users_feed(client, intervention, officer, envoy):
    token = make_feed(client, intervention, officer)
    client.force_login(envoy)

    response = client.post(url("deadline_feed_revoke", intervention, pk=token.pk))

    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# ------------------------------------------------------------------ schedules and variation


@pytest.fixture
def stocktake(intervention):
    return ReportingDutyFactory(
        intervention=intervention, title="Envoys' stocktake report", first_due_months=4
    )


def test_the_improvement_team_changes_an_interval_with_a_reason(
    client, intervention, improvement_team, stocktake
):
    client.force_login(improvement_team)
    vary = url("variation_add", intervention, kind="duty", pk=stocktake.pk)

    response = client.post(
        vary,
        {
            "effective_from": "2025-06-01",
            "interval_months": "6",
            "directed_by": "the Minister",
            "note": "",
            "reason": "Agreed with the Minister on 1 June 2025",
        },
    )

    assert response.status_code == 302
    variation = stocktake.variations.get()
    assert (variation.effective_from, variation.interval_months) == (D(2025, 6, 1), 6)
    record = variation.history.get()
    assert record.history_change_reason == "Agreed with the Minister on 1 June 2025"
    assert record.history_user == improvement_team
    page = client.get(url("deadline_schedules", intervention))
    assert "22 May 2025; 22 Nov 2025; 22 May 2026" in page.content.decode()


def test_a_recurring_direction_can_be_varied_too(client, intervention, improvement_team):
    direction = DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        deadline_kind="recurring",
        offset_months=None,
        interval_months=3,
    )
    client.force_login(improvement_team)

    client.post(
        url("variation_add", intervention, kind="direction", pk=direction.pk),
        {"effective_from": "2025-09-01", "interval_months": "2", "reason": "Board minute 12"},
    )

    assert direction.variations.get().interval_months == 2


def test_bad_input_changes_nothing_and_says_why(client, intervention, improvement_team, stocktake):
    IntervalVariationFactory(duty=stocktake, effective_from=D(2025, 6, 1))
    client.force_login(improvement_team)
    vary = url("variation_add", intervention, kind="duty", pk=stocktake.pk)

    response = client.post(
        vary, {"effective_from": "2025-06-01", "interval_months": "0", "reason": ""}
    )

    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert "The interval already changes on this date." in html
    assert "The interval must be at least one month." in html
    assert IntervalVariation.objects.count() == 1


def test_the_improvement_team_corrects_a_change_of_interval(
    client, intervention, improvement_team, stocktake
):
    variation = IntervalVariationFactory(duty=stocktake, effective_from=D(2025, 6, 1))
    client.force_login(improvement_team)

    response = client.post(
        url("variation_edit", intervention, pk=variation.pk),
        {"effective_from": "2025-06-01", "interval_months": "4", "reason": "Typo: four months"},
    )

    assert response.status_code == 302
    variation.refresh_from_db()
    assert variation.interval_months == 4
    assert variation.history.latest().history_change_reason == "Typo: four months"


def test_nobody_corrects_another_interventions_variation(
    client, intervention, other_intervention, improvement_team
):
    theirs = IntervalVariationFactory(duty=ReportingDutyFactory(intervention=other_intervention))
    client.force_login(improvement_team)

    response = client.get(url("variation_edit", intervention, pk=theirs.pk))

    assert response.status_code == 404


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member", "stranger"])
def test_only_the_improvement_team_changes_intervals(
    client, request, intervention, stocktake, persona
):
    client.force_login(request.getfixturevalue(persona))
    vary = url("variation_add", intervention, kind="duty", pk=stocktake.pk)

    response = client.post(
        vary, {"effective_from": "2025-06-01", "interval_months": "6", "reason": "x"}
    )

    assert response.status_code == 404
    assert not IntervalVariation.objects.exists()
    variation = IntervalVariationFactory(duty=stocktake)
    edit = url("variation_edit", intervention, pk=variation.pk)
    assert client.post(edit, {"interval_months": "9", "reason": "x"}).status_code == 404


def test_the_schedules_page_offers_the_change_only_to_the_improvement_team(
    client, intervention, officer, improvement_team, stocktake
):
    vary = url("variation_add", intervention, kind="duty", pk=stocktake.pk)
    client.force_login(officer)
    assert vary not in client.get(url("deadline_schedules", intervention)).content.decode()
    client.force_login(improvement_team)
    assert vary in client.get(url("deadline_schedules", intervention)).content.decode()


# ------------------------------------------------------------------------------ query counts


def grow(intervention, n):
    aim = StrategicAimFactory(intervention=intervention)
    direction_set = DirectionSetFactory(intervention=intervention)
    theme = Theme.objects.get(slug="culture")
    for _ in range(n):
        person = PersonFactory(intervention=intervention)
        programme = ProgrammeFactory(aim=aim, sro=person)
        programme.themes.add(theme)
        MilestoneFactory(programme=programme)
        direction = DirectionFactory(direction_set=direction_set)
        direction.themes.add(theme)
        recurring = DirectionFactory(
            direction_set=direction_set, deadline_kind="recurring", interval_months=6
        )
        IntervalVariationFactory(direction=recurring)
        MeetingFactory(board=BoardFactory(intervention=intervention))
        RecommendationFactory(intervention=intervention, response_due=D(2025, 7, 1), owner=person)


def count_queries(client, address):
    """The page's queries with the deadlines worked out afresh (none kept from before)."""
    forget_all()
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize(("name", "kwargs"), PAGES)
def test_deadline_pages_make_the_same_queries_at_ten_times_the_rows(
    client, intervention, improvement_team, stocktake, name, kwargs
):
    client.force_login(improvement_team)
    address = url(name, intervention, "?as_of=2025-06-01", **kwargs)
    grow(intervention, 1)
    make_feed(client, intervention, improvement_team)
    count_queries(client, address)

    once = count_queries(client, address)
    grow(intervention, 9)
    ten_times = count_queries(client, address)

    assert ten_times == once, f"{name}: {once} queries at 1x, {ten_times} at 10x"


def test_the_feed_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, officer, stocktake
):
    token = make_feed(client, intervention, officer)
    client.logout()
    grow(intervention, 1)
    count_queries(client, feed_url(token))

    once = count_queries(client, feed_url(token))
    grow(intervention, 9)

    assert count_queries(client, feed_url(token)) == once


def test_a_recurring_directions_page_says_when_it_is_next_due(
    client, intervention, officer, monkeypatch
):
    direction = DirectionFactory(
        direction_set=DirectionSetFactory(intervention=intervention),
        deadline_kind="recurring",
        offset_months=None,
        interval_months=6,
    )
    monkeypatch.setattr("directions.views.timezone.localdate", lambda: D(2025, 8, 1))
    client.force_login(officer)

    html = client.get(direction.get_absolute_url()).text

    assert "Recurring every 6 months; first due 22 Jul 2025." in html
    assert "Next due 22 Jan 2026." in html
