"""Downloads of what a page lists: CSV and XLSX that a spreadsheet shows and never runs.

Every export takes one path: headers and rows (`table_rows` reads them from a django-tables2
table) become a tablib dataset whose every cell has passed `spreadsheet_safe`
(`safe_dataset`), written as a response by `export_response`:

- CSV is UTF-8 with a byte-order mark, so Excel on Windows reads "£", "é" and "—" as they are;
  dates are ISO 8601 (`2025-07-22`, `2025-07-22 14:05`).
- XLSX keeps dates and times as date cells (UK time) and numbers as numbers.

`?_export=csv` or `?_export=xlsx` asks a page for its export; any other value is refused with
`refuse_unknown_format` (400, naming the formats).
"""

from __future__ import annotations

import datetime
import html
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import django_tables2 as tables
import tablib
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeData
from django_tables2.export import TableExport

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

EXPORT_PARAM = "_export"
CSV = "csv"
XLSX = "xlsx"
EXPORT_FORMATS = (CSV, XLSX)
CONTENT_TYPES = {
    CSV: "text/csv; charset=utf-8",
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# The UTF-8 byte-order mark: without it Excel reads a CSV file in the Windows code page.
BOM = "\ufeff"
# An XLSX sheet's name is at most 31 characters.
SHEET_TITLE_LENGTH = 31


def spreadsheet_safe(value: object) -> object:
    """A cell's value as a spreadsheet shows it, never runs it: formula-like text gets a quote.

    The one guard against CSV injection: every export (list pages, deadlines, What changed)
    passes each cell through it.
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def cell_text(value: object) -> object:
    """A table cell rendered as HTML (tags, links) as the words a reader sees."""
    return html.unescape(strip_tags(value)) if isinstance(value, str) else value


def cell_value(value: object, export_format: str) -> object:
    """A cell as `export_format` keeps it, made safe by `spreadsheet_safe`.

    Numbers stay numbers. Dates stay dates in XLSX and are ISO 8601 in CSV; a time is UK time
    to the minute (a spreadsheet has no time zones).
    """
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        value = value.replace(tzinfo=None, second=0, microsecond=0)
        return value if export_format == XLSX else value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, datetime.date):
        return value if export_format == XLSX else value.isoformat()
    if value is None or isinstance(value, int | float | Decimal):
        return value
    # Empty text is an empty cell.
    return spreadsheet_safe(str(value)) or None


def safe_dataset(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    export_format: str,
    title: str = "",
) -> tablib.Dataset:
    """Headers and rows as a dataset ready for `export_format`, every cell made safe."""
    dataset = tablib.Dataset(
        headers=[cell_value(header, export_format) for header in headers],
        title=title[:SHEET_TITLE_LENGTH] or "Export",
    )
    for row in rows:
        dataset.append([cell_value(cell, export_format) for cell in row])
    return dataset


def dataset_content(dataset: tablib.Dataset, export_format: str) -> bytes:
    """The file's bytes: CSV in UTF-8 with its byte-order mark, or the XLSX workbook."""
    if export_format == CSV:
        text: str = dataset.export(CSV)
        return (BOM + text).encode("utf-8")
    content: bytes = dataset.export(XLSX)
    return content


def dataset_response(dataset: tablib.Dataset, export_format: str, filename: str) -> HttpResponse:
    """A download of `dataset` in `export_format`, named `filename`."""
    response = HttpResponse(
        dataset_content(dataset, export_format), content_type=CONTENT_TYPES[export_format]
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_response(
    headers: Sequence[object],
    rows: Iterable[Sequence[object]],
    export_format: str,
    filename: str,
    title: str = "",
) -> HttpResponse:
    """Headers and rows as a CSV or XLSX download: `filename` without its extension, which
    `export_format` gives; `title` names the XLSX sheet."""
    dataset = safe_dataset(headers, rows, export_format, title)
    return dataset_response(dataset, export_format, f"{filename}.{export_format}")


def requested_format(request: HttpRequest) -> str | None:
    """The format `?_export=` asks for, or None for the page itself (absent or empty)."""
    return request.GET.get(EXPORT_PARAM) or None


def refuse_unknown_format(request: HttpRequest) -> HttpResponse | None:
    """400, in plain words naming the formats, when `?_export=` asks for one we do not write;
    else None."""
    export_format = requested_format(request)
    if export_format is None or export_format in EXPORT_FORMATS:
        return None
    return HttpResponseBadRequest(
        f"There is no export as {export_format[:20]!r}: "
        f"add ?{EXPORT_PARAM}={CSV} or ?{EXPORT_PARAM}={XLSX} to the page's address "
        f"(the formats are {CSV} and {XLSX}).\n",
        content_type="text/plain; charset=utf-8",
    )


def table_rows(
    table: tables.Table, exclude_columns: Iterable[str] | None = None
) -> tuple[list[object], list[list[object]]]:
    """A table's headers and every row (all pages, in the table's order) as an export has them.

    A column's `value_<name>` method (or `Column.value`) gives the cell; without one, the
    rendered cell's words (its HTML's text). A cell the page shows as the column's default
    (a dash) is empty.
    """
    excluded = set(exclude_columns or ())
    defaults = [
        column.default
        for column in table.columns.iterall()
        if not (column.column.exclude_from_export or column.name in excluded)
    ]
    values = table.as_values(exclude_columns=list(excluded))
    headers = list(next(values))
    rows = [
        [
            None if value == default else cell_text(value) if isinstance(value, SafeData) else value
            for value, default in zip(row, defaults, strict=True)
        ]
        for row in values
    ]
    return headers, rows


class SafeTableExport(TableExport):  # type: ignore[misc]  # django-tables2 has no types
    """CSV and XLSX of a table's rows as the page shows them, through `safe_dataset` (every
    cell made safe by `spreadsheet_safe`) and `dataset_response`, like every other export."""

    EXPORT_FORMATS = EXPORT_FORMATS

    @classmethod
    def is_valid_format(cls, export_format: str | None) -> bool:
        return export_format in cls.EXPORT_FORMATS

    def table_to_dataset(
        self,
        table: tables.Table,
        exclude_columns: Any,
        dataset_kwargs: dict[str, Any] | None = None,
    ) -> tablib.Dataset:
        headers, rows = table_rows(table, exclude_columns)
        title = (dataset_kwargs or {}).get("title", "")
        return safe_dataset(headers, rows, self.format, title)

    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    def export(self) -> bytes:
        return dataset_content(self.dataset, self.format)

    def response(self, filename: str | None = None) -> HttpResponse:
        return dataset_response(self.dataset, self.format, filename or f"export.{self.format}")
