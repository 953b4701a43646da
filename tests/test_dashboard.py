"""The intervention dashboard: who sees it, what it counts, and that figures lead to their rows."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from directions.models import ReportingDuty
from interventions.access import roles
from interventions.choices import MilestoneSchedule
from interventions.dashboard.figures import rag_trend
from interventions.deadlines.engine import State
from interventions.deadlines.filters import PER_PAGE
from interventions.kit.kept import forget_all
from interventions.models import Intervention, Milestone, Programme, Theme
from interventions.models.base import set_effective_date
from interventions.schedule import schedule_of
from tests.deadline_factories import (
    IntervalVariationFactory,
    ReportFactory,
    ReportingDutyFactory,
)
from tests.factories import (
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    InterventionFactory,
    MeetingFactory,
    MilestoneFactory,
    PersonFactory,
    ProgrammeFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)
from tests.test_query_counts import count_queries, grow

PAST = datetime.date(2025, 6, 30)


def dashboard_url(intervention, **params) -> str:
    url = reverse("interventions:dashboard", kwargs={"slug": intervention.slug})
    return url + ("?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else "")


@pytest.fixture
def plan(intervention):
    """A bit of everything, in every state the dashboard counts."""
    culture, governance = Theme.objects.get(slug="culture"), Theme.objects.get(slug="governance")
    aim = StrategicAimFactory(intervention=intervention)
    for n, rag in enumerate(["red", "red", "amber", "green", "complete", "not_started"]):
        programme = ProgrammeFactory(aim=aim, rag=rag)
        programme.themes.add(culture if n % 2 else governance)
        if n == 0:
            programme.themes.add(culture)
    programme = intervention.programmes.first()
    day = datetime.date(2025, 5, 1)
    for status, baseline, forecast in [
        ("complete", day, None),
        ("cancelled", day, None),
        ("in_progress", day, None),  # overdue on PAST
        ("in_progress", datetime.date(2025, 9, 30), datetime.date(2025, 12, 31)),  # slipped
        ("not_started", datetime.date(2025, 9, 30), None),  # on track on PAST
        ("on_hold", datetime.date(2025, 5, 1), datetime.date(2025, 8, 1)),  # slipped on PAST
    ]:
        MilestoneFactory(
            programme=programme, status=status, baseline_end=baseline, forecast_end=forecast
        )
    direction_set = DirectionSetFactory(intervention=intervention)
    for compliance in ["met", "met", "at_risk", "not_assessed"]:
        direction = DirectionFactory(direction_set=direction_set, compliance=compliance)
        direction.themes.add(culture)
    DirectionFactory(direction_set=direction_set, parent=direction, ref="i", compliance="met")
    RecommendationFactory(intervention=intervention, response_due=datetime.date(2025, 6, 1))
    RecommendationFactory(intervention=intervention, response_due=datetime.date(2025, 7, 31))
    RecommendationFactory(intervention=intervention)
    RecommendationFactory(
        intervention=intervention,
        response_due=datetime.date(2025, 6, 1),
        responded_on=datetime.date(2025, 5, 30),
        response="Accepted.",
    )
    return intervention


def figures(context) -> list[tuple[str, int, str]]:
    """Every figure on the dashboard that links to rows: (what it is, the count, the link)."""
    charts = [
        context["directions"]["chart"],
        context["programmes_by_rag"],
        context["milestones"],
        context["themes"]["programmes"],
        context["themes"]["directions"],
    ]
    found = [
        (f"{chart.title}: {label}, {column}", cell.value, cell.url)
        for chart in charts
        for label, cells in chart.table().labelled_rows()
        for cell, column in cells
        if cell.url
    ]
    recommendations = context["recommendations"]
    found.append(("awaiting", recommendations["awaiting"], recommendations["awaiting_url"]))
    found.append(("overdue", recommendations["overdue"], recommendations["overdue_url"]))
    return found


@pytest.mark.parametrize("params", [{}, {"as_of": PAST.isoformat()}])
def test_every_figure_counts_the_rows_of_the_page_it_links_to(client, envoy, plan, params):
    client.force_login(envoy)
    context = client.get(dashboard_url(plan, **params)).context

    checked = figures(context)

    assert len(checked) > 40
    assert any(value for _, value, _ in checked)
    for what, value, url in checked:
        page = client.get(url)
        assert page.status_code == 200, url
        assert page.context["table"].paginator.count == value, f"{what}: {url}"


def test_it_counts_milestones_against_their_dates_on_the_chosen_day(client, envoy, plan):
    client.force_login(envoy)

    chart = client.get(dashboard_url(plan, as_of=PAST.isoformat())).context["milestones"]

    counts = {bar.label: bar.value for bar in chart.bars}
    assert counts == {
        "Complete": 1,
        "On track": 1,
        "Slipped": 2,
        "Overdue": 1,
        "Cancelled": 1,
    }
    overdue = next(bar for bar in chart.bars if bar.label == "Overdue")
    assert overdue.url.endswith("schedule=overdue&as_of=2025-06-30")


def test_the_schedule_agrees_with_a_milestones_own_overdue_test(plan):
    for milestone in Milestone.objects.with_schedule(PAST):
        assert (milestone.schedule == MilestoneSchedule.OVERDUE) == milestone.is_overdue(PAST)


@pytest.mark.parametrize("day", [PAST, datetime.date(2025, 5, 1), datetime.date(2026, 1, 1)])
def test_the_schedule_of_a_row_in_memory_agrees_with_the_query(plan, day):
    # Reports count milestones of their snapshot in memory; the dashboard counts them in SQL.
    MilestoneFactory(programme=plan.programmes.first(), baseline_end=None, forecast_end=None)
    milestones = list(Milestone.objects.with_schedule(day))

    assert [schedule_of(m, day) for m in milestones] == [m.schedule for m in milestones]


def test_it_counts_recommendations_awaiting_a_response_and_overdue(client, envoy, plan):
    client.force_login(envoy)

    recommendations = client.get(dashboard_url(plan, as_of=PAST.isoformat())).context[
        "recommendations"
    ]

    assert recommendations["awaiting"] == 3
    assert recommendations["overdue"] == 1


def test_it_shows_the_next_board_meeting_on_or_after_the_day(client, envoy, intervention):
    board = BoardFactory(intervention=intervention, name="Transformation <Board>")
    MeetingFactory(board=board, date=datetime.date(2025, 6, 1), title="Past")
    MeetingFactory(board=board, date=datetime.date(2025, 7, 7), status="cancelled")
    MeetingFactory(board=board, date=datetime.date(2025, 7, 14), title="Quarterly report")
    other = BoardFactory(intervention=intervention, kind="audit_committee")
    MeetingFactory(board=other, date=datetime.date(2025, 7, 1))
    client.force_login(envoy)

    response = client.get(dashboard_url(intervention, as_of=PAST.isoformat()))

    assert response.context["next_meeting"].title == "Quarterly report"
    html = response.content.decode()
    assert "Monday 14 July 2025: Quarterly report" in html
    assert "Transformation &lt;Board&gt;" in html


def test_it_says_when_no_board_meeting_is_coming(client, envoy, intervention):
    client.force_login(envoy)

    response = client.get(dashboard_url(intervention))

    assert response.context["next_meeting"] is None
    assert "No meeting of the Transformation and Assurance Board is recorded" in (
        response.content.decode()
    )


def set_history_date(programme: Programme, when: datetime.datetime) -> None:
    """Date the programme's latest history record: tests cannot wait for months to pass."""
    record = programme.history.order_by("-history_date", "-history_id").first()
    programme.history.filter(history_id=record.history_id).update(history_date=when)


def at(year: int, month: int, day: int) -> datetime.datetime:
    return datetime.datetime(year, month, day, 12, tzinfo=timezone.get_current_timezone())


def test_the_rag_trend_comes_from_the_programmes_history(intervention):
    aim = StrategicAimFactory(intervention=intervention)
    turns_red = ProgrammeFactory(aim=aim, rag="green")
    set_history_date(turns_red, at(2025, 1, 22))
    stays_green = ProgrammeFactory(aim=aim, rag="green")
    set_history_date(stays_green, at(2025, 2, 10))
    turns_red.rag = "red"
    turns_red.save()
    set_history_date(turns_red, at(2025, 3, 31))
    removed = ProgrammeFactory(aim=aim, rag="amber")
    set_history_date(removed, at(2025, 2, 1))
    removed_pk = removed.pk
    removed.delete()
    Programme.history.filter(id=removed_pk, history_type="-").update(history_date=at(2025, 4, 2))

    chart = rag_trend(intervention, datetime.date(2025, 4, 1))

    assert chart.categories == ["Jan 2025", "Feb 2025", "Mar 2025", "Apr 2025"]
    # Columns: not started, green, amber, red, complete.
    assert chart.values == [
        [0, 1, 0, 0, 0],
        [0, 2, 1, 0, 0],
        [0, 1, 1, 1, 0],
        [0, 1, 1, 1, 0],  # the amber one goes on 2 April, after the chosen day
    ]
    assert rag_trend(intervention, datetime.date(2025, 4, 30)).values[-1] == [0, 1, 0, 1, 0]


def test_the_rag_trend_shows_the_last_twelve_months_at_most(intervention):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))
    set_history_date(programme, at(2024, 1, 15))

    chart = rag_trend(intervention, datetime.date(2025, 6, 30))

    assert chart.categories[0] == "Jul 2024"
    assert chart.categories[-1] == "Jun 2025"
    assert len(chart.categories) == 12


def test_the_rag_trend_is_empty_before_anything_was_recorded(intervention):
    ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention))

    chart = rag_trend(intervention, datetime.date(2020, 1, 1))

    assert chart.categories == []
    assert "No programme was in the plan by then" in chart.text_alternative()


def test_the_rag_trend_counts_a_rag_entered_late_from_the_day_it_took_effect(intervention):
    programme = ProgrammeFactory(aim=StrategicAimFactory(intervention=intervention), rag="green")
    set_history_date(programme, at(2025, 1, 22))
    programme.rag = "red"
    set_effective_date(programme, datetime.date(2025, 2, 14))
    programme.save()  # entered today

    chart = rag_trend(intervention, datetime.date(2025, 3, 31))

    # Columns: not started, green, amber, red, complete.
    assert chart.values == [[0, 1, 0, 0, 0], [0, 0, 0, 1, 0], [0, 0, 0, 1, 0]]


def test_the_page_shows_each_chart_with_its_text_alternative_and_figures(client, envoy, plan):
    client.force_login(envoy)

    html = client.get(dashboard_url(plan)).content.decode()

    assert html.count('role="img"') == 6
    assert "Programmes by RAG now: figures</caption>" in html
    assert "Red 2" in html  # the text alternative, in the chart's <desc>


def test_a_bad_date_is_explained_and_today_is_shown(client, envoy, intervention):
    client.force_login(envoy)

    response = client.get(dashboard_url(intervention, as_of="31-31-2025"))

    assert response.status_code == 200
    assert response.context["on"] == timezone.localdate()
    assert "govuk-error-summary" in response.content.decode()


def test_the_home_page_and_the_menu_lead_to_the_dashboard(client, envoy, intervention):
    client.force_login(envoy)

    html = client.get(intervention.get_absolute_url()).content.decode()

    assert html.count(f'href="{dashboard_url(intervention)}"') == 2


@pytest.mark.parametrize("persona", ["officer", "envoy", "board_member", "administrator"])
def test_people_of_the_intervention_see_the_dashboard(client, intervention, persona, request):
    client.force_login(request.getfixturevalue(persona))

    assert client.get(dashboard_url(intervention)).status_code == 200


def test_another_interventions_user_gets_not_found(client, stranger, intervention):
    client.force_login(stranger)

    assert client.get(dashboard_url(intervention)).status_code == 404


def test_signing_in_is_needed(client, intervention):
    response = client.get(dashboard_url(intervention))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def grow_reports(intervention, n: int) -> None:
    """A reporting duty of each kind (once), with `n` more issued reports and changes of
    interval, for the deadline engine."""
    for kind in ("board", "sos", "stocktake"):
        duty = ReportingDutyFactory.build(intervention=intervention, report_kind=kind)
        duty, _ = ReportingDuty.objects.get_or_create(
            intervention=intervention,
            report_kind=kind,
            defaults={"title": duty.title, "first_due_months": 3, "interval_months": 3},
        )
        for _ in range(n):
            IntervalVariationFactory(duty=duty)
            ReportFactory(intervention=intervention, kind=kind)


@pytest.mark.parametrize("params", [{}, {"as_of": PAST.isoformat()}])
def test_the_dashboard_makes_the_same_queries_at_ten_times_the_rows(
    client, intervention, envoy, params
):
    client.force_login(envoy)
    url = dashboard_url(intervention, **params)
    grow(intervention, envoy, 1)
    grow_reports(intervention, 1)
    count_queries(client, url)  # warm up

    forget_all()  # the deadlines worked out afresh at both sizes, as after a change
    once = count_queries(client, url)
    grow(intervention, envoy, 9)
    grow_reports(intervention, 9)
    forget_all()
    ten_times = count_queries(client, url)

    assert ten_times == once
    # The session and the user, the user's groups, the intervention (4); Directions: totals
    # and by compliance (2); programmes by RAG (1); the RAG trend's history (1); milestones by
    # schedule (1); recommendations (1); the next Board meeting (1); themes: the themes, the
    # programmes and the Directions by theme (3). Added with the deadlines part, one run of
    # the deadline engine for the next reporting deadline and the overdue count (10, and 1
    # for the version of the data the page's figures, the deadlines and the header's count are
    # kept with, read once a request: interventions.kit.kept): reporting
    # duties, their changes of interval; Directions, their themes, their changes of interval;
    # issued reports; milestones, their programmes' themes; recommendations; meetings. (A
    # prefetch over no rows makes no query: these duties have no Direction and these
    # recommendations no response date.) On a past day the engine reads the milestones as they
    # stood then, from their history (1). The success measures (1: there are none here, so
    # neither their readings nor the themes are read; see test_measure_pages). The header's
    # count of what waits in My work and the role names it needs (2). The
    # risks as of the day (1: there are none here, so neither their owners nor programmes are
    # read; see test_risks_dashboard_and_reports).
    assert once == 4 + 10 + 10 + 1 + 1 + (1 if params else 0) + 2 + 1


def test_the_milestone_list_filters_by_schedule_on_a_day(client, envoy, plan):
    client.force_login(envoy)
    url = reverse("interventions:milestone_list", kwargs={"slug": plan.slug})

    on_past = client.get(f"{url}?schedule=slipped&as_of={PAST.isoformat()}").context["table"]
    today = client.get(f"{url}?schedule=slipped").context["table"]

    assert {row.record.status for row in on_past.rows} == {"in_progress", "on_hold"}
    # By today both slipped milestones are past their forecast ends: overdue, not slipped.
    assert today.paginator.count == 0


def test_the_recommendation_list_filters_overdue_responses(client, envoy, plan):
    client.force_login(envoy)
    url = reverse("boards:recommendation_list", kwargs={"slug": plan.slug})

    overdue = client.get(f"{url}?overdue=true&as_of={PAST.isoformat()}").context["table"]
    not_overdue = client.get(f"{url}?overdue=false&as_of={PAST.isoformat()}").context["table"]

    assert [row.record.response_due for row in overdue.rows] == [datetime.date(2025, 6, 1)]
    assert not_overdue.paginator.count == 3


# ------------------------------------------------------------------- deadlines on the dashboard


@pytest.fixture
def tower_hamlets(db):
    call_command(
        "import_intervention",
        str(Path(settings.BASE_DIR) / "data" / "tower-hamlets-2025.yaml"),
        verbosity=0,
    )
    return Intervention.objects.get(slug="tower-hamlets-2025")


def envoy_of(intervention):
    user = UserFactory(role=roles.ENVOY)
    PersonFactory(intervention=intervention, user=user)
    return user


def rows_on(client, url: str) -> list:
    page = client.get(url)
    assert page.status_code == 200, url
    return [row.record for row in page.context["table"].page.object_list]


def test_on_1_july_2025_the_first_report_to_the_secretary_of_state_is_next_due_22_july(
    client, tower_hamlets
):
    # The Board's first quarterly report was due at its June 2025 meeting (Envoys' report
    # §1.11), so it is no longer due the same day as the report to the Secretary of State.
    client.force_login(envoy_of(tower_hamlets))

    response = client.get(dashboard_url(tower_hamlets, as_of="2025-07-01"))

    deadlines = response.context["deadlines"]
    assert deadlines["next_report_due"] == datetime.date(2025, 7, 22)
    shown = [(row.occurrence.what, row.occurrence.state) for row in deadlines["next_reports"]]
    assert shown == [("Six-monthly report to the Secretary of State (1st)", State.UPCOMING)]
    html = response.content.decode()
    assert "Due Tuesday 22 July 2025, 21 days after 1 Jul 2025" in html
    assert "Six-monthly report to the Secretary of State (1st)</a> (Direction j)" in html
    for row in deadlines["next_reports"]:
        assert "source=report" in row.url and "as_of=2025-07-01" in row.url
        listed = rows_on(client, row.url)
        assert row.occurrence.uid in [item.uid for item in listed]
        assert {item.source for item in listed} == {"report"}


def test_the_overdue_count_is_the_overdue_pages_count_on_the_chosen_day(client, tower_hamlets):
    client.force_login(envoy_of(tower_hamlets))

    deadlines = client.get(dashboard_url(tower_hamlets, as_of="2025-07-01")).context["deadlines"]

    assert deadlines["overdue_url"].endswith("/deadlines/overdue/?as_of=2025-07-01")
    page = client.get(deadlines["overdue_url"])
    assert deadlines["overdue"] == page.context["table"].paginator.count > 0
    assert (
        f">{deadlines['overdue']}<span"
        in client.get(dashboard_url(tower_hamlets, as_of="2025-07-01")).content.decode()
    )


def test_the_link_to_the_next_report_opens_the_page_of_the_list_that_shows_it(client, db):
    intervention = InterventionFactory(duration_months=120)
    ReportingDutyFactory(intervention=intervention, first_due_months=1, interval_months=1)
    on = datetime.date(2030, 1, 1)  # far enough for more than a page of monthly reports
    client.force_login(envoy_of(intervention))

    deadlines = client.get(dashboard_url(intervention, as_of=on.isoformat())).context["deadlines"]

    [row] = deadlines["next_reports"]
    assert row.occurrence.due == datetime.date(2030, 1, 22)
    assert "page=2" in row.url
    assert row.occurrence.uid in [item.uid for item in rows_on(client, row.url)]
    first_page = deadlines["reports_url"]
    assert len(rows_on(client, first_page)) == PER_PAGE


def test_today_the_deadline_links_carry_no_date(client, envoy, intervention):
    ReportingDutyFactory(intervention=intervention, first_due_months=1, interval_months=1)
    client.force_login(envoy)

    deadlines = client.get(dashboard_url(intervention)).context["deadlines"]

    assert "as_of" not in deadlines["overdue_url"] + deadlines["reports_url"]


def test_it_says_when_no_report_is_due(client, envoy, intervention):
    client.force_login(envoy)

    response = client.get(dashboard_url(intervention, as_of=PAST.isoformat()))

    assert response.context["deadlines"]["next_reports"] == []
    assert "No report is due on or after 30 Jun 2025" in response.content.decode()


@pytest.mark.parametrize(
    "name, query",
    [
        ("interventions:dashboard", "on=2025-07-01"),
        ("interventions:milestone_list", "schedule=overdue&on=2025-07-01"),
        ("boards:recommendation_list", "overdue=true&on=2025-07-01"),
    ],
)
def test_an_address_saved_with_the_old_on_parameter_redirects_to_as_of(
    client, envoy, intervention, name, query
):
    client.force_login(envoy)
    url = reverse(name, kwargs={"slug": intervention.slug})
    response = client.get(f"{url}?{query}")
    assert response.status_code == 301
    assert response["Location"] == f"{url}?{query.replace('on=', 'as_of=')}"
