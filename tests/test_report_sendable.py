"""A report the improvement team can send: every kind opens with a covering letter, has an
executive summary and a narrative for each Direction pre-filled from the record, numbers its
paragraphs, reports the programmes, the risks and next steps by theme, the Board's attendance
and action log and an evidence appendix; drafts are edited with the usual version checks and
issued reports are frozen."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from directions.models import ReportingDuty
from interventions.choices import RAG
from interventions.dates.periods import ReportingPeriod
from interventions.models import Theme
from reports import build, drafting, pdf
from reports.models import Report, ReportIssued
from tests.factories import (
    ActionFactory,
    AppointmentFactory,
    AttendanceFactory,
    BoardFactory,
    DirectionFactory,
    DirectionSetFactory,
    EvidenceFactory,
    MeetingFactory,
    PersonFactory,
    ProgrammeFactory,
    ProgrammeUpdateFactory,
    StrategicAimFactory,
)

pytestmark = pytest.mark.django_db

PARTS = [
    'class="letter"',
    'id="summary"',
    'id="section-directions"',
    'id="section-outlook"',
    'id="section-board"',
    'id="appendix-evidence"',
]


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


def start(client, intervention, kind: str, as_of: datetime.date | None = None) -> Report:
    """Start a draft through the page, as the improvement team does."""
    title = f"The {kind} report"
    response = client.post(
        reverse("reports:report_create", kwargs={"slug": intervention.slug}),
        {"kind": kind, "title": title, "as_of": (as_of or timezone.localdate()).isoformat()},
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return Report.objects.get(intervention=intervention, title=title)


def pdf_text(data: bytes) -> str:
    pages = PdfReader(io.BytesIO(data)).pages
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in pages))


def edit_data(report: Report, **changes: str) -> dict:
    """What the edit page posts back unchanged, with `changes`."""
    from reports.forms import ReportNarrativeForm

    form = ReportNarrativeForm(instance=report)
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    data["as_of"] = report.as_of.isoformat()
    if "full_council_on" in data:
        data["full_council_on"] = ""
    data.update(changes)
    return data


@pytest.fixture
def record(intervention):
    """An Envoys intervention with its council leaders and Envoys in role, two Directions
    (one to report to the Secretary of State), a programme with its quarter's update and
    evidence, and a Board meeting with attendance and actions."""
    people = {}
    for key, role, name in [
        ("mayor", "mayor", "Ada Mayor"),
        ("ceo", "chief_executive", "Ben Chief"),
        ("lead", "lead_envoy", "Cara Lead"),
        ("envoy", "envoy", "Dev Envoy"),
        ("former", "envoy", "Eve Former"),
    ]:
        people[key] = PersonFactory(intervention=intervention, key=key, name=name)
        AppointmentFactory(person=people[key], role=role)
    people["former"].appointments.update(ends_on=datetime.date(2025, 2, 1))
    directions = DirectionSetFactory(intervention=intervention, made_on=datetime.date(2025, 1, 22))
    met = DirectionFactory(
        direction_set=directions,
        ref="a",
        short_title="Reconfigure the Board",
        compliance="met",
        met_on=datetime.date(2025, 3, 18),
        compliance_source="Envoys' report, 21 May 2025",
        evidence="The Board first met on 18 March 2025.",
    )
    reporting = DirectionFactory(
        direction_set=directions,
        ref="j",
        short_title="Report to the Secretary of State",
        compliance="ongoing",
        evidence="",
    )
    ReportingDuty.objects.create(
        intervention=intervention,
        report_kind="sos",
        title="Six-monthly report to the Secretary of State",
        direction=reporting,
    )
    theme = Theme.objects.get(slug="culture")
    programme = ProgrammeFactory(
        intervention=intervention,
        aim=StrategicAimFactory(intervention=intervention),
        title="Cultural change",
        rag=RAG.NOT_STARTED,
    )
    programme.themes.add(theme)
    ProgrammeUpdateFactory(
        programme=programme,
        period_start=ReportingPeriod.containing(timezone.localdate()).start,
        rag=RAG.AMBER,
        summary="The staff survey is designed.",
        next_steps="Run the staff survey in October.",
        risks="Low response from frontline staff.",
    )
    EvidenceFactory(programme=programme, title="Staff survey design", url="https://example.org/s")
    board = BoardFactory(intervention=intervention, name="Transformation and Assurance Board")
    meeting = MeetingFactory(board=board, date=datetime.date(2025, 5, 12), status="held")
    AttendanceFactory(meeting=meeting, person=people["mayor"], status="present")
    AttendanceFactory(meeting=meeting, person=people["lead"], status="apologies")
    ActionFactory(meeting=meeting, text="Publish the plan on the website.", owner=people["ceo"])
    return {"people": people, "met": met, "reporting": reporting, "programme": programme}


# ----------------------------------------------------------------------- the parts of each kind


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_each_kind_of_report_has_the_parts_of_a_letter_that_can_be_sent(
    client, intervention, improvement_team, record, kind
):
    client.force_login(improvement_team)
    report = start(client, intervention, kind)

    html = pdf.render_html(report)

    for part in PARTS:
        assert part in html, part
    assert ('id="section-programmes"' if kind == "board" else 'id="section-plan"') in html
    assert ("Rating of progress by Best Value theme" in html) == (kind == "stocktake")
    assert ('id="section-new_recommendations"' in html) == (kind == "stocktake")
    # The quarter's update gives the programme its RAG and commentary.
    assert "The staff survey is designed." in html
    # Risks and next steps under the programme's Best Value theme.
    outlook = html[html.index('id="section-outlook"') : html.index('id="section-board"')]
    assert "<h3>Culture</h3>" in outlook
    assert "Run the staff survey in October." in outlook
    assert "Low response from frontline staff." in outlook
    # The Board's attendance and action log for the period.
    board = html[html.index('id="section-board"') :]
    assert "Ada Mayor" in board and "Apologies: Cara Lead" in board
    assert "Publish the plan on the website." in board and "Ben Chief" in board
    # The evidence appendix.
    appendix = html[html.index('id="appendix-evidence"') :]
    assert "Staff survey design" in appendix and "https://example.org/s" in appendix


def test_a_commissioners_intervention_has_every_part_in_its_own_words(
    client, commissioners, commissioner_personas
):
    client.force_login(commissioner_personas["improvement_team"])
    as_of = datetime.date(2025, 9, 30)
    for kind in commissioners.words.report_kinds:
        report = start(client, commissioners, kind, as_of)
        html = pdf.render_html(report)
        for part in PARTS:
            assert part in html, (kind, part)
        assert "Envoy" not in html, kind
    sos = Report.objects.get(intervention=commissioners, kind="sos", title="The sos report")
    # The Commissioners write to the Secretary of State and sign it, in the order the model
    # lists their roles (lead first); one whose appointment had ended does not sign.
    assert [s["name"] for s in sos.signatories] == [
        "Ruth Akinola",
        "Hartley Fenwick LLP",
        "Gareth Morley",
    ]
    assert sos.signatories[0]["role"] == "Lead Commissioner"
    assert sos.addressed_to == "Secretary of State"  # as their last report to them was
    assert sos.salutation == "Dear Secretary of State,"
    # The council writes its report to the Commissioners, signed by its leader and chief
    # executive; that report is the one Direction c requires, so it meets it.
    board = Report.objects.get(intervention=commissioners, kind="board")
    assert [s["name"] for s in board.signatories] == ["Cllr Lynda Snell", "Helen Pargetter"]
    assert "Direction c: " in pdf.render_html(board)
    assert "Met by this report (Council&#x27;s report to the Commissioners)" in pdf.render_html(
        board
    )


# ---------------------------------------------------------------------------------- pre-fill


def test_the_letter_is_prefilled_from_the_people_in_role_on_the_report_date(
    client, intervention, improvement_team, record
):
    client.force_login(improvement_team)
    sos = start(client, intervention, "sos")
    stocktake = start(client, intervention, "stocktake")

    # The council writes to the Secretary of State: its Mayor and Chief Executive sign.
    assert sos.signatories == [
        {"name": "Ada Mayor", "role": "Mayor"},
        {"name": "Ben Chief", "role": "Chief Executive"},
    ]
    assert (sos.addressed_to, sos.salutation, sos.sign_off) == (
        "Secretary of State",
        "Dear Secretary of State,",
        "Yours sincerely,",
    )
    assert "Please find enclosed the report to the Secretary of State" in sos.letter_body
    # The Envoys write their stocktake: the Lead Envoy first; an Envoy who left does not sign.
    assert stocktake.signatories == [
        {"name": "Cara Lead", "role": "Lead Envoy"},
        {"name": "Dev Envoy", "role": "Envoy"},
    ]
    letter = pdf.render_html(sos)
    letter = letter[letter.index('class="letter"') : letter.index('class="cover"')]
    assert "Dear Secretary of State," in letter and "Ada Mayor" in letter
    assert "Draft: dated when issued" in letter


def test_the_summary_and_each_directions_narrative_are_prefilled_from_the_record(
    client, intervention, improvement_team, record
):
    client.force_login(improvement_team)
    report = start(client, intervention, "sos")

    assert report.summary.startswith(
        f"As of {timezone.localdate():%-d %B %Y}, 2 Directions were in force: 1 being "
        "complied with and 1 met."
    )
    assert "The improvement plan had 1 programme" in report.summary
    assert "the boards met 1 time." in report.summary
    narrative = report.direction_commentary_for(record["met"].id)
    assert narrative == (
        "Met on 18 Mar 2025. Recorded in Envoys' report, 21 May 2025.\n\n"
        "The Board first met on 18 March 2025."
    )
    empty = report.direction_commentary_for(record["reporting"].id)
    assert empty.startswith("No evidence had been recorded by")


def test_prefilling_leaves_what_was_written_alone(intervention, record):
    report = Report(
        intervention=intervention,
        kind="sos",
        title="S",
        as_of=timezone.localdate(),
        summary="Our own summary.",
        direction_commentary={str(record["met"].id): "Our own words."},
        signatories=[{"name": "Someone", "role": "Acting Mayor"}],
    )
    drafting.prefill(report)
    assert report.summary == "Our own summary."
    assert report.direction_commentary_for(record["met"].id) == "Our own words."
    assert report.signatories == [{"name": "Someone", "role": "Acting Mayor"}]


# ------------------------------------------------------------------ numbering, and met by it


def test_paragraphs_are_numbered_by_section_as_the_oversights_letters_are(intervention, record):
    report = Report.objects.create(
        intervention=intervention,
        kind="sos",
        title="S",
        as_of=timezone.localdate(),
        summary="First point.\n\nSecond point.",
        commentary={"directions": "Overall, good progress."},
        direction_commentary={str(record["met"].id): "The Board met.\n\nIt works well."},
    )
    html = pdf.render_html(report)
    assert '<span class="number">1.1</span>First point.' in html
    assert '<span class="number">1.2</span>Second point.' in html
    # Section 2's own commentary first, then each Direction's narrative, numbered on.
    assert '<span class="number">2.1</span>Overall, good progress.' in html
    assert '<span class="number">2.2</span>The Board met.' in html
    assert '<span class="number">2.3</span>It works well.' in html
    assert "<h2>2. Progress against each Direction</h2>" in html


def test_the_direction_this_report_discharges_is_shown_as_met_by_it(intervention, record):
    sos = Report.objects.create(
        intervention=intervention, kind="sos", title="S", as_of=timezone.localdate()
    )
    board = Report.objects.create(
        intervention=intervention, kind="board", title="B", as_of=timezone.localdate()
    )
    met_by_it = 'Direction j: <span class="tag compliance-met">Met by this report'
    assert met_by_it in pdf.render_html(sos)
    # A report of another kind does not discharge it.
    assert met_by_it not in pdf.render_html(board)
    assert 'Direction j: <span class="tag compliance-ongoing">' in pdf.render_html(board)


# ---------------------------------------------------------------------------------- editing


def test_the_improvement_team_edits_the_letter_narratives_and_signatories(
    client, intervention, improvement_team, record
):
    client.force_login(improvement_team)
    report = start(client, intervention, "sos")
    page = client.get(url("report_edit", report)).content.decode()
    assert "Covering letter" in page and "Progress narrative: Direction a" in page

    data = edit_data(
        report,
        addressed_to="The Rt Hon Steve Reed MP",
        addressee_address="Secretary of State\n2 Marsham Street",
        signatory_1_name="Ada Mayor",
        signatory_1_role="Executive Mayor",
        signatory_2_name="",
        signatory_2_role="",
        **{f"direction_{record['met'].id}": "Met in March."},
    )
    response = client.post(url("report_edit", report), data)

    assert response.status_code == 302
    report.refresh_from_db()
    assert report.addressed_to == "The Rt Hon Steve Reed MP"
    assert report.signatories == [{"name": "Ada Mayor", "role": "Executive Mayor"}]
    assert report.direction_commentary_for(record["met"].id) == "Met in March."
    html = pdf.render_html(report)
    assert "The Rt Hon Steve Reed MP<br>Secretary of State<br>2 Marsham Street" in html
    assert "Ben Chief" not in html[: html.index('class="cover"')]


def test_an_emptied_narrative_stays_empty(client, intervention, improvement_team, record):
    client.force_login(improvement_team)
    report = start(client, intervention, "sos")
    data = edit_data(report, **{f"direction_{record['met'].id}": ""})
    assert client.post(url("report_edit", report), data).status_code == 302
    report.refresh_from_db()
    assert report.direction_commentary_for(record["met"].id) == ""
    form_page = client.get(url("report_edit", report)).content.decode()
    assert "The Board first met on 18 March 2025." not in form_page


def test_a_stale_edit_of_the_letter_is_refused_and_explained(
    client, intervention, improvement_team, record
):
    client.force_login(improvement_team)
    report = start(client, intervention, "sos")
    data = edit_data(report, letter_body="Mine.")
    Report.objects.filter(pk=report.pk).update(letter_body="Theirs.", version=report.version + 1)

    response = client.post(url("report_edit", report), data)

    assert response.status_code == 200
    assert "Someone else changed this after you opened it" in response.content.decode()
    report.refresh_from_db()
    assert report.letter_body == "Theirs."


def test_those_who_do_not_write_a_kind_cannot_edit_its_letter(
    client, intervention, improvement_team, envoy, officer, record
):
    client.force_login(improvement_team)
    sos = start(client, intervention, "sos")
    stocktake = start(client, intervention, "stocktake")
    # The council writes to the Secretary of State: an Envoy may not edit its letter, nor an
    # officer; the Envoys write their stocktake and may edit it, with its ratings.
    for user in (envoy, officer):
        client.force_login(user)
        before = Report.objects.get(pk=sos.pk).letter_body
        response = client.post(url("report_edit", sos), edit_data(sos, letter_body="Hijack"))
        # Neither may read the council's draft, so to them it does not exist.
        assert response.status_code == 404
        assert Report.objects.get(pk=sos.pk).letter_body == before
    client.force_login(envoy)
    response = client.post(
        url("report_edit", stocktake),
        edit_data(stocktake, rating_culture="limited", new_recommendations="Act.\n\nPublish."),
    )
    assert response.status_code == 302
    stocktake.refresh_from_db()
    assert stocktake.theme_ratings == {"culture": "limited"}
    html = pdf.render_html(stocktake)
    assert '<span class="tag rating-limited">Limited progress</span>' in html
    assert re.search(r'<span class="number">\d+\.2</span>Publish\.', html)


# ------------------------------------------------------------------- frozen once issued


def test_an_issued_report_keeps_its_letter_and_narratives_and_rebuilds_the_same(
    client, intervention, improvement_team, record
):
    client.force_login(improvement_team)
    report = start(client, intervention, "sos")
    build.finalise(report, improvement_team)
    report.refresh_from_db()
    assert report.is_final
    first = pdf.render_html(report)
    assert f"{report.issued_on:%-d %B %Y}" in first[: first.index('class="cover"')]

    report.letter_body = "Changed after issue."
    with pytest.raises(ReportIssued):
        report.save()
    report.refresh_from_db()
    report.direction_commentary = {str(record["met"].id): "Changed after issue."}
    with pytest.raises(ReportIssued):
        report.save()
    assert client.get(url("report_edit", report)).status_code == 403
    assert pdf.render_html(Report.objects.get(pk=report.pk)) == first
    # The letter is the report's own words: renaming the Mayor later does not change it.
    record["people"]["mayor"].name = "Someone Else"
    record["people"]["mayor"].save()
    again = pdf.render_html(Report.objects.get(pk=report.pk))
    assert again[: again.index('class="cover"')] == first[: first.index('class="cover"')]
    assert "Ada Mayor" in again[: again.index('class="cover"')]


# --------------------------------------------------------------------------------- escaping


def test_letter_text_is_printed_literally_never_as_markup(intervention, record):
    payload = '<script>alert("x")</script><b>bold</b> & co'
    report = Report.objects.create(
        intervention=intervention,
        kind="sos",
        title="S",
        as_of=timezone.localdate(),
        addressed_to=payload,
        salutation=payload,
        letter_body=payload,
        signatories=[{"name": payload, "role": payload}],
        direction_commentary={str(record["met"].id): payload},
    )
    html = pdf.render_html(report)
    assert "<script>alert" not in html and "<b>bold</b>" not in html
    assert html.count("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;") >= 6
    text = pdf_text(build.build_pdf(report))
    assert text.count('<script>alert("x")</script><b>bold</b> & co') >= 6
