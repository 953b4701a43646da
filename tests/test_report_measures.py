"""The reports' section on success measures: by theme, with trend and RAG against target as of
the report's date, the same each time it is built for that date, in each kind of report."""

import datetime

import pytest

from interventions.measures import services
from interventions.models import Theme
from reports import pdf
from reports.context import report_context
from reports.measures import measures_section
from reports.models import Report
from tests.factories import MeasureFactory, MeasureReadingFactory, PersonFactory
from tests.test_reports import pdf_text

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def measure(intervention):
    measure = MeasureFactory(intervention=intervention, title="Complaints answered on time")
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 6, 1), value=45)
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 10, 1), value=75)
    return measure


def rows(section):
    return {g["name"]: g["measures"] for g in section["themes"]}


def test_the_section_shows_the_readings_by_the_report_date(intervention, measure):
    [june] = rows(measures_section(intervention, D(2025, 6, 30)))["Governance"]
    assert (june["latest"], june["rag"]) == ("45%", "red")
    assert len(june["chart"].points) == 1
    [october] = rows(measures_section(intervention, D(2025, 10, 31)))["Governance"]
    assert (october["latest"], october["rag"], october["gap"]) == ("75%", "green", "15%")


def test_a_measure_proposed_after_the_report_date_is_left_out(intervention, measure):
    assert measures_section(intervention, D(2025, 2, 28))["themes"] == []


def test_the_agreement_is_as_it_stood_on_the_report_date(intervention, measure):
    services.agree_for_oversight(measure, PersonFactory(intervention=intervention), D(2025, 7, 1))
    services.record_board_agreement(measure, D(2025, 7, 14), "July meeting")
    [before] = rows(measures_section(intervention, D(2025, 7, 13)))["Governance"]
    [after] = rows(measures_section(intervention, D(2025, 7, 14)))["Governance"]
    assert (before["agreed"], after["agreed"]) == (False, True)
    assert after["agreement"] == "Agreed 14 July 2025"


def test_measures_are_grouped_in_the_order_of_the_themes(intervention, measure):
    MeasureFactory(intervention=intervention, theme=Theme.objects.get(slug="leadership"))
    names = [g["name"] for g in measures_section(intervention, D(2025, 10, 31))["themes"]]
    assert names == ["Leadership", "Governance"]


def test_the_section_is_rebuilt_identically_for_the_same_date(intervention, measure):
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Second report", as_of=D(2025, 10, 31)
    )
    first = pdf.render_html(report)
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 11, 15), value=20)
    assert pdf.render_html(report) == first


@pytest.mark.parametrize("kind", ["board", "sos", "stocktake"])
def test_every_kind_of_report_carries_the_section(intervention, measure, kind):
    report = Report.objects.create(
        intervention=intervention, kind=kind, title="Report", as_of=D(2025, 10, 31)
    )
    html = pdf.render_html(report)
    assert 'id="section-measures"' in html
    assert "Complaints answered on time" in html
    assert 'alt="Trend: Complaints answered on time.' in html
    assert report_context(report)["measures"]["total"] == 1


def test_the_pdf_prints_the_section_and_escapes_user_text(intervention):
    measure = MeasureFactory(intervention=intervention, title="<b>Bold</b> & brave")
    MeasureReadingFactory(measure=measure, taken_on=D(2025, 10, 1), value=75)
    report = Report.objects.create(
        intervention=intervention, kind="sos", title="Report", as_of=D(2025, 10, 31)
    )
    html = pdf.render_html(report)
    assert "<b>Bold</b>" not in html and "&lt;b&gt;Bold&lt;/b&gt; &amp; brave" in html
    text = pdf_text(pdf.render_pdf(html))
    assert "Success measures" in text and "<b>Bold</b> & brave" in text


def test_a_commissioners_report_speaks_of_the_commissioners(commissioners):
    MeasureFactory(intervention=commissioners, owner=None)
    section = measures_section(commissioners, D(2025, 10, 31))
    assert section["oversight"] == "the Commissioners"
    report = Report.objects.create(
        intervention=commissioners, kind="sos", title="Report", as_of=D(2025, 10, 31)
    )
    html = pdf.render_html(report)
    start = html.index('id="section-measures"')
    assert "Envoy" not in html[start : html.index("</section>", start)]
