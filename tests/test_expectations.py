"""Expectations the oversight sets in its reports: where each stands on a day, who may record,
answer and judge them (allowed and refused), the list's queries, the reports' section (the
same for the same date), the Commissioners' words, and the intervention file."""

import datetime
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.access import roles
from interventions.interchange.exporter import export_intervention
from interventions.interchange.importer import ImportFailed, import_intervention, parse, read
from interventions.kit.kept import forget_all
from interventions.models import Intervention, Theme
from reports import expectations as services
from reports import pdf
from reports.choices import ExpectationState
from reports.context import report_context
from reports.expectations import expectations_section, state_of
from reports.models import Expectation, Report
from tests.conftest import _member
from tests.factories import EvidenceFactory, ProgrammeFactory
from tests.test_interchange_lossless import wipe
from tests.test_reports import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date
DATA = Path(settings.BASE_DIR) / "data"
SEEDS = Path("/work/shared/seeds")


LETTER_DAY = D(2025, 5, 21)


def issued_elsewhere(intervention, day=LETTER_DAY, kind="stocktake") -> Report:
    return Report.objects.create(
        intervention=intervention,
        kind=kind,
        title="First stocktake",
        as_of=day,
        status="final",
        issued_elsewhere=True,
        issued_on_date=day,
        issued_by="Ministerial Envoys",
        document_reference=f"Letter of {day}",
    )


@pytest.fixture
def letter(intervention):
    return issued_elsewhere(intervention)


@pytest.fixture
def expectation(intervention, letter, officer):
    return Expectation.objects.create(
        intervention=intervention,
        report=letter,
        paragraph="4.4",
        title="Cultural change plan",
        quoted="We would expect the programme for cultural change to have a clear plan.",
        due_on=D(2025, 11, 21),
        due_wording="in six months' time",
        owner=officer.people.get(),
    )


def url(name, expectation=None, intervention=None):
    if expectation is None:
        return reverse(f"reports:{name}", kwargs={"slug": intervention.slug})
    return reverse(
        f"reports:{name}", kwargs={"slug": expectation.intervention.slug, "pk": expectation.pk}
    )


def answer_data(**over):
    data = {
        "answer": "The plan went to Cabinet on 12 November.",
        "answered_on": "2025-11-14",
        "evidence_url": "https://example.org/cabinet-12-november",
        "version": "1",
    }
    data.update(over)
    return data


def judge_data(**over):
    data = {
        "judgement": "partly_met",
        "judged_on": "2025-12-01",
        "commentary": "A plan, but no measures yet.",
        "version": "1",
    }
    data.update(over)
    return data


# ------------------------------------------------------------------ where it stands on a day


def test_it_waits_for_an_answer_then_is_overdue_after_its_due_date(expectation):
    assert state_of(expectation, D(2025, 11, 21)) == ExpectationState.AWAITING_ANSWER
    assert state_of(expectation, D(2025, 11, 22)) == ExpectationState.OVERDUE


def test_one_without_a_due_date_is_never_overdue(expectation):
    expectation.due_on = None
    assert state_of(expectation, D(2030, 1, 1)) == ExpectationState.AWAITING_ANSWER


def test_an_answer_and_a_judgement_count_from_their_own_days(expectation, envoy):
    services.answer(
        expectation,
        text="Done.",
        answered_on=D(2025, 11, 14),
        evidence=[],
        evidence_url="",
        version=1,
    )
    person = _member(expectation.intervention, roles.OVERSIGHT).people.get()
    services.judge(
        expectation,
        judgement="met",
        judged_on=D(2025, 12, 1),
        by=person,
        judged_in=None,
        commentary="Met.",
        version=2,
    )
    assert state_of(expectation, D(2025, 11, 13)) == ExpectationState.AWAITING_ANSWER
    assert state_of(expectation, D(2025, 11, 14)) == ExpectationState.ANSWERED
    assert state_of(expectation, D(2025, 12, 1)) == ExpectationState.MET
    assert not services.is_open(expectation, D(2025, 12, 1))


def test_partly_met_and_not_met_stay_open(expectation):
    for judgement in ("partly_met", "not_met"):
        expectation.judgement, expectation.judged_on = judgement, D(2025, 12, 1)
        assert services.is_open(expectation, D(2025, 12, 2))


# ------------------------------------------------------------------------ recording one


def test_the_improvement_team_records_an_expectation_with_its_links(
    client, intervention, improvement_team, letter
):
    programme = ProgrammeFactory(intervention=intervention)
    culture = Theme.objects.get(slug="culture")
    client.force_login(improvement_team)
    response = client.post(
        url("expectation_create", intervention=intervention),
        {
            "report": letter.pk,
            "paragraph": "4.4",
            "title": "Cultural change plan",
            "quoted": "A clear plan, with impact and measurements, in six months' time.",
            "due_on": "2025-11-21",
            "due_wording": "in six months' time",
            "programmes": [programme.pk],
            "themes": [culture.pk],
            "version": "1",
        },
    )
    assert response.status_code == 302
    expectation = Expectation.objects.get()
    assert list(expectation.programmes.all()) == [programme]
    assert list(expectation.themes.all()) == [culture]
    # One creation, with its links, true from the day the report was issued.
    [record] = expectation.history.all()
    assert record.valid_from == D(2025, 5, 21)
    assert list(record.themes.values_list("theme_id", flat=True)) == [culture.pk]


def test_an_officer_may_not_record_one(client, intervention, officer, letter):
    client.force_login(officer)
    response = client.post(
        url("expectation_create", intervention=intervention),
        {"report": letter.pk, "paragraph": "1", "title": "T", "quoted": "Q", "version": "1"},
    )
    assert response.status_code == 403
    assert not Expectation.objects.exists()


def test_a_due_date_before_the_report_is_refused(client, intervention, improvement_team, letter):
    client.force_login(improvement_team)
    response = client.post(
        url("expectation_create", intervention=intervention),
        {
            "report": letter.pk,
            "paragraph": "4.4",
            "title": "T",
            "quoted": "Q",
            "due_on": "2025-05-20",
            "version": "1",
        },
    )
    assert response.status_code == 200
    assert "The due date must be on or after the day the report was issued" in (
        response.content.decode()
    )
    assert not Expectation.objects.exists()


def test_only_an_issued_report_sets_expectations(client, intervention, improvement_team):
    draft = Report.objects.create(
        intervention=intervention, kind="stocktake", title="Draft", as_of=D(2025, 5, 21)
    )
    client.force_login(improvement_team)
    response = client.post(
        url("expectation_create", intervention=intervention),
        {"report": draft.pk, "paragraph": "1", "title": "T", "quoted": "Q", "version": "1"},
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not Expectation.objects.exists()


def test_the_form_sends_the_team_to_record_a_report_when_there_is_none(
    client, intervention, improvement_team
):
    client.force_login(improvement_team)
    text = client.get(url("expectation_create", intervention=intervention)).content.decode()
    assert "record a report issued elsewhere" in text


# ------------------------------------------------------------------------- answering


def test_the_owner_answers_with_evidence(client, officer, expectation):
    evidence = EvidenceFactory(programme=ProgrammeFactory(intervention=expectation.intervention))
    client.force_login(officer)
    response = client.post(
        url("expectation_answer", expectation), answer_data(evidence=[evidence.pk])
    )
    assert response.status_code == 302
    expectation.refresh_from_db()
    assert expectation.answered_on == D(2025, 11, 14)
    assert list(expectation.evidence.all()) == [evidence]
    # One record for the answer, holding its evidence, true from the day it was given.
    record = expectation.history.latest("history_id")
    assert (record.history_change_reason, record.valid_from) == ("Answered", D(2025, 11, 14))
    assert list(record.evidence.values_list("evidence_id", flat=True)) == [evidence.pk]
    page = client.get(expectation.get_absolute_url()).content.decode()
    assert evidence.title in page and "The plan went to Cabinet" in page


def test_another_officer_may_not_answer(client, intervention, expectation):
    client.force_login(_member(intervention, roles.COUNCIL_OFFICER))
    assert client.post(url("expectation_answer", expectation), answer_data()).status_code == 403
    expectation.refresh_from_db()
    assert expectation.answered_on is None


def test_an_answer_before_the_report_is_refused(client, officer, expectation):
    client.force_login(officer)
    response = client.post(
        url("expectation_answer", expectation), answer_data(answered_on="2025-05-01")
    )
    assert "cannot come before the report" in response.content.decode()
    expectation.refresh_from_db()
    assert expectation.answer == ""


def test_a_stale_answer_is_refused_and_explained(client, officer, expectation):
    expectation.title = "Changed meanwhile"
    expectation.version = 2
    expectation.save()
    client.force_login(officer)
    response = client.post(url("expectation_answer", expectation), answer_data(version="1"))
    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in response.content.decode()
    expectation.refresh_from_db()
    assert expectation.answer == ""


# --------------------------------------------------------------------------- judging


def test_the_oversight_judges_and_the_judgement_names_them(client, envoy, expectation):
    client.force_login(envoy)
    response = client.post(url("expectation_judge", expectation), judge_data())
    assert response.status_code == 302
    expectation.refresh_from_db()
    assert (expectation.judgement, expectation.judged_by) == ("partly_met", envoy.people.get())
    assert expectation.judged_on == D(2025, 12, 1)


@pytest.mark.parametrize("role", ["improvement_team", "officer", "administrator"])
def test_no_one_else_judges(client, expectation, role, request):
    client.force_login(request.getfixturevalue(role))
    assert client.post(url("expectation_judge", expectation), judge_data()).status_code == 403
    expectation.refresh_from_db()
    assert expectation.judgement == ""


def test_a_judged_expectation_is_no_longer_answered(client, officer, envoy, expectation):
    client.force_login(envoy)
    client.post(url("expectation_judge", expectation), judge_data())
    client.force_login(officer)
    assert client.post(url("expectation_answer", expectation), answer_data()).status_code == 403


def test_a_judgement_needs_commentary(client, envoy, expectation):
    client.force_login(envoy)
    response = client.post(url("expectation_judge", expectation), judge_data(commentary=""))
    assert response.status_code == 200
    expectation.refresh_from_db()
    assert expectation.judgement == ""


# ------------------------------------------------------------------------ list and detail


def test_the_list_shows_open_ones_as_of_a_day(client, intervention, officer, expectation):
    later = issued_elsewhere(intervention, D(2025, 12, 10))
    Expectation.objects.create(
        intervention=intervention, report=later, paragraph="2.1", title="Later one", quoted="Q"
    )
    client.force_login(officer)
    address = url("expectation_list", intervention=intervention)
    text = client.get(address, {"as_of": "2025-11-30", "state": "open"}).content.decode()
    assert "Cultural change plan" in text and "Due, not answered" in text
    assert "Later one" not in text
    assert "Later one" in client.get(address).content.decode()
    overdue = client.get(address, {"as_of": "2025-11-01", "state": "overdue"}).content.decode()
    assert "Cultural change plan" not in overdue


def test_the_list_orders_paragraphs_as_the_report_numbers_them(
    client, intervention, officer, letter
):
    for paragraph in ("10.1", "4.16", "1.14", "4.4"):
        Expectation.objects.create(
            intervention=intervention, report=letter, paragraph=paragraph, title="T", quoted="Q"
        )
    assert [e.paragraph for e in Expectation.objects.all()] == ["1.14", "4.4", "4.16", "10.1"]
    client.force_login(officer)
    text = client.get(url("expectation_list", intervention=intervention)).content.decode()
    assert [text.index(f"¶{p} ") for p in ("1.14", "4.4", "4.16", "10.1")] == sorted(
        text.index(f"¶{p} ") for p in ("1.14", "4.4", "4.16", "10.1")
    )


def test_the_detail_shows_the_words_and_the_history(client, officer, expectation):
    client.force_login(officer)
    text = client.get(expectation.get_absolute_url()).content.decode()
    assert "We would expect the programme for cultural change" in text
    assert "Paragraph 4.4 of" in text and "in six months&#x27;s" not in text
    assert "History" in text and "Recorded" in text


def grow(intervention, letter, count):
    start = Expectation.objects.count()
    for n in range(count):
        expectation = Expectation.objects.create(
            intervention=intervention,
            report=letter,
            paragraph=f"{start + n + 1}.1",
            title=f"Expectation {start + n}",
            quoted="Q",
        )
        expectation.themes.set([Theme.objects.get(slug="culture")])
        expectation.programmes.set([ProgrammeFactory(intervention=intervention)])


def count_queries(client, address):
    forget_all()  # nothing kept: counted as the first reading after a change
    with CaptureQueriesContext(connection) as context:
        response = client.get(address)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_the_list_makes_the_same_queries_at_ten_times_the_expectations(
    client, intervention, officer, letter
):
    client.force_login(officer)
    address = url("expectation_list", intervention=intervention)
    grow(intervention, letter, 1)
    once = count_queries(client, address)
    grow(intervention, letter, 9)
    assert count_queries(client, address) == once
    assert once <= 16


# ------------------------------------------------------------------------- the reports


def test_the_section_lists_the_open_ones_as_they_stood(intervention, expectation, envoy):
    services.judge(
        expectation,
        judgement="met",
        judged_on=D(2025, 12, 1),
        by=envoy.people.get(),
        judged_in=None,
        commentary="Met.",
        version=1,
    )
    [before] = expectations_section(intervention, D(2025, 11, 30))["open"]
    assert before["state"] == "overdue" and before["expectation"].judgement == ""
    after = expectations_section(intervention, D(2025, 12, 1))
    assert after["open"] == [] and [r["state"] for r in after["met"]] == ["met"]
    assert expectations_section(intervention, D(2025, 5, 20))["total"] == 0


def test_the_section_is_rebuilt_identically_for_the_same_date(intervention, expectation, envoy):
    report = Report.objects.create(
        intervention=intervention, kind="stocktake", title="Second stocktake", as_of=D(2025, 11, 30)
    )
    first = pdf.render_html(report)
    assert 'id="section-expectations"' in first and "Cultural change plan" in first
    services.judge(
        expectation,
        judgement="not_met",
        judged_on=D(2025, 12, 1),
        by=envoy.people.get(),
        judged_in=report,
        commentary="Nothing yet.",
        version=1,
    )
    assert pdf.render_html(report) == first


@pytest.mark.parametrize("kind", ["sos", "stocktake"])
def test_the_stocktake_and_the_six_monthly_report_carry_the_section(
    intervention, expectation, kind
):
    report = Report.objects.create(
        intervention=intervention, kind=kind, title="Report", as_of=D(2025, 11, 30)
    )
    html = pdf.render_html(report)
    assert 'id="section-expectations"' in html
    assert report_context(report)["sections"]["expectations"]["title"] == (
        "Expectations set in earlier reports"
    )


def test_the_pdf_prints_the_section_and_escapes_user_text(intervention, letter):
    Expectation.objects.create(
        intervention=intervention,
        report=letter,
        paragraph="4.4",
        title="<b>Bold</b> & brave",
        quoted="<script>x</script>",
    )
    report = Report.objects.create(
        intervention=intervention, kind="stocktake", title="Report", as_of=D(2025, 11, 30)
    )
    html = pdf.render_html(report)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in html
    assert "<script>x</script>" not in html
    text = pdf_text(pdf.render_pdf(html))
    assert "Expectations set in earlier reports" in text and "<b>Bold</b> & brave" in text


# ----------------------------------------------------------------- the Commissioners' words


def test_a_commissioner_judges_and_the_report_speaks_of_the_commissioners(
    client, commissioners, commissioner_personas
):
    report = commissioners.reports.get(issued_elsewhere=True, kind="sos")
    expectation = Expectation.objects.create(
        intervention=commissioners,
        report=report,
        paragraph="3.2",
        title="A balanced budget",
        quoted="We expect a balanced budget.",
    )
    client.force_login(commissioner_personas["improvement_team"])
    assert client.post(url("expectation_judge", expectation), judge_data()).status_code == 403
    client.force_login(commissioner_personas["lead_commissioner"])
    page = client.get(url("expectation_judge", expectation)).content.decode()
    assert "Judge this expectation for the Commissioners" in page and "Envoy" not in page
    assert client.post(url("expectation_judge", expectation), judge_data()).status_code == 302
    section = expectations_section(commissioners, D(2025, 12, 31))
    assert section["oversight"] == "the Commissioners"
    sos = Report.objects.create(
        intervention=commissioners, kind="sos", title="Report", as_of=D(2025, 12, 31)
    )
    html = pdf.render_html(sos)
    start = html.index('id="section-expectations"')
    part = html[start : html.index("</section>", start)]
    assert "A balanced budget" in part and "Envoy" not in part and "the Commissioners" in part


# --------------------------------------------------------------------- the intervention file


@pytest.fixture
def tower_hamlets(db):
    path = DATA / "tower-hamlets-2025.yaml"
    return import_intervention(read(path), reason="Imported", name=path.name)


def test_tower_hamlets_carries_the_letters_expectations_in_its_words(tower_hamlets):
    expectations = {e.paragraph: e for e in tower_hamlets.expectations.all()}
    assert sorted(expectations) == ["1.14", "2.13", "2.14", "4.16", "4.4", "6.1", "7.3", "7.4"]
    # Dated only where the letter dates them: six months from 21 May 2025.
    assert {p: e.due_on for p, e in expectations.items() if e.due_on} == {
        "2.14": D(2025, 11, 21),
        "4.4": D(2025, 11, 21),
        "4.16": D(2025, 11, 21),
    }
    letter = re.sub(
        r"\s+", " ", (SEEDS / "2025-05-21-envoys-first-stocktake-report.txt").read_text()
    )
    for expectation in expectations.values():
        assert expectation.report.issued_on == D(2025, 5, 21)
        assert re.sub(r"\s+", " ", expectation.quoted) in letter, expectation.paragraph
        assert not expectation.answer and not expectation.judgement
    assert [p.number for p in expectations["4.4"].programmes.all()] == [11]
    # The letter's own date: the open ones are in a stocktake as of the autumn.
    assert len(expectations_section(tower_hamlets, D(2025, 11, 30))["open"]) == 8


def test_an_answered_and_judged_expectation_round_trips(intervention, expectation, envoy):
    culture = Theme.objects.get(slug="culture")
    expectation.themes.set([culture])
    services.answer(
        expectation,
        text="Done.",
        answered_on=D(2025, 11, 14),
        evidence=[],
        evidence_url="https://example.org/paper",
        version=expectation.version,
    )
    expectation.refresh_from_db()
    services.judge(
        expectation,
        judgement="partly_met",
        judged_on=D(2025, 12, 1),
        by=envoy.people.get(),
        judged_in=None,
        commentary="Partly.",
        version=expectation.version,
    )
    text = export_intervention(intervention)
    [exported] = yaml.safe_load(text)["expectations"]
    assert exported["report"] == "stocktake/2025-05-21"
    assert (exported["judgement"], exported["themes"]) == ("partly_met", ["culture"])
    before = expectations_section(intervention, D(2025, 11, 20))
    wipe(intervention)
    again = import_intervention(parse(text, name="copy.yaml"), reason="Imported", name="copy.yaml")
    assert export_intervention(again) == text
    [row] = again.expectations.all()
    assert (row.judgement, row.answered_on, row.paragraph) == ("partly_met", D(2025, 11, 14), "4.4")
    assert state_of(
        expectations_section(again, D(2025, 11, 20))["open"][0]["expectation"], D(2025, 11, 20)
    ) == state_of(before["open"][0]["expectation"], D(2025, 11, 20))


def test_an_expectation_of_a_report_not_in_the_file_is_refused(tower_hamlets):
    text = export_intervention(tower_hamlets)
    data = yaml.safe_load(text)
    data["expectations"][0]["report"] = "stocktake/2025-06-01"
    data["intervention"]["slug"] = "copy"
    with pytest.raises(ImportFailed) as failed:
        parse(yaml.safe_dump(data), name="bad.yaml")
    assert "expected `KIND/ISSUED_ON` of a report in `reports_issued`" in str(failed.value.errors)
    assert Intervention.objects.count() == 1


# ----------------------------------------------------------------------------- My work


def test_my_work_lists_the_expectations_the_user_answers(
    client, intervention, officer, expectation
):
    client.force_login(officer)
    text = client.get(reverse("interventions:my_work")).content.decode()
    assert "Expectations to answer" in text and "Paragraph 4.4: Cultural change plan" in text
    client.force_login(_member(intervention, roles.COUNCIL_OFFICER))
    assert (
        "Cultural change plan" not in client.get(reverse("interventions:my_work")).content.decode()
    )


def test_an_answered_expectation_leaves_my_work(client, officer, expectation):
    services.answer(
        expectation,
        text="Done.",
        answered_on=D(2025, 11, 14),
        evidence=[],
        evidence_url="",
        version=1,
    )
    client.force_login(officer)
    assert (
        "Cultural change plan" not in client.get(reverse("interventions:my_work")).content.decode()
    )
