"""One RAG and status per programme per period, set in the quarter's update; baselines that
keep their memory, so that a slip approved through change control is still a slip against the
original baseline (and, when asked, not against the last approved one)."""

import datetime
import importlib

import pytest
import yaml
from django.apps import apps
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from interventions import schedule
from interventions.choices import RAG, MilestoneSchedule, SlipBaseline, WorkStatus
from interventions.dashboard.figures import dashboard_context
from interventions.dates.periods import ReportingPeriod
from interventions.interchange.exporter import export_intervention
from interventions.models import Milestone, Programme, Theme
from interventions.updates import change_control
from interventions.work.items import period_slug, save_period_update
from reports.context import report_context
from reports.models import Report
from tests.factories import MilestoneFactory, ProgrammeFactory, ProgrammeUpdateFactory
from tests.test_interchange_lossless import import_text, wipe

D = datetime.date
TODAY = timezone.localdate()
PREVIOUS = ReportingPeriod.containing(TODAY).previous()
MIGRATION = importlib.import_module(
    "interventions.migrations.0014_original_baseline_and_update_status"
)


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def bars(chart) -> dict[str, int]:
    return {bar.label: bar.value for bar in chart.bars}


def write_update(programme, period, by, **values):
    save_period_update(
        programme,
        period,
        {"rag": "amber", "status": "in_progress", "summary": "Progress.", **values},
        by=by,
        expected_version=0,
    )


# ------------------------------------------------------------ RAG set in the quarter's update


@pytest.fixture
def programme(intervention, officer):
    """A programme whose SRO is the officer, at RAG "Not started" as the plan was imported."""
    return ProgrammeFactory(
        aim__intervention=intervention,
        sro=officer.people.get(intervention=intervention),
        not_in_source=["status", "rag", "themes"],
    )


def update_url(programme, period) -> str:
    return reverse(
        "interventions:programme_update_edit",
        kwargs={
            "slug": programme.intervention.slug,
            "number": programme.number,
            "period": period_slug(period),
        },
    )


def test_the_officers_update_sets_the_programmes_rag_and_status(programme, officer):
    response = signed_in(officer).post(
        update_url(programme, PREVIOUS),
        {"rag": "amber", "status": "on_hold", "summary": "Paused.", "version": "0"},
    )

    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.rag, programme.status) == (RAG.AMBER, WorkStatus.ON_HOLD)
    # Recorded as the officer's change, true from the end of the quarter it reports on.
    record = programme.history.order_by("-history_date", "-history_id").first()
    assert record.history_user == officer
    assert record.valid_from == PREVIOUS.end
    assert str(PREVIOUS) in record.history_change_reason
    # Once an update sets them, they are no longer values the plan does not state.
    assert programme.not_in_source == ["themes"]


def test_the_update_form_asks_for_the_status_and_says_where_rag_is_set(programme, officer):
    page = signed_in(officer).get(update_url(programme, PREVIOUS)).content.decode()

    assert 'name="status"' in page
    assert "the dashboard and the reports show those of its latest update" in page


def test_an_update_that_changes_neither_writes_nothing_to_the_programme(programme, officer):
    write_update(programme, PREVIOUS, officer, rag="green")
    records = programme.history.count()

    save_period_update(
        programme,
        PREVIOUS,
        {"rag": "green", "status": "in_progress", "summary": "More progress."},
        by=officer,
        expected_version=1,
    )

    assert programme.history.count() == records


def test_the_dashboard_counts_programmes_by_their_latest_updates_rag(programme, officer, envoy):
    write_update(programme, PREVIOUS, officer, rag="amber")

    response = signed_in(envoy).get(
        reverse("interventions:dashboard", args=[programme.intervention.slug])
    )

    assert response.status_code == 200
    assert bars(response.context["programmes_by_rag"])[RAG.AMBER.label] == 1
    assert bars(response.context["programmes_by_rag"])[RAG.NOT_STARTED.label] == 0


def test_the_dashboard_as_of_a_day_shows_the_rag_then(programme, officer):
    # Q1 2025/26 was Amber, Q2 Red: each from the end of its quarter.
    Programme.history.filter(id=programme.pk).update(valid_from=D(2025, 1, 22))
    write_update(programme, ReportingPeriod(D(2025, 4, 1)), officer, rag="amber")
    write_update(programme, ReportingPeriod(D(2025, 7, 1)), officer, rag="red")
    intervention = programme.intervention

    def rag_counts(day):
        return bars(dashboard_context(intervention, day)["programmes_by_rag"])

    assert rag_counts(D(2025, 6, 29))[RAG.NOT_STARTED.label] == 1
    assert rag_counts(D(2025, 7, 15))[RAG.AMBER.label] == 1
    assert rag_counts(D(2025, 10, 1))[RAG.RED.label] == 1


def test_commissioners_updates_set_their_programmes_rag(commissioners, commissioner_personas):
    programme = commissioners.programmes.get(number=2)
    assert programme.rag == RAG.GREEN
    write_update(programme, PREVIOUS, commissioner_personas["improvement_team"], rag="red")

    response = signed_in(commissioner_personas["lead_commissioner"]).get(
        reverse("interventions:dashboard", args=[commissioners.slug])
    )

    assert bars(response.context["programmes_by_rag"])[RAG.RED.label] == 1
    assert Programme.objects.get(pk=programme.pk).rag == RAG.RED


def test_the_migration_gives_programmes_their_latest_updates_rag(programme):
    programme.themes.set([Theme.objects.first()])
    ProgrammeUpdateFactory(programme=programme, period_start=D(2025, 4, 1), rag="amber")
    ProgrammeUpdateFactory(programme=programme, period_start=D(2025, 7, 1), rag="red")

    MIGRATION.carry_updates_to_programmes(apps, None)

    programme.refresh_from_db()
    assert programme.rag == RAG.RED
    assert programme.not_in_source == ["themes"]
    records = list(programme.history.order_by("history_date", "history_id"))
    assert [(r.rag, r.valid_from) for r in records[-2:]] == [
        (RAG.AMBER, D(2025, 6, 30)),
        (RAG.RED, D(2025, 9, 30)),
    ]
    assert set(programme.updates.values_list("status", flat=True)) == {programme.status}
    # Each new record keeps the programme's themes, as reports read them from the record.
    themes = set(programme.themes.values_list("pk", flat=True))
    assert all({link.theme_id for link in r.themes.all()} == themes for r in records[-2:])


# -------------------------------------------------------------- baselines that keep memory


def slip(milestone: Milestone, to: datetime.date, by) -> None:
    """The officer forecasts a later end; the improvement team approves the slip."""
    milestone.forecast_end = to
    milestone.save()
    change = change_control.request_change(
        milestone, kind="end_date", reason="Recruitment paused.", by=by, proposed_end=to
    )
    change_control.approve(change, by=by, note="Agreed at the Board.")
    milestone.refresh_from_db()


@pytest.fixture
def slipped(intervention, improvement_team):
    """Milestone 7.3: due 30 Apr 2025, slipped to 31 Mar 2027 with the slip approved."""
    milestone = MilestoneFactory(
        programme=ProgrammeFactory(aim__intervention=intervention),
        number="7.3",
        end_as_written="Apr 2025",
        status=WorkStatus.IN_PROGRESS,
    )
    slip(milestone, D(2027, 3, 31), improvement_team)
    return milestone


def test_approving_a_slip_moves_the_baseline_but_not_the_original(slipped):
    assert slipped.baseline_end == D(2027, 3, 31)
    assert slipped.original_baseline_end == D(2025, 4, 30)


def test_slipped_is_measured_against_the_original_baseline_unless_asked(slipped):
    on = D(2026, 12, 1)
    assert schedule.schedule_of(slipped, on) == MilestoneSchedule.SLIPPED
    assert schedule.schedule_of(slipped, on, SlipBaseline.APPROVED) == MilestoneSchedule.ON_TRACK
    assert schedule.days_slipped(slipped) == (D(2027, 3, 31) - D(2025, 4, 30)).days

    in_sql = Milestone.objects.filter(pk=slipped.pk)
    assert in_sql.with_schedule(on).get().schedule == MilestoneSchedule.SLIPPED
    approved = in_sql.with_schedule(on, SlipBaseline.APPROVED).get()
    assert approved.schedule == MilestoneSchedule.ON_TRACK


def test_a_milestone_first_given_a_baseline_later_keeps_that_as_its_original(intervention):
    milestone = MilestoneFactory(
        programme=ProgrammeFactory(aim__intervention=intervention), end_as_written="TBC"
    )
    assert milestone.original_baseline_end is None

    milestone.baseline_end = D(2026, 6, 30)
    milestone.save()

    assert milestone.original_baseline_end == D(2026, 6, 30)


def test_the_slipped_filter_lists_it_against_the_original_baseline(slipped, envoy):
    client = signed_in(envoy)
    url = reverse("interventions:milestone_list", args=[slipped.programme.intervention.slug])

    by_default = client.get(url, {"schedule": "slipped"}).content.decode()
    against_approved = client.get(url, {"schedule": "slipped", "against": "approved"})

    assert slipped.title in by_default
    assert against_approved.status_code == 200
    assert slipped.title not in against_approved.content.decode()


def test_the_dashboard_counts_the_slip_against_the_baseline_asked_for(slipped, envoy):
    intervention = slipped.programme.intervention
    client = signed_in(envoy)
    url = reverse("interventions:dashboard", args=[intervention.slug])

    by_default = client.get(url)
    against_approved = client.get(url, {"against": "approved"})

    assert bars(by_default.context["milestones"])["Slipped"] == 1
    assert "later than the original baseline end" in by_default.content.decode()
    assert bars(against_approved.context["milestones"])["Slipped"] == 0
    # Its bars lead to the list filtered the same way.
    assert "against=approved" in against_approved.context["milestones"].bars[0].url


def test_the_milestone_page_shows_every_baseline_and_the_forecast(slipped, envoy):
    change = slipped.change_requests.get()
    page = (
        signed_in(envoy)
        .get(
            reverse(
                "interventions:milestone_detail",
                args=[slipped.programme.intervention.slug, slipped.pk],
            )
        )
        .content.decode()
    )

    assert "Baselines and forecast of milestone 7.3" in page
    assert "30 Apr 2025" in page  # the original
    assert "Re-baseline 1" in page
    assert change.decided_by.get_full_name() in page
    assert (
        reverse(
            "interventions:change_request_detail",
            args=[slipped.programme.intervention.slug, change.pk],
        )
        in page
    )
    assert "700 days after the original baseline" in page
    assert "not after the last approved baseline" in page


def test_reports_count_the_slip_against_the_baseline_the_draft_names(slipped):
    report = Report.objects.create(
        intervention=slipped.programme.intervention,
        kind="board",
        title="Quarterly report",
        as_of=TODAY,
    )

    slips = report_context(report)["slipped"]
    assert [s["milestone"].id for s in slips] == [slipped.pk]
    assert slips[0]["days"] == 700

    report.slips_against = SlipBaseline.APPROVED
    assert report_context(report)["slipped"] == []


def test_commissioners_milestones_keep_their_original_baseline(
    commissioners, commissioner_personas
):
    milestone = Milestone.objects.get(programme__intervention=commissioners, number="1.2")
    slip(milestone, D(2027, 6, 30), commissioner_personas["improvement_team"])

    counts = bars(dashboard_context(commissioners, D(2026, 12, 1))["milestones"])
    approved = dashboard_context(commissioners, D(2026, 12, 1), SlipBaseline.APPROVED)

    assert milestone.original_baseline_end == D(2026, 3, 31)
    assert counts["Slipped"] == 1
    assert bars(approved["milestones"])["Slipped"] == 0


def test_the_migration_finds_the_original_baseline_in_the_history(slipped):
    Milestone.objects.filter(pk=slipped.pk).update(original_baseline_end=None)
    Milestone.history.filter(id=slipped.pk).update(original_baseline_end=None)

    MIGRATION.remember_original_baselines(apps, None)

    slipped.refresh_from_db()
    assert slipped.original_baseline_end == D(2025, 4, 30)
    assert set(slipped.history.values_list("original_baseline_end", flat=True)) == {D(2025, 4, 30)}


def test_a_file_without_the_original_baseline_takes_it_from_the_approved_slip(
    commissioners, commissioner_personas
):
    milestone = Milestone.objects.get(programme__intervention=commissioners, number="1.2")
    slip(milestone, D(2027, 6, 30), commissioner_personas["improvement_team"])
    document = yaml.safe_load(export_intervention(commissioners))
    for aim in document["plan"]["aims"]:
        for programme in aim["programmes"]:
            for part in programme["milestones"]:
                part.pop("original_baseline_end", None)
                part.pop("versions", None)  # a file written by hand has none
    wipe(commissioners)

    imported = import_text(yaml.safe_dump(document, sort_keys=False))

    found = Milestone.objects.get(programme__intervention=imported, number="1.2")
    assert found.baseline_end == D(2027, 6, 30)
    assert found.original_baseline_end == D(2026, 3, 31)


def test_the_draft_says_which_baseline_its_slips_are_measured_against(slipped, improvement_team):
    report = Report.objects.create(
        intervention=slipped.programme.intervention, kind="board", title="Q", as_of=TODAY
    )
    url = reverse("reports:report_edit", args=[report.intervention.slug, report.pk])
    client = signed_in(improvement_team)
    assert 'name="slips_against"' in client.get(url).content.decode()

    response = client.post(
        url,
        {"title": "Q", "as_of": TODAY.isoformat(), "version": 1, "slips_against": "approved"},
    )

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.slips_against == SlipBaseline.APPROVED
    assert report_context(report)["slipped"] == []
