"""The list tables' rows drawn in Python (interventions/kit/table_rows.py) say what the
template said, escaped the same way, and a renderer's arguments are looked up once."""

import datetime

import django_tables2 as tables
from django.test import RequestFactory
from django_tables2 import utils

from interventions.kit import table_rows
from interventions.kit.lists import BaseTable, DateColumn


class Row:
    def __init__(self, name: str, day: datetime.date | None, kind: str) -> None:
        self.name, self.day, self.kind = name, day, kind


class ExampleTable(BaseTable):
    name = tables.Column(attrs={"td": {"class": "app-table__cell--title"}})
    day = DateColumn(verbose_name="Day")
    kind = tables.Column()

    class Meta(BaseTable.Meta):
        row_attrs = {"class": lambda record: f"row-{record.kind}"}

    def render_kind(self, value: str, record: Row) -> str:
        return f"{value}!"


def test_rows_escape_user_text_and_format_dates() -> None:
    table = ExampleTable([Row("<b>Rates</b>", datetime.date(2025, 1, 22), "a")])
    html = table_rows.rows_html(table)
    assert "&lt;b&gt;Rates&lt;/b&gt;" in html
    assert "<b>" not in html
    assert '<td class="govuk-table__cell ">22 Jan 2025</td>' in html
    assert '<td class="govuk-table__cell app-table__cell--title">' in html
    assert "row-a" in html.split("<td")[0]
    assert "a!</td>" in html


def test_a_missing_date_shows_the_columns_default() -> None:
    html = table_rows.rows_html(ExampleTable([Row("x", None, "b")]))
    assert '<td class="govuk-table__cell ">—</td>' in html


def test_no_cell_carries_a_class_named_none() -> None:
    html = table_rows.rows_html(ExampleTable([Row("x", None, "b")]))
    assert "None" not in html


def test_an_empty_table_says_so_across_every_column() -> None:
    html = table_rows.rows_html(ExampleTable([]))
    assert 'colspan="3"' in html
    assert "There is nothing to show here yet." in html


def test_the_rendered_page_uses_the_rows(rf: RequestFactory) -> None:
    table = ExampleTable([Row("Alpha", None, "c")])
    tables.RequestConfig(rf.get("/")).configure(table)
    html = table.as_html(rf.get("/"))
    assert "row-c" in html.split("<tbody")[1].split("<td")[0]
    assert "Alpha" in html


def test_a_renderers_arguments_are_looked_up_once(monkeypatch) -> None:
    calls = []
    real = table_rows._uncached_signature

    def counting(fn):
        calls.append(fn)
        return real(fn)

    monkeypatch.setattr(table_rows, "_uncached_signature", counting)
    table_rows._of_methods.clear()
    first, second = ExampleTable([]), ExampleTable([])
    assert utils.signature is table_rows.signature
    assert utils.signature(first.render_kind) == (("value", "record"), None)
    assert utils.signature(second.render_kind) == (("value", "record"), None)
    assert len(calls) == 1


def test_a_date_cell_reads_as_the_date_filter_writes_it_in_every_month() -> None:
    from django.template.defaultfilters import date as date_filter

    column = DateColumn()
    for month in range(1, 13):
        day = datetime.date(2025, month, 9)
        assert column.render(day) == date_filter(day, "j M Y")
