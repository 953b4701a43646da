"""Reports: the record as of a date, movement since the previous report, the workflow from
draft to issue, who may do what, and the guards that keep an issued report unchanged."""

import datetime
import io
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from asgiref.local import Local
from django.contrib.admin.sites import site as admin_site
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.tasks import task_backends
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards.choices import RecommendationStatus
from interventions.choices import RAG, WorkStatus
from interventions.kit.kept import forget_all
from interventions.management.benchmarking.report_builds import time_builds
from interventions.models import Theme
from interventions.models.base import set_effective_date
from reports import build, drafting, pdf, snapshot
from reports.choices import BuildState, ReportStatus
from reports.context import report_context as context_of
from reports.models import Report, ReportIssued
from tests.factories import (
    ActionFactory,
    AttendanceFactory,
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    EvidenceFactory,
    MeetingFactory,
    MilestoneFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    RecommendationFactory,
    StrategicAimFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

JAN = datetime.date(2025, 1, 31)
MAR = datetime.date(2025, 3, 31)
JUN = datetime.date(2025, 6, 30)
LONDON = ZoneInfo("Europe/London")


def backdate(obj, day: datetime.date) -> None:
    """Move every history record of a row to noon on `day`, as if it had been made then."""
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    obj.history.all().update(history_date=moment)


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


@pytest.fixture
def programme(intervention):
    aim = StrategicAimFactory(intervention=intervention)
    programme = ProgrammeFactory(intervention=intervention, aim=aim, rag=RAG.GREEN)
    backdate(programme, JAN)
    return programme


@pytest.fixture
def draft(intervention, programme):
    return Report.objects.create(intervention=intervention, kind="board", title="Q1", as_of=JUN)


def issue(report: Report, user) -> Report:
    build.finalise(report, user)
    report.refresh_from_db()
    return report


# ------------------------------------------------------------------------- as of a date


def test_a_snapshot_shows_each_row_as_it_stood_at_the_end_of_the_day(intervention, programme):
    programme.rag = RAG.RED
    programme.save()
    backdate_last = programme.history.order_by("-history_id").first()
    backdate_last.history_date = datetime.datetime(2025, 4, 1, 0, 30, tzinfo=LONDON)
    backdate_last.save()
    later = ProgrammeFactory(intervention=intervention, aim=programme.aim)  # made today

    in_march = snapshot.take(intervention, MAR)
    in_june = snapshot.take(intervention, JUN)

    assert [(p.id, p.rag) for p in in_march.programmes] == [(programme.id, RAG.GREEN)]
    assert [(p.id, p.rag) for p in in_june.programmes] == [(programme.id, RAG.RED)]
    assert later.id not in {p.id for p in in_june.programmes}


def test_a_deleted_row_is_gone_only_after_its_deletion(intervention, programme):
    milestone = MilestoneFactory(programme=programme)
    backdate(milestone, JAN)
    pk = milestone.pk
    milestone.delete()  # today

    assert [m.id for m in snapshot.take(intervention, JUN).milestones] == [pk]
    assert snapshot.take(intervention, timezone.localdate()).milestones == []


def test_taking_a_snapshot_reads_each_kind_of_row_once(intervention, programme):
    def count() -> int:
        forget_all()  # nothing kept: counted as the first reading after a change
        with CaptureQueriesContext(connection) as queries:
            snapshot.take(intervention, timezone.localdate())
        return len(queries)

    direction_set = DirectionSetFactory(intervention=intervention)

    def grow(n: int) -> None:
        for _ in range(n):
            other = ProgrammeFactory(intervention=intervention, aim=programme.aim)
            MilestoneFactory(programme=other)
            ProgrammeUpdateFactory(programme=other)
            direction = DirectionFactory(direction_set=direction_set)
            direction.themes.add(Theme.objects.first())
            RecommendationFactory(intervention=intervention)
            meeting = MeetingFactory(
                board=BoardFactory(intervention=intervention), date=datetime.date(2025, 1, 1)
            )
            AttendanceFactory(meeting=meeting)
            ActionFactory(meeting=meeting)
            EvidenceFactory(programme=other)

    grow(1)
    few = count()
    grow(9)
    # Intervention, authority, plan, aims, programmes, milestones, programme themes, people,
    # direction sets, directions, direction themes, boards, meetings, attendance, actions,
    # evidence, reporting duties, recommendations, updates, themes.
    assert count() == few == 20


def bars(chart) -> dict[str, int]:
    return {bar.label: bar.value for bar in chart.bars if bar.value}


def test_the_charts_count_the_snapshot_not_todays_record(intervention, programme):
    milestone = MilestoneFactory(programme=programme, baseline_end=datetime.date(2025, 5, 1))
    backdate(milestone, JAN)
    direction_set = DirectionSetFactory(intervention=intervention)
    direction = DirectionFactory(direction_set=direction_set, compliance="at_risk")
    backdate(direction_set, JAN)
    backdate(direction, JAN)
    # Since the report's date: the programme turned red, the milestone was completed, the
    # Direction was met.
    programme.rag = RAG.RED
    programme.save()
    milestone.status = WorkStatus.COMPLETE
    milestone.save()
    direction.compliance = "met"
    direction.save()
    report = Report.objects.create(intervention=intervention, kind="sos", title="S", as_of=JUN)

    context = context_of(report)
    rag, milestones = context["charts"]

    assert rag.title == "Programmes by RAG on 30 Jun 2025"
    assert bars(rag) == {"Green": 1}
    assert bars(milestones) == {"Overdue": 1}
    assert bars(context["directions_chart"]) == {"At risk": 1}
    html = pdf.render_html(report, context)
    assert html.count('<img src="data:image/svg+xml;base64,') == 3
    assert f'alt="{rag.text_alternative()}"' in html
    assert "Programmes by RAG on 30 Jun 2025: figures</caption>" in html


def test_only_the_report_to_the_secretary_of_state_charts_the_directions(draft):
    context = context_of(draft)
    html = pdf.render_html(draft, context)

    assert "directions_chart" not in context
    assert html.count('<img src="data:image/svg+xml;base64,') == 2


# ---------------------------------------------------------------------------- movement


def test_movement_since_the_previous_report_of_the_same_kind(
    intervention, programme, improvement_team
):
    milestone = MilestoneFactory(programme=programme, baseline_end=datetime.date(2025, 5, 1))
    backdate(milestone, JAN)
    made = RecommendationFactory(intervention=intervention, made_on=datetime.date(2025, 2, 1))
    backdate(made, datetime.date(2025, 2, 1))
    previous = Report.objects.create(intervention=intervention, kind="board", title="Q4", as_of=MAR)
    issue(previous, improvement_team)

    # In Q1: the programme goes amber, the milestone slips then completes, a recommendation
    # is answered and closed, another is made.
    programme.rag = RAG.AMBER
    programme.save()
    milestone.forecast_end = datetime.date(2025, 6, 1)
    milestone.status = WorkStatus.COMPLETE
    milestone.save()
    made.response, made.responded_on = "Agreed.", datetime.date(2025, 5, 1)
    made.status = RecommendationStatus.CLOSED
    made.save()
    new = RecommendationFactory(intervention=intervention, made_on=datetime.date(2025, 5, 2))
    for obj in (programme, milestone, made, new):
        latest = obj.history.order_by("-history_id").first()
        latest.history_date = datetime.datetime(2025, 5, 10, 12, tzinfo=LONDON)
        latest.save()

    report = Report.objects.create(intervention=intervention, kind="board", title="Q1", as_of=JUN)
    report.previous = report.find_previous()
    assert report.previous == previous
    moved = context_of(report)["movement"]

    assert [(c["old"], c["new"]) for c in moved.rag_changes] == [(RAG.GREEN, RAG.AMBER)]
    assert [m.id for m in moved.completed] == [milestone.id]
    assert [(s["milestone"].id, s["days"]) for s in moved.slipped] == [(milestone.id, 31)]
    assert [r.id for r in moved.recommendations_made] == [new.id]
    assert [r.id for r in moved.recommendations_answered] == [made.id]
    assert [r.id for r in moved.recommendations_closed] == [made.id]


# --------------------------------------------------------------------------- permissions


def test_the_register_lists_what_each_persona_may_read(
    client, intervention, draft, improvement_team, envoy, board_member, officer, stranger
):
    issued = Report.objects.create(
        intervention=intervention, kind="sos", title="Issued one", as_of=JUN
    )
    issue(issued, improvement_team)
    register = reverse("reports:report_list", kwargs={"slug": intervention.slug})

    def titles(user) -> set[str]:
        client.force_login(user)
        response = client.get(register)
        assert response.status_code == 200
        return {r.title for r in response.context["issued"] + response.context["drafts"]}

    assert titles(improvement_team) == {"Q1", "Issued one"}
    assert titles(envoy) == {"Issued one"}
    assert titles(board_member) == {"Issued one"}
    assert titles(officer) == set()
    issued.shared_with_officers = True
    issued.save()  # who may read it may change after issue; what it says may not
    assert titles(officer) == {"Issued one"}

    client.force_login(stranger)
    assert client.get(register).status_code == 404
    assert client.get(url("report_download", issued)).status_code == 404


def test_downloads_are_checked(client, intervention, draft, improvement_team, envoy, officer):
    client.force_login(improvement_team)
    client.post(url("report_build", draft))
    assert client.get(url("report_download", draft)).status_code == 200
    client.force_login(envoy)  # a Board report's draft is the improvement team's
    assert client.get(url("report_download", draft)).status_code == 404
    assert client.get(url("report_detail", draft)).status_code == 404
    issue(draft, improvement_team)
    assert client.get(url("report_download", draft)).status_code == 200
    client.force_login(officer)
    assert client.get(url("report_download", draft)).status_code == 404


def test_only_the_improvement_team_starts_board_and_sos_reports(
    client, intervention, officer, envoy, improvement_team
):
    create = reverse("reports:report_create", kwargs={"slug": intervention.slug})
    data = {"kind": "sos", "title": "SoS", "as_of": "2025-07-22"}
    client.force_login(officer)
    assert client.post(create, data).status_code == 403
    client.force_login(envoy)  # Envoys may start stocktakes, not reports to the SoS
    assert client.post(create, data).status_code == 200
    assert not Report.objects.exists()
    assert client.post(create, {**data, "kind": "stocktake"}).status_code == 302
    client.force_login(improvement_team)
    assert client.post(create, data).status_code == 302
    assert Report.objects.count() == 2


def test_a_full_council_date_is_only_for_reports_to_the_secretary_of_state(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    create = reverse("reports:report_create", kwargs={"slug": intervention.slug})
    data = {"kind": "board", "title": "B", "as_of": "2025-06-30", "full_council_on": "2025-07-16"}
    response = client.post(create, data)
    assert response.status_code == 200
    assert "Only reports to the Secretary of State go to Full Council." in response.content.decode()
    assert client.post(create, {**data, "kind": "sos"}).status_code == 302
    assert Report.objects.get().full_council_on == datetime.date(2025, 7, 16)


def test_envoys_write_their_judgement_for_each_theme(client, intervention, envoy, programme):
    stocktake = Report.objects.create(
        intervention=intervention, kind="stocktake", title="S", as_of=JUN
    )
    client.force_login(envoy)
    culture = Theme.objects.get(slug="culture")
    response = client.post(
        url("report_edit", stocktake),
        {
            "title": "Stocktake",
            "as_of": "2025-06-30",
            "version": 1,
            f"judgement_{culture.slug}": "Culture is improving, slowly.",
            "commentary_next_period": "We expect a permanent chief executive.",
        },
    )
    assert response.status_code == 302
    stocktake.refresh_from_db()
    assert stocktake.judgements == {"culture": "Culture is improving, slowly."}
    text = pdf_text(build.build_pdf(stocktake))
    assert "Culture is improving, slowly." in text
    assert "We expect a permanent chief executive." in text


def test_the_board_report_quotes_each_programmes_update_for_the_quarter(draft, programme):
    update = ProgrammeUpdateFactory(
        programme=programme,
        period_start=datetime.date(2025, 4, 1),
        summary="Recruitment to the new team is complete.",
        risks="Budget pressure in the second half.",
        decisions_needed="Agree the revised timetable.",
    )
    backdate(update, datetime.date(2025, 6, 20))
    earlier = ProgrammeUpdateFactory(
        programme=programme, period_start=datetime.date(2025, 1, 1), summary="Old quarter."
    )
    backdate(earlier, MAR)

    text = pdf_text(build.build_pdf(draft))

    assert "Update for Q1 2025/26: Amber" in text
    assert "Recruitment to the new team is complete." in text
    assert "Agree the revised timetable." in text and "Budget pressure" in text
    assert "Old quarter." not in text


# ------------------------------------------------------------------------ the narrative


def test_a_stale_narrative_edit_is_refused_and_the_input_kept(client, draft, improvement_team):
    client.force_login(improvement_team)
    data = {"title": "Q1 report", "as_of": "2025-06-30", "version": 1, "summary": "Mine"}
    Report.objects.filter(pk=draft.pk).update(summary="Theirs", version=2)

    response = client.post(url("report_edit", draft), data)

    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in response.content.decode()
    assert "Mine" in response.content.decode()
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("Theirs", 2)
    response = client.post(url("report_edit", draft), {**data, "version": 2, "reason": "Tone"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.summary, draft.version) == ("Mine", 3)
    assert draft.history.latest().history_change_reason == "Tone"


def test_user_text_is_printed_literally_never_as_markup(client, draft, programme, improvement_team):
    payload = '<script>alert("x")</script><b>bold</b> & <img src=x onerror=alert(1)>'
    programme.title = f"Programme {payload}"
    programme.save()
    backdate(programme, JAN)
    draft.summary = payload
    draft.commentary = {"programmes": payload}
    draft.save()

    text = pdf_text(build.build_pdf(draft))
    assert text.count('<script>alert("x")</script><b>bold</b> &') >= 3

    client.force_login(improvement_team)
    preview = client.get(url("report_preview", draft)).content.decode()
    assert "<script>alert" not in preview
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in preview


# ------------------------------------------------------------------- building and issuing


def test_the_preview_is_the_html_the_pdf_is_printed_from(client, draft, improvement_team):
    client.force_login(improvement_team)
    response = client.get(url("report_preview", draft))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en-GB">' in html and "<title>Q1</title>" in html
    assert "Back to the report" in html
    # Styled by the same stylesheet as the PDF, linked: the page's policy forbids inline style.
    assert '<link rel="stylesheet" href="/static/css/report-pdf.css">' in html
    assert "<style" not in html
    assert "style-src 'self'" in response["Content-Security-Policy"]
    assert b"@page" in pdf._fetcher().fetch("file:///static/css/report-pdf.css").read()


def test_a_build_in_the_background_shows_progress_then_a_link(
    client, draft, improvement_team, settings, monkeypatch
):
    # The worker drops stale connections between tasks; inside a test's transaction that
    # would close the test's own connection (on PostgreSQL).
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    task_backends.__dict__.pop("settings", None)
    task_backends._settings, task_backends._connections = None, Local()
    try:
        client.force_login(improvement_team)
        client.post(url("report_build", draft))
        page = client.get(url("report_detail", draft))
        assert page["Refresh"] == "3"
        assert "Waiting to start" in page.content.decode()
        assert "Download the draft PDF" not in page.content.decode()

        call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

        page = client.get(url("report_detail", draft))
        assert not page.has_header("Refresh")
        assert "Download the draft PDF" in page.content.decode()
        assert "Verified" in page.content.decode()
    finally:
        task_backends.__dict__.pop("settings", None)
        task_backends._settings, task_backends._connections = None, Local()


def test_a_stalled_build_can_be_started_again(client, draft, improvement_team):
    Report.objects.filter(pk=draft.pk).update(
        build_state=BuildState.QUEUED,
        build_requested_at=timezone.now() - datetime.timedelta(minutes=11),
    )
    client.force_login(improvement_team)
    page = client.get(url("report_detail", draft))
    assert not page.has_header("Refresh")
    assert "The build has not finished after 10 minutes." in page.content.decode()

    client.post(url("report_build", draft))

    draft.refresh_from_db()
    assert draft.build_state == BuildState.DONE and draft.verify_checksum() is True


def test_a_build_under_way_is_not_started_twice(client, draft, improvement_team):
    Report.objects.filter(pk=draft.pk).update(
        build_state=BuildState.RUNNING,
        build_requested_at=timezone.now(),
        build_lease_until=timezone.now() + datetime.timedelta(seconds=60),
    )
    client.force_login(improvement_team)
    client.post(url("report_build", draft))
    draft.refresh_from_db()
    assert draft.build_state == BuildState.RUNNING and not draft.pdf


def test_finalising_records_who_when_and_the_checksum(client, draft, improvement_team):
    client.force_login(improvement_team)
    confirm = client.get(url("report_finalise", draft))
    assert confirm.status_code == 200
    assert "can never be changed, rebuilt or deleted" in confirm.content.decode()
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT  # asking is not issuing
    response = client.post(url("report_finalise", draft))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.FINAL
    assert draft.finalised_by == improvement_team
    assert draft.issued_on == timezone.localdate()
    assert len(draft.sha256) == 64 and draft.verify_checksum() is True
    assert draft.build_state == BuildState.DONE


def test_others_cannot_issue_or_build(client, draft, envoy, officer):
    for user in (envoy, officer):
        client.force_login(user)
        assert client.post(url("report_finalise", draft)).status_code == 404
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and not draft.pdf


# ------------------------------------------------------------- an issued report never changes


@pytest.fixture
def issued(draft, improvement_team):
    return issue(draft, improvement_team)


def test_the_model_refuses_to_change_an_issued_report(issued):
    issued.summary = "Rewritten"
    with pytest.raises(ReportIssued):
        issued.save()
    with pytest.raises(ReportIssued):
        Report.objects.filter(pk=issued.pk).update(summary="Rewritten")
    with pytest.raises(ReportIssued):
        Report.objects.get(pk=issued.pk).delete()
    # Deleting through a queryset (as a cascade does) is refused inside the deletion's transaction.
    with pytest.raises(ReportIssued), transaction.atomic():
        Report.objects.filter(pk=issued.pk).delete()
    with pytest.raises(ReportIssued):
        issued.pdf.storage.delete(issued.pdf.name)
    with pytest.raises(ReportIssued):
        build.store_pdf(Report.objects.get(pk=issued.pk), b"%PDF-1.7 other")
    with pytest.raises(ReportIssued):
        build.finalise(Report.objects.get(pk=issued.pk), None)
    fresh = Report.objects.get(pk=issued.pk)
    assert fresh.summary == "" and fresh.verify_checksum() is True


def test_no_page_changes_an_issued_report(client, issued, improvement_team):
    client.force_login(improvement_team)
    before = Report.objects.get(pk=issued.pk)
    for name in ("report_edit", "report_build", "report_finalise"):
        assert client.post(url(name, issued), {"title": "X", "version": 1}).status_code == 403
    assert client.get(url("report_edit", issued)).status_code == 403
    after = Report.objects.get(pk=issued.pk)
    assert (after.title, after.sha256, after.pdf.name, after.version) == (
        before.title,
        before.sha256,
        before.pdf.name,
        before.version,
    )


def test_the_admin_shows_an_issued_report_read_only(client, issued, draft, administrator):
    admin_user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    change = reverse("admin:reports_report_change", args=[issued.pk])
    response = client.post(change, {"title": "Changed", "kind": "board", "as_of": "2025-06-30"})
    assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:reports_report_delete", args=[issued.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    first = issued.history.earliest()
    revert = reverse("admin:reports_report_simple_history", args=[issued.pk, first.history_id])
    assert client.post(revert, {"title": "Reverted", "kind": "board"}).status_code == 403
    model_admin = admin_site._registry[Report]
    assert "delete_selected" not in model_admin.get_actions(client.get(change).wsgi_request)
    assert Report.objects.get(pk=issued.pk).title == "Q1"


def test_a_checksum_that_does_not_match_is_shown(client, issued, improvement_team):
    path = Path(issued.pdf.path)
    path.chmod(0o600)
    path.write_bytes(b"%PDF-1.7 swapped")
    client.force_login(improvement_team)
    page = client.get(url("report_detail", issued)).content.decode()
    assert "Does not match" in page and "Verified" not in page


# ------------------------------------------------------------------------ the command line


def test_the_command_builds_the_pdf_the_page_builds(client, draft, improvement_team, tmp_path):
    output = tmp_path / "q1.pdf"
    call_command(
        "build_report",
        "board",
        draft.intervention.slug,
        "--as-of",
        "2025-06-30",
        "--output",
        str(output),
        "--title",
        "Q1",
        verbosity=0,
    )
    # As the page starts a draft: its letter, summary and narratives written from the record.
    drafting.prefill(draft)
    draft.save()
    client.force_login(improvement_team)
    client.post(url("report_build", draft))
    draft.refresh_from_db()
    with draft.pdf.open("rb") as handle:
        assert pdf_text(output.read_bytes()) == pdf_text(handle.read())
    assert Report.objects.count() == 1  # the command saves nothing


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sos", "nowhere", "--as-of", "2025-07-22"], "No intervention 'nowhere'"),
        (["sos", "{slug}", "--as-of", "22/07/2025"], "--as-of must be a date written YYYY-MM-DD"),
    ],
)
def test_the_command_explains_bad_input(intervention, tmp_path, args, message):
    args = [a.format(slug=intervention.slug) for a in args]
    with pytest.raises(CommandError, match=message):
        call_command("build_report", *args, "--output", str(tmp_path / "x.pdf"))


def test_the_benchmark_times_each_kind(intervention, programme):
    timings = time_builds(intervention, JUN)
    assert [kind for kind, _, _ in timings] == ["board", "sos", "stocktake"]
    assert all(total > 0 and alone > 0 for _, total, alone in timings)
    assert not Report.objects.exists()


# ------------------------------------------------------------------------- query counts


@pytest.mark.parametrize("persona", ["improvement_team", "envoy"])
def test_the_register_makes_the_same_queries_at_any_size(client, intervention, request, persona):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    register = reverse("reports:report_list", kwargs={"slug": intervention.slug})

    def add(n: int) -> None:
        for i in range(n):
            Report.objects.create(
                intervention=intervention,
                kind="sos",
                title=f"Issued {i}",
                as_of=JUN,
                status=ReportStatus.FINAL,
                finalised_by=UserFactory(),
                finalised_at=timezone.now(),
                sha256="0" * 64,
            )
            Report.objects.create(intervention=intervention, kind="board", title=f"D{i}", as_of=JUN)

    def count() -> int:
        forget_all()  # nothing kept: counted as the first reading after a change
        with CaptureQueriesContext(connection) as queries:
            assert client.get(register).status_code == 200
        return len(queries)

    add(1)
    few = count()
    add(9)
    assert count() == few


def test_building_a_pdf_reads_only_our_own_stylesheet_and_data_uris():
    fetcher = pdf._fetcher()
    stylesheet = fetcher.fetch("file:///static/css/report-pdf.css")
    assert b"@page" in stylesheet.read()
    assert fetcher.fetch("data:text/plain,chart").read() == b"chart"
    for elsewhere in (
        "file:///etc/hostname",
        "file:///static/../../etc/hostname",
        "http://example.org/x.css",
    ):
        with pytest.raises(ValueError, match="only its own static files"):
            fetcher.fetch(elsewhere)


def test_movement_shows_a_correction_entered_after_the_previous_report_was_issued(
    intervention, programme, improvement_team
):
    previous = Report.objects.create(intervention=intervention, kind="board", title="Q4", as_of=MAR)
    issue(previous, improvement_team)  # said: Green
    programme.rag = RAG.RED  # entered after the issue: it had been Red since February
    set_effective_date(programme, datetime.date(2025, 2, 14))
    programme.save()

    report = Report.objects.create(intervention=intervention, kind="board", title="Q1", as_of=JUN)
    report.previous = report.find_previous()
    moved = context_of(report)["movement"]

    # What the Board was told in the previous report, against what is now known.
    assert [(c["old"], c["new"]) for c in moved.rag_changes] == [(RAG.GREEN, RAG.RED)]
    assert [p.rag for p in snapshot.take(intervention, MAR).programmes] == [RAG.RED]
