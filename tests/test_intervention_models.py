"""The intervention's model decides the words and roles: the vocabulary of each model, the
Commissioners fixture (tests/data/commissioners.yaml), who writes which reports, who runs a
board, sub-boards, organisations and dates with precision."""

import datetime
import io
import re

import pytest
import yaml
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from boards import permissions as board_permissions
from boards.models import Board, Meeting
from directions.choices import DirectionStatus, ReportKind
from interventions.access import roles
from interventions.access.permissions import role_name_in
from interventions.choices import InterventionModel, Role
from interventions.dashboard.figures import next_board_meeting
from interventions.deadlines.engine import deadlines_for
from interventions.interchange.importer import ImportFailed, parse
from interventions.vocabulary import VOCABULARIES, words_for
from reports import build
from reports import permissions as report_permissions
from reports.models import Report
from tests.conftest import COMMISSIONERS_FILE
from tests.factories import (
    AppointmentFactory,
    BoardFactory,
    BoardMembershipFactory,
    InterventionFactory,
    MeetingFactory,
    PersonFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

ENVOY_WORDS = re.compile(r"\b(Envoy|Envoys|TAB)\b|Transformation and Assurance")
COMMISSIONER_WORDS = re.compile(r"\b(Commissioner|Commissioners)\b")


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


# ------------------------------------------------------------------------- the vocabulary


def test_every_model_has_a_vocabulary():
    """Adding a model is one InterventionModel value and one vocabulary entry."""
    assert set(VOCABULARIES) == set(InterventionModel.values)


@pytest.mark.parametrize("model", InterventionModel.values)
def test_a_vocabulary_names_only_stored_report_kinds_and_roles(model):
    words = words_for(model)
    assert set(words.report_kinds) <= set(ReportKind.values)
    assert set(words.roles) <= set(Role.values)
    assert words.reports, "a model without reports would have no reporting duties"


def test_the_words_of_each_model():
    envoys = words_for(InterventionModel.MINISTERIAL_ENVOYS)
    commissioners = words_for(InterventionModel.COMMISSIONERS)
    board = words_for(InterventionModel.IMPROVEMENT_ASSURANCE_BOARD)
    assert (envoys.oversight_plural, envoys.lead) == ("the Envoys", "Lead Envoy")
    assert envoys.main_board_name == "Transformation and Assurance Board (TAB)"
    assert envoys.report_kinds == ["board", "sos", "stocktake"]
    assert envoys.oversight_kinds == ["stocktake"]
    assert commissioners.role_names == (
        "Lead Commissioner",
        "Commissioner",
        "Managing Director Commissioner",
    )
    assert commissioners.main_board_name == "Improvement and Recovery Board"
    assert commissioners.report_kinds == ["board", "sos"]
    assert commissioners.oversight_kinds == ["sos"]
    assert commissioners.report_label("board") == "Council's report to the Commissioners"
    assert board.role_names == ("Board chair", "Board member")
    assert board.main_board_name == "Improvement and Assurance Board (IAB)"


def test_no_word_of_one_model_leaks_into_another():
    for model, words in VOCABULARIES.items():
        text = repr(words)
        if model != InterventionModel.MINISTERIAL_ENVOYS:
            assert not ENVOY_WORDS.search(text), model
        if model != InterventionModel.COMMISSIONERS:
            assert not COMMISSIONER_WORDS.search(text), model


# ------------------------------------------------------------------------- the fixture


def test_the_commissioners_fixture_imports_whole(commissioners):
    assert commissioners.model == InterventionModel.COMMISSIONERS
    sets = {s.key: s for s in commissioners.direction_sets.all()}
    assert sets["2023-directions"].status == DirectionStatus.SUPERSEDED
    assert sets["2023-directions"].superseded_by == sets["2024-directions"]
    assert sets["2024-directions"].status == DirectionStatus.REVOKED
    assert sets["2025-directions"].status == DirectionStatus.IN_FORCE
    firm = commissioners.people.get(key="hartley-fenwick")
    assert firm.is_organisation
    assert str(firm) == "Hartley Fenwick LLP (organisation)"
    finance = Board.objects.get(intervention=commissioners, key="finance-recovery")
    assert finance.parent.name == "Improvement and Recovery Board"
    lead = commissioners.people.get(key="ruth-akinola").appointments.get()
    assert lead.starts_on_text == "March 2023"
    assert lead.role_name == "Lead Commissioner"
    issued = Report.objects.get(intervention=commissioners)
    assert issued.issued_on_text == "September 2024"
    assert issued.get_kind_display() == "Commissioners' report to the Secretary of State"


def fixture_with(change) -> str:
    document = yaml.safe_load(COMMISSIONERS_FILE.read_text(encoding="utf-8"))
    change(document)
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True)


def test_a_sub_board_under_an_unknown_board_is_refused():
    def change(document):
        document["boards"][0]["parent"] = "no-such-board"

    with pytest.raises(ImportFailed) as caught:
        parse(fixture_with(change), name="bad.yaml")
    assert "boards[0].parent" in str(caught.value.errors)


def test_boards_under_each_other_are_refused():
    def change(document):
        document["boards"][1]["parent"] = "finance-recovery"

    with pytest.raises(ImportFailed) as caught:
        parse(fixture_with(change), name="bad.yaml")
    assert "a board cannot sit under itself" in str(caught.value.errors)


def test_a_commissioners_file_cannot_claim_an_envoys_stocktake():
    def change(document):
        document["reports_issued"][0]["kind"] = "stocktake"
        document["reporting_duties"][1]["report"] = "stocktake"

    with pytest.raises(ImportFailed) as caught:
        parse(fixture_with(change), name="bad.yaml")
    errors = " ".join(caught.value.errors)
    assert "reports_issued[0].kind" in errors
    assert "reporting_duties[1].report" in errors


def test_a_board_never_sits_under_itself_or_another_interventions_board(commissioners):
    irb = Board.objects.get(intervention=commissioners, key="irb")
    finance = Board.objects.get(intervention=commissioners, key="finance-recovery")
    irb.parent = finance
    with pytest.raises(ValidationError):
        irb.full_clean()
    elsewhere = BoardFactory()
    finance.parent = elsewhere
    with pytest.raises(ValidationError):
        finance.full_clean()


def test_the_next_board_meeting_is_the_main_boards_in_any_model(commissioners):
    meeting = next_board_meeting(commissioners, datetime.date(2025, 4, 1))
    # The Finance Recovery Board meets on 7 April, but it is a sub-board.
    assert meeting.board.name == "Improvement and Recovery Board"
    assert meeting.date == datetime.date(2025, 5, 12)


# ------------------------------------------------------------------------- role names


def test_a_commissioner_sees_their_role_as_the_model_names_it(
    client, commissioners, commissioner_personas
):
    lead = commissioner_personas["lead_commissioner"]
    firm = commissioner_personas["firm_commissioner"]
    md = commissioner_personas["md_commissioner"]
    assert role_name_in(lead, commissioners) == "Lead Commissioner"
    assert role_name_in(md, commissioners) == "Managing Director Commissioner"
    assert role_name_in(firm, commissioners) == "Commissioner"
    client.force_login(lead)
    page = client.get(commissioners.get_absolute_url()).content.decode()
    assert "Your role" in page
    assert "Lead Commissioner" in page
    assert "Hartley Fenwick LLP (organisation)" in page
    assert not ENVOY_WORDS.search(page)


def test_an_envoy_sees_their_role_as_envoy(intervention):
    user = UserFactory(role=roles.OVERSIGHT)
    person = PersonFactory(intervention=intervention, user=user)
    assert role_name_in(user, intervention) == "Envoy"
    AppointmentFactory(person=person, role=Role.LEAD_ENVOY)
    assert role_name_in(user, intervention) == "Lead Envoy"


# ------------------------------------------------------------------------- reports


def create_url(intervention) -> str:
    return reverse("reports:report_create", kwargs={"slug": intervention.slug})


def test_commissioners_write_exactly_the_reports_their_model_gives_them(
    client, commissioners, commissioner_personas
):
    commissioner = commissioner_personas["firm_commissioner"]
    assert report_permissions.can_write(commissioner, commissioners, ReportKind.SOS)
    assert not report_permissions.can_write(commissioner, commissioners, ReportKind.BOARD)
    assert not report_permissions.can_write(commissioner, commissioners, ReportKind.STOCKTAKE)
    client.force_login(commissioner)
    form = client.get(create_url(commissioners)).content.decode()
    assert "Commissioners&#x27; report to the Secretary of State" in form
    assert "Council&#x27;s report to the Commissioners" not in form
    assert not ENVOY_WORDS.search(form)
    data = {"title": "Six-monthly report", "as_of": "2025-07-31"}
    for refused in ("board", "stocktake"):
        response = client.post(create_url(commissioners), {**data, "kind": refused})
        assert response.status_code == 200  # the form names the error
    assert not Report.objects.filter(intervention=commissioners, status="draft").exists()
    response = client.post(create_url(commissioners), {**data, "kind": "sos"})
    assert response.status_code == 302
    report = Report.objects.get(intervention=commissioners, status="draft")
    assert report.kind == ReportKind.SOS
    assert report_permissions.can_edit(commissioner, report)
    assert (
        client.get(reverse("reports:report_edit", args=[commissioners.slug, report.pk])).status_code
        == 200
    )


def test_the_improvement_team_writes_the_councils_reports_but_no_stocktake(
    client, commissioners, commissioner_personas
):
    team = commissioner_personas["improvement_team"]
    assert report_permissions.can_write(team, commissioners, ReportKind.BOARD)
    assert report_permissions.can_write(team, commissioners, ReportKind.SOS)
    assert not report_permissions.can_write(team, commissioners, ReportKind.STOCKTAKE)
    officer = commissioner_personas["officer"]
    client.force_login(officer)
    assert client.get(create_url(commissioners)).status_code == 403


def test_envoys_still_write_only_their_stocktake(intervention):
    envoy = UserFactory(role=roles.OVERSIGHT)
    PersonFactory(intervention=intervention, user=envoy)
    assert report_permissions.can_write(envoy, intervention, ReportKind.STOCKTAKE)
    assert not report_permissions.can_write(envoy, intervention, ReportKind.SOS)
    assert not report_permissions.can_write(envoy, intervention, ReportKind.BOARD)


def test_a_commissioner_reads_drafts_of_the_reports_they_write_only(
    commissioners, commissioner_personas
):
    sos = Report.objects.create(
        intervention=commissioners, kind="sos", title="S", as_of=datetime.date(2025, 7, 31)
    )
    council = Report.objects.create(
        intervention=commissioners, kind="board", title="B", as_of=datetime.date(2025, 7, 31)
    )
    commissioner = commissioner_personas["lead_commissioner"]
    assert report_permissions.can_read(commissioner, sos)
    assert not report_permissions.can_read(commissioner, council)


@pytest.mark.parametrize("kind", ["board", "sos"])
def test_no_pdf_of_a_commissioners_report_says_envoy_or_tab(commissioners, kind):
    # As of today: imported rows stand in the audited record from the day they were imported.
    report = Report.objects.create(
        intervention=commissioners,
        kind=kind,
        title=words_for(commissioners.model).report_label(kind),
        as_of=timezone.localdate(),
        summary="Written for the test.",
    )
    text = pdf_text(build.build_pdf(report))
    assert report.get_kind_display() in text
    assert "Financial recovery" in text
    if kind == "sos":
        assert "Improvement and Recovery Board" in text
    assert not ENVOY_WORDS.search(text), ENVOY_WORDS.search(text)


# ------------------------------------------------------------------------- running a board


def meeting_of(intervention, key: str) -> Meeting:
    return Meeting.objects.filter(board__intervention=intervention, board__key=key).first()


def edit_url(meeting: Meeting) -> str:
    return reverse(
        "boards:meeting_edit", kwargs={"slug": meeting.board.intervention.slug, "pk": meeting.pk}
    )


def test_a_commissioner_runs_the_board_they_chair_and_no_other(
    client, commissioners, commissioner_personas
):
    irb = meeting_of(commissioners, "irb")
    finance = meeting_of(commissioners, "finance-recovery")
    lead = commissioner_personas["lead_commissioner"]  # chairs the Improvement and Recovery Board
    md = commissioner_personas["md_commissioner"]  # chairs the Finance Recovery Board
    firm = commissioner_personas["firm_commissioner"]  # chairs neither
    client.force_login(lead)
    assert client.get(edit_url(irb)).status_code == 200
    assert client.get(edit_url(finance)).status_code == 403
    response = client.post(
        reverse("boards:meeting_create", kwargs={"slug": commissioners.slug, "key": "irb"}),
        {"date": "2025-09-15", "kind": "formal", "title": "Third delivery review"},
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(title="Third delivery review").exists()
    client.force_login(md)
    assert client.get(edit_url(finance)).status_code == 200
    assert client.get(edit_url(irb)).status_code == 403
    client.force_login(firm)
    assert client.get(edit_url(irb)).status_code == 403
    assert client.get(edit_url(finance)).status_code == 403
    assert not board_permissions.can_run(firm, irb.board)


def test_the_board_page_offers_a_chair_the_meeting_and_shows_the_sub_board(
    client, commissioners, commissioner_personas
):
    client.force_login(commissioner_personas["lead_commissioner"])
    page = client.get(
        reverse("boards:board_detail", kwargs={"slug": commissioners.slug, "key": "irb"})
    ).content.decode()
    assert "Schedule the next meeting" in page
    assert "Boards under it" in page
    assert "Finance Recovery Board" in page
    page = client.get(
        reverse(
            "boards:board_detail", kwargs={"slug": commissioners.slug, "key": "finance-recovery"}
        )
    ).content.decode()
    assert "Sits under" in page
    assert "Schedule the next meeting" not in page


def test_a_chair_who_left_the_chair_runs_it_no_more(commissioners, commissioner_personas):
    irb = Board.objects.get(intervention=commissioners, key="irb")
    lead = commissioner_personas["lead_commissioner"]
    assert board_permissions.can_run(lead, irb)
    irb.memberships.filter(role="chair").update(ends_on=datetime.date(2025, 3, 1))
    assert not board_permissions.can_run(lead, irb)


def test_an_envoy_chairing_a_board_does_not_run_it(intervention):
    """Envoys only advise: the council keeps every decision, its boards included."""
    envoy = UserFactory(role=roles.OVERSIGHT)
    person = PersonFactory(intervention=intervention, user=envoy)
    board = BoardFactory(intervention=intervention)
    BoardMembershipFactory(board=board, person=person, role="chair")
    MeetingFactory(board=board)
    assert not board_permissions.can_run(envoy, board)


def test_an_improvement_assurance_board_chair_runs_their_board():
    intervention = InterventionFactory(model=InterventionModel.IMPROVEMENT_ASSURANCE_BOARD)
    chair = UserFactory(role=roles.OVERSIGHT)
    person = PersonFactory(intervention=intervention, user=chair)
    AppointmentFactory(person=person, role=Role.CHAIR)
    board = BoardFactory(intervention=intervention, kind="tab")
    BoardMembershipFactory(board=board, person=person, role="chair")
    assert board_permissions.can_run(chair, board)
    assert role_name_in(chair, intervention) == "Board chair"


# ------------------------------------------------------------------------- emails


def test_no_reminder_email_of_a_commissioners_intervention_says_envoy_or_tab(
    commissioners, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    for key in ("ruth-akinola", "priya-shah", "tom-forrest", "helen-pargetter"):
        person = commissioners.people.get(key=key)
        person.user = UserFactory(email=f"{key}@example.org")
        person.save()
    call_command(
        "send_reminders",
        "--date",
        "2025-09-10",
        "--base-url",
        "https://stocktake.example.org/",
        stdout=io.StringIO(),
    )

    assert len(mail.outbox) >= 2
    bodies = " ".join(
        [message.subject + message.body for message in mail.outbox]
        + [html for message in mail.outbox for html, _ in message.alternatives]
    )
    assert "Commissioners' six-monthly report to the Secretary of State" in bodies
    assert not ENVOY_WORDS.search(bodies), ENVOY_WORDS.search(bodies)


def test_the_deadlines_say_what_meets_a_duty_in_the_models_words(commissioners):
    occurrences = deadlines_for(commissioners, datetime.date(2025, 9, 10))
    met_by = {o.satisfied_by for o in occurrences if o.source == "report"}
    assert met_by == {
        "an issued council report to the Commissioners",
        "an issued Commissioners' report to the Secretary of State",
    }


@pytest.mark.parametrize(
    ("ends_on", "precision", "held_on_31_jan"),
    [
        (datetime.date(2024, 1, 1), "day", False),
        (datetime.date(2024, 1, 1), "month", True),
        (datetime.date(2024, 1, 1), "year", True),
        (datetime.date(2023, 1, 1), "year", False),
    ],
)
def test_an_end_known_to_the_month_or_year_runs_to_its_end(ends_on, precision, held_on_31_jan):
    appointment = AppointmentFactory(
        starts_on=datetime.date(2022, 3, 1), ends_on=ends_on, ends_on_precision=precision
    )
    day = datetime.date(2024, 1, 31)
    assert appointment.is_current(day) is held_on_31_jan
    current = type(appointment).objects.filter(pk=appointment.pk).current(day).exists()
    assert current is held_on_31_jan


def test_the_demo_oversight_user_is_named_as_the_model_names_it(commissioners, settings):
    settings.DEBUG = True
    call_command("create_demo_users", commissioners.slug, stdout=io.StringIO())
    demo = commissioners.people.get(key="demo-envoy")
    assert demo.name == "Demo Commissioner"
    assert demo.user.get_full_name() == "Demo Commissioner"
    assert role_name_in(demo.user, commissioners) == "Commissioner"


def test_a_recommendation_source_a_model_lacks_is_still_named_in_its_words():
    commissioners = words_for(InterventionModel.COMMISSIONERS)
    assert commissioners.source_label("envoys_stocktake", "Envoys' stocktake") == (
        "Commissioners' report"
    )
    sources = dict(commissioners.source_choices([("envoys_stocktake", "x"), ("board", "Board")]))
    assert sources == {"board": "Board"}


def test_the_fixtures_sets_follow_one_another_in_force(commissioners):
    from directions.models import DirectionSet

    sets = DirectionSet.objects.filter(intervention=commissioners)

    def in_force(day):
        return [s.key for s in sets.in_force_on(day)]

    assert in_force(datetime.date(2023, 6, 1)) == ["2023-directions"]
    assert in_force(datetime.date(2024, 6, 1)) == ["2024-directions"]
    assert in_force(datetime.date(2025, 6, 1)) == ["2025-directions"]
