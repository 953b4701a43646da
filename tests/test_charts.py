"""Server-side SVG charts: accessible, escaped, embeddable in PDFs, and faithful to the data."""

import base64
import io
from xml.etree import ElementTree

import pikepdf
import pytest
import weasyprint

from interventions.choices import RAG
from interventions.kit.charts import (
    RAG_CHART_COLOURS,
    Bar,
    BarChart,
    Series,
    StackedBarChart,
    StackedColumnChart,
)

SVG = "{http://www.w3.org/2000/svg}"


def contrast_with_white(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(colour[i : i + 2], 16)) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return 1.05 / (luminance + 0.05)


def rag_series() -> list[Series]:
    return [Series(rag.label, RAG_CHART_COLOURS[rag]) for rag in RAG]


def bar_chart() -> BarChart:
    return BarChart(
        "Programmes by RAG",
        unit="programmes",
        category_heading="RAG",
        bars=[
            Bar("Green", 5, RAG_CHART_COLOURS[RAG.GREEN], url="/p/?rag=green"),
            Bar("Red", 1, RAG_CHART_COLOURS[RAG.RED], url="/p/?rag=red"),
        ],
    )


def trend_chart() -> StackedColumnChart:
    return StackedColumnChart(
        "RAG over time",
        unit="programmes",
        category_heading="Month",
        categories=["Jan 2025", "Feb 2025"],
        series=rag_series(),
        values=[[1, 2, 0, 0, 0], [0, 1, 1, 1, 0]],
    )


def parse(chart) -> ElementTree.Element:
    return ElementTree.fromstring(str(chart.svg()))


@pytest.mark.parametrize("rag", list(RAG))
def test_every_rag_colour_has_enough_contrast_against_white(rag):
    assert contrast_with_white(RAG_CHART_COLOURS[rag]) >= 4.5


@pytest.mark.parametrize("make", [bar_chart, trend_chart])
def test_a_chart_is_an_image_named_by_its_title_and_described_by_its_text_alternative(make):
    chart = make()
    root = parse(chart)

    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"
    assert title.text == chart.title
    assert desc.text == chart.text_alternative()


def test_the_text_alternative_says_every_figure_in_words():
    assert bar_chart().text_alternative() == (
        "Programmes by RAG. Green 5, Red 1 (6 programmes in all)."
    )
    assert trend_chart().text_alternative() == (
        "RAG over time. Jan 2025: Not started 1, Green 2. Feb 2025: Green 1, Amber 1, Red 1."
    )


def test_stacked_charts_key_each_colour_in_words():
    texts = [element.text for element in parse(trend_chart()).iter(f"{SVG}text")]

    for rag in RAG:
        assert rag.label in texts


def test_bars_are_labelled_in_words_and_sized_by_their_counts():
    root = parse(bar_chart())
    texts = [element.text for element in root.iter(f"{SVG}text")]
    widths = [float(rect.get("width")) for rect in root.iter(f"{SVG}rect")][1:]  # 0: background

    assert texts == ["Green", "5", "Red", "1"]
    assert widths[0] == pytest.approx(widths[1] * 5)


def test_labels_are_escaped():
    chart = BarChart('<script>alert("x")</script> & co', bars=[Bar("<b>odd</b>", 1)])

    markup = str(chart.svg())

    assert "<script>" not in markup and "<b>" not in markup
    assert "&lt;b&gt;odd&lt;/b&gt;" in markup
    assert parse(chart).find(f"{SVG}title").text == '<script>alert("x")</script> & co'


def test_the_data_table_has_a_row_per_category_with_the_links_to_its_rows():
    table = bar_chart().table()

    assert table.caption == "Programmes by RAG"
    assert table.columns == ["RAG", "Programmes"]
    assert [(label, [(c.value, c.url) for c in cells]) for label, cells in table.rows] == [
        ("Green", [(5, "/p/?rag=green")]),
        ("Red", [(1, "/p/?rag=red")]),
    ]


def test_a_stacked_table_has_a_column_per_series_and_a_total():
    chart = StackedBarChart(
        "RAG by theme",
        category_heading="Theme",
        categories=["Culture"],
        series=rag_series()[:2],
        values=[[3, 4]],
        urls=[["/a", "/b"]],
    )

    table = chart.table()

    assert table.columns == ["Theme", "Not started", "Green", "Total"]
    label, cells = table.rows[0]
    assert label == "Culture"
    assert [(c.value, c.url) for c in cells] == [(3, "/a"), (4, "/b"), (7, "")]


def test_values_must_match_the_categories_and_series():
    with pytest.raises(ValueError):
        StackedBarChart("Bad", categories=["A", "B"], series=rag_series(), values=[[1] * 5])


def test_the_data_uri_is_the_same_svg_for_an_img_tag():
    chart = trend_chart()
    prefix = "data:image/svg+xml;base64,"

    uri = chart.data_uri()

    assert uri.startswith(prefix)
    assert base64.b64decode(uri[len(prefix) :]).decode() == str(chart.svg())


def test_an_empty_chart_still_draws():
    chart = StackedColumnChart("Nothing yet", categories=[], series=rag_series(), values=[])

    assert parse(chart).get("role") == "img"
    assert chart.text_alternative() == "Nothing yet."
    assert chart.table().rows == []


def test_the_img_tag_carries_the_data_uri_and_the_text_alternative_escaped():
    chart = BarChart('Say "hi" & <go>', bars=[Bar("A", 1)])

    tag = str(chart.img_html())

    assert tag.startswith(f'<img class="app-chart__img" src="{chart.data_uri()}"')
    assert 'alt="Say &quot;hi&quot; &amp; &lt;go&gt;. A 1 (1 item in all)."' in tag


def test_a_pdf_embeds_the_chart_as_a_figure_with_its_text_alternative():
    chart = bar_chart()
    html = (
        '<html lang="en-GB"><head><title>Report</title></head>'
        f"<body><h1>Report</h1>{chart.img_html()}</body></html>"
    )
    pdf = pikepdf.open(io.BytesIO(weasyprint.HTML(string=html).write_pdf(pdf_variant="pdf/ua-1")))

    def figures(node):
        if isinstance(node, pikepdf.Dictionary):
            if node.get("/S") == "/Figure":
                yield str(node.get("/Alt"))
            kids = node.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else [kids]:
                yield from figures(kid)

    assert list(figures(pdf.Root.StructTreeRoot)) == [chart.text_alternative()]
    assert len(pdf.pages[0].Resources.XObject) >= 1  # the drawing itself
