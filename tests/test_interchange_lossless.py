"""Lossless export: everything a council enters comes back, with the history of dated facts.

`export → delete the intervention → import → export` gives the identical file, and a report
rebuilt after the round trip reads exactly as it did before it (database ids aside): the
changes made through the pages keep the days they took effect and the moments they were
recorded. Import stays all or nothing, naming each problem in the new parts of the file.
"""

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.files.base import ContentFile
from django.db.models.signals import pre_delete
from django.urls import reverse
from django.utils import timezone

from boards import services as board_services
from boards.choices import ActionStatus, AttendanceStatus, MeetingStatus
from boards.models import Meeting, Paper, Recommendation
from directions.models import Direction
from interventions.access import roles
from interventions.dates.periods import ReportingPeriod
from interventions.evidence import services as evidence_services
from interventions.interchange.exporter import UNRECORDED, export_intervention
from interventions.interchange.importer import ImportFailed, import_intervention, parse, read
from interventions.models import Evidence, Intervention, Milestone, Programme
from interventions.models.base import set_change_reason, set_effective_date
from interventions.updates import change_control, plan_changes
from interventions.work.items import save_period_update
from reports.models import Report, refuse_deleting_issued
from reports.pdf import render_html
from tests.factories import (
    ActionFactory,
    CommentFactory,
    DelegationFactory,
    EvidenceFactory,
    PaperFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

D = datetime.date
DATA = Path(settings.BASE_DIR) / "data"
FILES = [
    DATA / "tower-hamlets-2025.yaml",
    DATA / "tower-hamlets-2014.yaml",
    Path(__file__).resolve().parent / "data" / "commissioners.yaml",
]
# Days between the edits below: before them, between them, after them.
REPORT_DAYS = [D(2025, 4, 20), D(2025, 4, 25), D(2025, 5, 20), D(2025, 7, 10)]


def import_text(text: str, name: str = "round-trip.yaml") -> Intervention:
    return import_intervention(parse(text, name=name), reason=f"Imported from {name}", name=name)


def wipe(intervention: Intervention) -> None:
    """Delete the intervention and everything of it, issued reports included (which the
    application refuses: here the database is being emptied, as before a restore)."""
    pre_delete.disconnect(refuse_deleting_issued, sender=Report)
    try:
        # Expectations restrict the reports that set them.
        intervention.expectations.all().delete()
        Report.objects.filter(intervention=intervention).delete()
        # Rows that protect the ones they name go first.
        intervention.recommendations.all().delete()
        intervention.risks.all().delete()
        intervention.programmes.all().delete()
        intervention.boards.filter(parent__isnull=False).delete()
        intervention.delete()
    finally:
        pre_delete.connect(refuse_deleting_issued, sender=Report)


# -------------------------------------------------------------------- the shipped files


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_each_shipped_file_round_trips_identically(path):
    intervention = import_intervention(read(path), reason=f"Imported from {path.name}")
    first = export_intervention(intervention)
    wipe(intervention)

    second = export_intervention(import_text(first))

    assert second == first
    assert "versions:" not in first  # rows that only came from a file are dated by it again


# ----------------------------------------------------------- an intervention in use


@pytest.fixture
def tower_hamlets():
    return import_intervention(
        read(DATA / "tower-hamlets-2025.yaml"), reason="Imported from tower-hamlets-2025.yaml"
    )


@pytest.fixture
def team(tower_hamlets):
    """The improvement team's user, linked to a person of the intervention."""
    user = UserFactory(role=roles.IMPROVEMENT_TEAM, username="imp-team")
    person = tower_hamlets.people.get(key="stephen-halsey")
    person.user = user
    set_change_reason(person, "Account linked")
    person.save()
    return user


def milestone_post(milestone: Milestone, **changes) -> dict:
    data = {
        "version": milestone.version,
        "status": milestone.status,
        "rag": milestone.rag,
        "percent_complete": milestone.percent_complete,
        "forecast_start": milestone.forecast_start or "",
        "forecast_end": milestone.forecast_end or "",
        "commentary": milestone.commentary,
        "next_steps": milestone.next_steps,
        "reason": "",
        "effective_on": "",
    }
    data.update(changes)
    return data


@pytest.fixture
def in_use(client, tower_hamlets, team):
    """Tower Hamlets after a few months of use: edits through the pages with the days they
    happened, a meeting with its agenda, attendance, minutes, papers and actions, a
    recommendation answered and published, a period update, a comment, an approved change,
    a delegation, evidence and Directions met on dated days."""
    intervention = tower_hamlets
    client.force_login(team)
    programme = intervention.programmes.get(number=1)
    response = client.post(
        reverse("interventions:programme_edit", args=[intervention.slug, 1]),
        {
            "version": programme.version,
            "phase": "delivery",
            "reason": "Delivery began.",
            "effective_on": "2025-04-22",
        },
    )
    assert response.status_code == 302
    milestone = programme.milestones.order_by("position").first()
    response = client.post(
        reverse("interventions:milestone_edit", args=[intervention.slug, milestone.pk]),
        milestone_post(
            milestone,
            status="in_progress",
            rag="amber",
            percent_complete=40,
            forecast_start="2025-02-01",
            commentary="Interviews held.",
            next_steps="Appoint.",
            effective_on="2025-05-01",
        ),
    )
    assert response.status_code == 302

    # A meeting with everything the Board's pages record.
    meeting = Meeting.objects.get(board__intervention=intervention, date=D(2025, 4, 14))
    meeting.start_time = datetime.time(18, 30)
    meeting.minutes = "The Board agreed the plan as its first iteration."
    meeting.decisions = "Agree the CIP.\nMeet monthly."
    meeting.status = MeetingStatus.MINUTES_APPROVED
    set_change_reason(meeting, "Minutes approved")
    set_effective_date(meeting, D(2025, 5, 12))
    meeting.save()
    direction = Direction.objects.get(
        direction_set__intervention=intervention, ref="e", parent=None
    )
    presenter = intervention.people.get(key="stephen-halsey")
    item = board_services.add_agenda_item(
        meeting,
        title="Continuous Improvement Plan",
        position=2,
        presenter=presenter,
        programmes=[programme],
        directions=[direction],
    )
    board_services.record_attendance(
        meeting, person=presenter, status=AttendanceStatus.PRESENT, note="For item 2"
    )
    board_services.record_attendance(
        meeting, person=intervention.people.get(key="lutfur-rahman"), status="apologies"
    )
    PaperFactory(meeting=meeting, agenda_item=item, added_by=team, title="CIP covering report")
    PaperFactory(
        meeting=meeting,
        added_by=team,
        title="Staffing annex",
        exempt=True,
        exemption_reason="Schedule 12A, paragraph 1",
    )
    ActionFactory(meeting=meeting, owner=presenter, due_on=D(2025, 5, 12))
    done = ActionFactory(meeting=meeting, text="Publish the plan.")
    done.status = ActionStatus.DONE
    set_change_reason(done, "Action done")
    done.save()

    # A recommendation answered, then published.
    rec = Recommendation.objects.get(intervention=intervention, reference="ENV-2025-05-1")
    rec.record_response(
        response="Accepted: a plan by July.",
        status="accepted",
        responded_on=D(2025, 6, 2),
        version=rec.version,
    )
    rec.refresh_from_db()
    rec.publish_response(on=D(2025, 6, 9), version=rec.version)

    save_period_update(
        programme,
        ReportingPeriod(D(2025, 4, 1)),
        {
            "rag": "red",
            "status": "in_progress",
            "summary": "Recruitment paused.",
            "risks": "Capacity.",
        },
        by=team,
        expected_version=0,
    )
    CommentFactory(programme=programme, milestone=milestone, author=team, kind="challenge")
    # A challenge answered, asked again, answered and resolved: its thread and its history.
    challenger = UserFactory(role=roles.ENVOY)
    challenge = CommentFactory(programme=programme, author=challenger, kind="challenge")
    evidence_services.reply_to_challenge(challenge=challenge, text="Done in May.", by=team)
    evidence_services.reply_to_challenge(challenge=challenge, text="Which paper?", by=challenger)
    evidence_services.reply_to_challenge(challenge=challenge, text="Cabinet, 14 May.", by=team)
    evidence_services.resolve_challenge(challenge=challenge, note="Thank you.", by=challenger)
    change = change_control.request_change(
        milestone,
        kind="end_date",
        reason="Recruitment paused.",
        by=team,
        proposed_end=D(2026, 3, 31),
    )
    change_control.approve(change, by=team, note="Agreed at TAB.")
    DelegationFactory(programme=programme, person=presenter, granted_by=team, note="Cover")
    EvidenceFactory(programme=programme, milestone=milestone, added_by=team)

    # Directions met on the days the papers give, entered now.
    for ref, day in (("b", D(2025, 2, 20)), ("f", D(2025, 6, 30))):
        met = Direction.objects.get(direction_set__intervention=intervention, ref=ref, parent=None)
        met.compliance = "met"
        met.met_on = day
        met.compliance_source = "Envoys' report, §1.9"
        set_change_reason(met, "Compliance recorded")
        set_effective_date(met, day)
        met.save()
    # The plan changes shape: programme 3 merges into 2, its milestones moving with it.
    plan_changes.merge_programmes(
        [intervention.programmes.get(number=3)],
        intervention.programmes.get(number=2),
        milestones="move",
        on=D(2025, 6, 1),
        reason="Programmes regrouped",
    )
    intervention.public_pages = True
    set_change_reason(intervention, "Public pages published")
    intervention.save()
    return Intervention.objects.get(pk=intervention.pk)


def reports_of(intervention: Intervention) -> dict[tuple[str, datetime.date], str]:
    """Every kind of report the intervention has, as of each day, with database ids and the
    report's own row left out."""
    pages = {}
    for kind in intervention.words.report_kinds:
        for day in REPORT_DAYS:
            report = Report.objects.create(
                intervention=intervention, kind=kind, title=f"{kind} report", as_of=day
            )
            pages[(kind, day)] = without_ids(render_html(report))
            report.delete()
    return pages


def without_ids(html: str) -> str:
    """A page with the database ids in its addresses replaced."""
    return re.sub(r"/\d+(?=[/#\"?])", "/ID", html)


def test_an_intervention_in_use_round_trips_identically(in_use):
    first = export_intervention(in_use)
    wipe(in_use)

    second = export_intervention(import_text(first))

    assert second == first


def test_the_file_carries_what_was_entered_through_the_pages(in_use):
    document = yaml.safe_load(export_intervention(in_use))

    assert document["intervention"]["public_pages"] is True
    programme = document["plan"]["aims"][0]["programmes"][0]
    assert programme["rag"] == "red"
    rag_changes = [v for v in programme["versions"] if "rag" in v["fields"]]
    assert [v["fields"]["rag"] for v in rag_changes][-1] == "red"
    # Set by the update for Q1 2025/26, written after the quarter: red from its last day.
    assert rag_changes[-1]["valid_from"] == D(2025, 6, 30)
    assert rag_changes[-1]["by"] == "imp-team"
    assert programme["updates"][0]["author"] == "imp-team"
    assert programme["updates"][0].get("status", "in_progress") == "in_progress"
    milestone = programme["milestones"][0]
    assert milestone["commentary"] == "Interviews held."
    assert milestone["change_requests"][0]["status"] == "approved"
    # The slip approved moved the baseline; the original baseline is still in the file.
    assert milestone["baseline_end"] == D(2026, 3, 31)
    assert milestone["original_baseline_end"] == milestone["change_requests"][0]["baseline_before"]
    assert milestone["original_baseline_end"] < D(2026, 3, 31)
    assert milestone["comments"][0]["kind"] == "challenge"
    board = next(board for board in document["boards"] if board.get("meetings"))
    meeting = next(m for m in board["meetings"] if m["date"] == D(2025, 4, 14))
    assert meeting["start_time"] == "18:30"
    assert meeting["agenda"][0]["presenter"] == "stephen-halsey"
    assert {entry["status"] for entry in meeting["attendance"]} == {"present", "apologies"}
    assert meeting["papers"][1]["exemption_reason"] == "Schedule 12A, paragraph 1"
    assert "file" not in meeting["papers"][0]  # the name in the store, never the contents
    assert [action.get("status", "open") for action in meeting["actions"]] == ["open", "done"]


def test_reports_rebuilt_after_the_round_trip_read_as_before(in_use):
    before = reports_of(in_use)
    text = export_intervention(in_use)
    wipe(in_use)

    after = reports_of(import_text(text))

    # The RAG set in the update for Q1 is red from the quarter's end, not from when the plan
    # was agreed.
    red_programmes = '<th scope="row">Red</th><td class="number">1</td>'
    assert red_programmes in before[("board", D(2025, 7, 10))]
    assert red_programmes not in before[("board", D(2025, 5, 20))]
    assert before.keys() == after.keys()
    # Everything reads as before but the appendix of sources, which names the records by their
    # numbers in the database: an import makes new ones. It lists as many, with the same words.
    for key in before:
        assert without_sources(after[key]) == without_sources(before[key]), key
        assert len(re.findall("<tr>", sources_of(after[key]))) == len(
            re.findall("<tr>", sources_of(before[key]))
        )


SOURCES_APPENDIX = re.compile(r'<section class="appendix sources".*?</section>', re.S)


def sources_of(html: str) -> str:
    found = SOURCES_APPENDIX.search(html)
    assert found is not None
    return found.group(0)


def without_sources(html: str) -> str:
    return SOURCES_APPENDIX.sub("", html)


def test_a_late_change_still_counts_from_its_day_after_the_round_trip(in_use):
    text = export_intervention(in_use)
    wipe(in_use)
    intervention = import_text(text)

    programme = Programme.objects.get(intervention=intervention, number=1)
    records = programme.history.order_by("history_date", "history_id")
    red = [record for record in records if record.rag == "red"][0]
    assert red.valid_from == D(2025, 6, 30)
    assert red.history_user.username == "imp-team"
    assert timezone.localdate(red.history_date) == timezone.localdate()


# ------------------------------------------------------------------- refused files


def broken(in_use, change) -> list[str]:
    document = yaml.safe_load(export_intervention(in_use))
    change(document)
    with pytest.raises(ImportFailed) as caught:
        parse(yaml.safe_dump(document, sort_keys=False, allow_unicode=True), name="x.yaml")
    return caught.value.errors


def first_meeting_with_attendance(document) -> dict:
    for board in document["boards"]:
        for meeting in board.get("meetings", []):
            if meeting.get("attendance"):
                return meeting
    raise AssertionError("no attendance in the file")


def test_an_attendance_for_a_person_not_in_the_file_is_refused(in_use):
    def change(document):
        first_meeting_with_attendance(document)["attendance"][0]["person"] = "nobody"

    errors = broken(in_use, change)

    assert len(errors) == 1
    assert re.search(
        r"boards\[\d+\]\.meetings\[\d+\]\.attendance\[0\]\.person: expected the key of a person "
        r"in `people`, found 'nobody'",
        errors[0],
    )


def test_a_version_dated_before_its_row_existed_is_refused(in_use):
    def change(document):
        programme = document["plan"]["aims"][0]["programmes"][0]
        programme["versions"][-1]["valid_from"] = D(1999, 1, 1)

    errors = broken(in_use, change)

    assert any(
        "plan.aims[0].programmes[0].versions[" in error and "before its row existed" in error
        for error in errors
    ), errors


def test_versions_that_do_not_end_with_the_row_are_refused(in_use):
    def change(document):
        document["plan"]["aims"][0]["programmes"][0]["rag"] = "green"

    errors = broken(in_use, change)

    assert any("the last version gives 'red', but the row has 'green'" in e for e in errors), errors


def test_a_version_of_a_field_that_does_not_exist_is_refused(in_use):
    def change(document):
        document["plan"]["aims"][0]["programmes"][0]["versions"][-1]["fields"]["colour"] = "red"

    errors = broken(in_use, change)

    assert any("fields.colour: not a field a version can change here" in e for e in errors)


def test_a_paper_on_an_agenda_item_the_meeting_lacks_is_refused(in_use):
    def change(document):
        first_meeting_with_attendance(document)["papers"][0]["agenda_item"] = 9

    errors = broken(in_use, change)

    assert any(
        "papers[0].agenda_item: expected the position of an item of this meeting's agenda" in e
        for e in errors
    ), errors


def test_a_user_missing_here_is_refused_and_nothing_is_written(in_use):
    text = export_intervention(in_use).replace("author: imp-team", "author: somebody-else")
    slug_count = Intervention.objects.count()
    wipe(in_use)

    with pytest.raises(ImportFailed) as caught:
        import_text(text)

    assert any(
        "updates[0].author: no user account 'somebody-else' exists here" in error
        for error in caught.value.errors
    ), caught.value.errors
    assert Intervention.objects.count() == slug_count - 1


def test_stored_files_are_found_again_after_the_round_trip(in_use):
    programme = in_use.programmes.get(number=1)
    EvidenceFactory(
        programme=programme,
        kind="file",
        url="",
        file=ContentFile(b"%PDF-1.7\n%%EOF\n", name="minutes.pdf"),
        original_name="minutes.pdf",
        content_type="application/pdf",
        size=15,
        added_by=UserFactory(username="evidence-adder"),
    )
    text = export_intervention(in_use)
    wipe(in_use)

    intervention = import_text(text)

    paper = Paper.objects.get(
        meeting__board__intervention=intervention, title="CIP covering report"
    )
    assert paper.file.read() == b"%PDF-1.7\n%%EOF\n"
    assert paper.agenda_item.title == "Continuous Improvement Plan"
    evidence = Evidence.objects.get(intervention=intervention, kind="file")
    assert evidence.file.read() == b"%PDF-1.7\n%%EOF\n"
    assert evidence.added_by.username == "evidence-adder"
    assert "%PDF" not in text


def test_a_change_by_someone_without_an_account_here_keeps_their_name(in_use):
    text = re.sub(
        r"(?m)^(\s*)by: imp-team$", r"\1by: left-the-council", export_intervention(in_use)
    )
    wipe(in_use)

    intervention = import_text(text)

    programme = Programme.objects.get(intervention=intervention, number=1)
    red = programme.history.filter(rag="red").order_by("history_date").first()
    assert red.history_user is None
    assert red.history_change_reason == (
        "RAG and status from the update for Q1 2025/26 (by left-the-council)"
    )


def test_a_row_changed_without_a_history_record_ends_with_how_it_is(in_use):
    Programme.objects.filter(intervention=in_use, number=1).update(purpose="Changed in bulk")
    first = export_intervention(in_use)
    wipe(in_use)

    second = export_intervention(import_text(first))

    assert second == first
    programme = yaml.safe_load(first)["plan"]["aims"][0]["programmes"][0]
    assert programme["purpose"] == "Changed in bulk"
    assert programme["versions"][-1]["fields"] == {"purpose": "Changed in bulk"}
    assert programme["versions"][-1]["reason"] == UNRECORDED
