"""Reports as Word working copies (.docx): the same sections as the PDF, made from the same
HTML; headings as Word headings, tables as Word tables with repeating header rows, charts as
pictures with alternative text; the document's properties and language; the first page saying
the PDF is the record; user text kept literal; who may download it (as who may preview the
PDF); and the Commissioners' words."""

import datetime
import io
import re

import docx
import lxml.html
import pytest
from django.urls import reverse
from docx.oxml.ns import qn
from PIL import Image

from interventions.choices import RAG
from interventions.kit.charts import Bar, BarChart
from interventions.models.base import set_effective_date
from reports import build, pdf
from reports.choices import SECTIONS, ReportStatus
from reports.context import report_context
from reports.models import Report
from reports.word import document as word
from reports.word.pictures import svg_to_png
from tests.factories import (
    DirectionFactory,
    DirectionSetFactory,
    MeasureFactory,
    MeasureReadingFactory,
    ProgrammeFactory,
    StrategicAimFactory,
    UserFactory,
)
from tests.test_reports import backdate

pytestmark = pytest.mark.django_db

D = datetime.date
AS_OF = D(2025, 10, 31)


def url(name: str, report: Report) -> str:
    return reverse(f"reports:{name}", kwargs={"slug": report.intervention.slug, "pk": report.pk})


def opened(data: bytes):
    return docx.Document(io.BytesIO(data))


def headings(document, style: str) -> list[str]:
    return [p.text for p in document.paragraphs if p.style.name == style]


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return re.sub(r"\s+", " ", " ".join(parts))


@pytest.fixture
def record(intervention):
    """A plan with a programme, a Direction and a measure with readings, all recorded
    before the reports' date, so that every section has rows, charts and a trend chart."""
    aim = StrategicAimFactory(intervention=intervention)
    programme = ProgrammeFactory(
        intervention=intervention, aim=aim, rag=RAG.AMBER, title="Fix the finances"
    )
    directions = DirectionSetFactory(intervention=intervention)
    direction = DirectionFactory(
        direction_set=directions, short_title="Prepare an improvement plan"
    )
    for row in (aim, programme, directions, direction):
        backdate(row, D(2025, 1, 31))
    measure = MeasureFactory(intervention=intervention, title="Complaints answered on time")
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 6, 1), value=45)
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 10, 1), value=75)
    return intervention


def make(intervention, kind: str, **fields) -> Report:
    fields.setdefault("title", "Report")
    return Report.objects.create(intervention=intervention, kind=kind, as_of=AS_OF, **fields)


# ------------------------------------------------------------------ the same sections


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_every_section_heading_of_the_kind_is_a_word_heading(record, kind):
    report = make(record, kind, summary="All is well.\n\nMostly.")
    document = opened(word.render_docx(report))
    level_one = headings(document, "Heading 1")
    expected = [
        "1. Executive summary",
        *(f"{n}. {title}" for n, (_, title) in enumerate(SECTIONS[kind], start=2)),
        "Appendix: evidence",
    ]
    # Then the appendices after the evidence (the sources, where the PDF has them).
    assert level_one[: len(expected)] == expected
    assert all(h.startswith("Appendix: ") for h in level_one[len(expected) :])
    assert headings(document, "Title") == ["Report"]
    # The sub-headings (a Direction, a theme, a chart) are Heading 2, as h3 in the PDF.
    html = lxml.html.document_fromstring(pdf.render_html(report))
    assert headings(document, "Heading 2") == [
        re.sub(r"\s+", " ", h.text_content()).strip() for h in html.iter("h3")
    ]
    if kind != "stocktake":  # the stocktake's Directions sit under its themes too
        assert any(
            h.startswith("Direction ") and h.endswith(": Prepare an improvement plan")
            for h in headings(document, "Heading 2")
        )


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_every_table_is_a_word_table_with_a_repeating_header_row(record, kind):
    report = make(record, kind)
    document = opened(word.render_docx(report))
    html = lxml.html.document_fromstring(pdf.render_html(report))
    html_tables = list(html.iter("table"))
    assert len(document.tables) == len(html_tables) > 3
    for table, source in zip(document.tables, html_tables, strict=True):
        head = [re.sub(r"\s+", " ", th.text_content()).strip() for th in source.find("thead")[0]]
        first = table.rows[0]
        assert [cell.text for cell in first.cells][: len(head)] == head
        header = first._tr.trPr.find(qn("w:tblHeader"))
        assert header is not None and header.get(qn("w:val")) == "true"
        # Body rows are not headers.
        if len(table.rows) > 1:
            body = table.rows[1]._tr.trPr
            assert body is None or body.find(qn("w:tblHeader")) is None


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_every_chart_is_a_picture_with_its_alternative_text(record, kind):
    report = make(record, kind)
    data = word.render_docx(report)
    document = opened(data)
    html = lxml.html.document_fromstring(pdf.render_html(report))
    alts = [re.sub(r"\s+", " ", img.get("alt")).strip() for img in html.iter("img")]
    described = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert described == alts
    assert all(described)
    assert any(alt.startswith("Trend: Complaints answered on time.") for alt in described)
    assert any(alt.startswith("Programmes by RAG") for alt in described)
    # Each picture is a PNG Word can show, not the SVG.
    images = [part for part in document.part.package.parts if part.partname.endswith(".png")]
    assert len(images) >= 1
    assert all(Image.open(io.BytesIO(part.blob)).format == "PNG" for part in images)


def test_a_chart_is_drawn_as_its_svg_shows_it():
    chart = BarChart(
        "Programmes by RAG",
        bars=[Bar("Amber", 3, "#b84f00"), Bar("Green", 0, "#00703c"), Bar("Red", 1, "#d4351c")],
    )
    png, width = svg_to_png(str(chart.svg()).encode())
    image = Image.open(io.BytesIO(png)).convert("RGB")
    assert width == 640 and image.width == 1280
    colours = {colour for _, colour in image.getcolors(maxcolors=1_000_000)}
    assert (0xB8, 0x4F, 0x00) in colours  # the amber bar
    assert (0xD4, 0x35, 0x1C) in colours  # the red bar
    assert (0x00, 0x70, 0x3C) not in colours  # no green bar: it counts none
    assert (0x0B, 0x0C, 0x0C) in colours  # the labels


def test_numbered_paragraphs_keep_their_numbers(record):
    report = make(record, "board", summary="First point.\n\nSecond point.")
    report.commentary = {"directions": "The Directions in brief."}
    report.save()
    texts = [p.text for p in opened(word.render_docx(report)).paragraphs]
    assert "1.1\tFirst point." in texts
    assert "1.2\tSecond point." in texts
    assert "2.1\tThe Directions in brief." in texts


def test_the_covering_letter_comes_first_after_the_notice(record):
    report = make(
        record,
        "sos",
        salutation="Dear Secretary of State,",
        letter_body="Please find enclosed our report.",
        sign_off="Yours sincerely,",
        signatories=[{"name": "Ann Example", "role": "Chief Executive"}],
    )
    texts = [p.text for p in opened(word.render_docx(report)).paragraphs]
    salutation = texts.index("Dear Secretary of State,")
    assert salutation < texts.index("Report") < texts.index("1. Executive summary")
    assert texts.index("Please find enclosed our report.") > salutation
    assert "Ann Example\nChief Executive" in texts


# ------------------------------------------------------------------ properties and notice


def test_the_document_has_its_properties_and_language(record):
    report = make(record, "sos", title="Six-monthly report")
    document = opened(word.render_docx(report))
    properties = document.core_properties
    assert properties.title == "Six-monthly report"
    assert properties.author == record.authority.name
    assert properties.subject.startswith(report.get_kind_display())
    assert "31 October 2025" in properties.subject
    assert properties.language == "en-GB"
    lang = document.styles.element.find(qn("w:docDefaults")).find(".//" + qn("w:lang"))
    assert lang.get(qn("w:val")) == "en-GB"
    section = document.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)


def test_a_draft_says_it_is_a_working_copy_and_not_yet_issued(record):
    report = make(record, "board")
    document = opened(word.render_docx(report))
    first = document.paragraphs[0].text
    assert first.startswith("Working copy: not the record.")
    assert "has not been issued" in first
    assert "its PDF" in first


def test_an_issued_report_names_its_pdf_and_checksum_as_the_record(record):
    report = make(record, "sos")
    build.finalise(report, UserFactory())
    report.refresh_from_db()
    assert report.status == ReportStatus.FINAL and report.sha256
    document = opened(word.render_docx(report))
    first = document.paragraphs[0].text
    assert report.sha256 in first
    assert report.pdf_filename in first
    assert "It is not the report" in first
    assert report.sha256 in document.core_properties.comments
    assert len(document.core_properties.comments) <= 255


def test_an_issued_reports_copy_reads_the_record_as_it_was_issued(record):
    """A change entered after the report was issued, though dated before its as-of date,
    is not in the issued report's Word copy (nor its PDF); a new draft for the same date
    has it."""
    report = make(record, "sos")
    build.finalise(report, UserFactory())
    report.refresh_from_db()
    assert "Fix the finances" in all_text(opened(word.render_docx(report)))
    programme = record.programmes.get()
    programme.title = "Renamed after the issue"
    set_effective_date(programme, D(2025, 9, 1))
    programme.save()
    issued_copy = all_text(opened(word.render_docx(report)))
    assert "Fix the finances" in issued_copy
    assert "Renamed after the issue" not in issued_copy
    draft = make(record, "sos")
    assert "Renamed after the issue" in all_text(opened(word.render_docx(draft)))


# ------------------------------------------------------------------ user text stays literal


def test_user_text_stays_literal(record):
    report = make(
        record,
        "board",
        title="Q2 <b>delivery</b> & risks",
        summary='The council\'s "plan" <script>alert(1)</script> & more',
    )
    data = word.render_docx(report)
    document = opened(data)
    assert headings(document, "Title") == ["Q2 <b>delivery</b> & risks"]
    assert document.core_properties.title == "Q2 <b>delivery</b> & risks"
    texts = [p.text for p in document.paragraphs]
    assert '1.1\tThe council\'s "plan" <script>alert(1)</script> & more' in texts
    # Nothing was read as markup: no bold run holds only "delivery".
    title = next(p for p in document.paragraphs if p.style.name == "Title")
    assert [r.text for r in title.runs] == ["Q2 <b>delivery</b> & risks"]


# ------------------------------------------------------------------ sections with no layout


def test_a_section_with_no_layout_gets_its_heading_commentary_and_data(record, monkeypatch):
    """A section added to SECTIONS before the PDF template lays it out is written with its
    heading, its numbered commentary and its data from the context as a plain table."""
    sections = [*SECTIONS["board"], ("risk_register", "Risk register")]
    monkeypatch.setitem(SECTIONS, "board", sections)
    report = make(record, "board", commentary={"risk_register": "Two risks are red."})
    context = report_context(report)
    context["risk_register"] = [
        {"risk": "Budget gap <2026>", "owner": "Section 151 officer", "due": D(2025, 12, 1)},
    ]
    document = opened(word.render_docx(report, context))
    number = len(sections) + 1
    assert f"{number}. Risk register" in headings(document, "Heading 1")
    level_one = headings(document, "Heading 1")
    assert level_one.index(f"{number}. Risk register") == level_one.index("Appendix: evidence") - 1
    texts = [p.text for p in document.paragraphs]
    assert f"{number}.1\tTwo risks are red." in texts
    table = next(t for t in document.tables if t.rows[0].cells[0].text == "Risk")
    assert [c.text for c in table.rows[0].cells] == ["Risk", "Owner", "Due"]
    assert [c.text for c in table.rows[1].cells] == [
        "Budget gap <2026>",
        "Section 151 officer",
        "1 Dec 2025",
    ]


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_which_sections_have_a_layout_of_their_own(record, kind):
    """Every section of every kind is laid out by the kind's PDF template (and so in Word
    by the same HTML); none falls back to the generic rendering. A section added to
    SECTIONS without a template layout shows up here, and is still written (above)."""
    report = make(record, kind)
    context = report_context(report)
    html = pdf.render_html(report, context)
    laid_out = set(re.findall(r'<section class="part" id="section-([a-z_]+)"', html))
    assert laid_out == {key for key, _ in SECTIONS[kind]}


# ------------------------------------------------------------------ the page and who may read


@pytest.fixture
def draft(record):
    return make(record, "board", title="Q3 delivery report")


@pytest.fixture
def issued(record, improvement_team):
    report = make(record, "sos", title="Second six-monthly report")
    build.finalise(report, improvement_team)
    report.refresh_from_db()
    return report


def test_the_report_page_links_to_the_word_copy_of_a_draft_and_an_issued_report(
    client, improvement_team, draft, issued
):
    client.force_login(improvement_team)
    for report in (draft, issued):
        page = client.get(report.get_absolute_url()).content.decode()
        assert url("report_docx", report) in page
        assert "Download the Word working copy (.docx)" in page


def test_the_download_is_a_docx_named_as_a_working_copy(client, improvement_team, issued):
    client.force_login(improvement_team)
    response = client.get(url("report_docx", issued))
    assert response.status_code == 200
    assert response["Content-Type"] == word.DOCX_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        f'attachment; filename="{issued.pdf_filename[:-4]}-working-copy.docx"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert opened(response.content).core_properties.title == "Second six-monthly report"


@pytest.mark.parametrize(
    ("persona", "draft_status", "issued_status"),
    [
        ("improvement_team", 200, 200),
        ("administrator", 200, 200),
        ("envoy", 404, 200),
        ("board_member", 404, 200),
        ("officer", 404, 404),
        ("stranger", 404, 404),
    ],
)
def test_who_may_download_the_word_copy(
    request, client, draft, issued, persona, draft_status, issued_status
):
    """As who may preview the PDF: the improvement team reads drafts; the Board and the
    oversight read issued reports; officers only those shared with them; nobody outside
    the intervention."""
    client.force_login(request.getfixturevalue(persona))
    for report, status in ((draft, draft_status), (issued, issued_status)):
        assert client.get(url("report_docx", report)).status_code == status
        assert client.get(url("report_preview", report)).status_code == status


def test_an_officer_reads_the_word_copy_once_the_report_is_shared(client, officer, issued):
    client.force_login(officer)
    assert client.get(url("report_docx", issued)).status_code == 404
    issued.shared_with_officers = True
    issued.save()
    assert client.get(url("report_docx", issued)).status_code == 200


def test_signed_out_visitors_are_sent_to_sign_in(client, issued):
    response = client.get(url("report_docx", issued))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_a_report_issued_elsewhere_has_no_word_copy(client, improvement_team, record):
    report = Report.objects.create(
        intervention=record,
        kind="sos",
        title="Issued by post",
        as_of=AS_OF,
        issued_elsewhere=True,
        status=ReportStatus.FINAL,
        issued_on_date=AS_OF,
        issued_by="The council",
        document_reference="Letter of 31 October 2025",
    )
    client.force_login(improvement_team)
    assert client.get(url("report_docx", report)).status_code == 404


# ------------------------------------------------------------------ the Commissioners' model


def test_a_commissioners_report_speaks_their_words(client, commissioners, commissioner_personas):
    kind = commissioners.words.report_kinds[0]
    report = Report.objects.create(
        intervention=commissioners, kind=kind, title="Report to the Commissioners", as_of=AS_OF
    )
    client.force_login(commissioner_personas["improvement_team"])
    response = client.get(url("report_docx", report))
    assert response.status_code == 200
    document = opened(response.content)
    level_one = headings(document, "Heading 1")
    for number, (_, title) in enumerate(SECTIONS[kind], start=2):
        assert f"{number}. {title}" in level_one
    text = all_text(document)
    assert "Commissioners" in text
    assert "Envoy" not in text
    assert document.core_properties.author == commissioners.authority.name
    # The Board member of the Commissioners' intervention reads no draft.
    client.force_login(commissioner_personas["board_member"])
    assert client.get(url("report_docx", report)).status_code == 404


def test_the_commissioners_own_report_is_theirs_to_download(
    client, commissioners, commissioner_personas
):
    kind = commissioners.words.oversight_kinds[0]
    report = Report.objects.create(
        intervention=commissioners, kind=kind, title="Commissioners' report", as_of=AS_OF
    )
    client.force_login(commissioner_personas["lead_commissioner"])
    assert client.get(url("report_docx", report)).status_code == 200
    client.force_login(commissioner_personas["officer"])
    assert client.get(url("report_docx", report)).status_code == 404


def test_words_for_screen_readers_beside_a_link_are_left_out(record):
    """Word has no visually hidden text: the words beside a link for screen readers would
    print, so they are left out."""
    report = make(record, "board")
    document = docx.Document()
    writer = word.Writer(document, report_context(report))
    html = lxml.html.fragment_fromstring(
        '<p>Version <a href="#">3<span class="visually-hidden"> (programme 12)</span></a>.</p>'
    )
    writer.block(word.Place(document), html, word.Look())
    assert document.paragraphs[-1].text == "Version 3."
