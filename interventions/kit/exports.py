"""Downloads of what a page lists: CSV and XLSX that a spreadsheet shows and never runs."""

from __future__ import annotations

import html
from typing import Any

import django_tables2 as tables
from django.utils.html import strip_tags
from django_tables2.export import TableExport

# A spreadsheet reads a cell starting with one of these as a formula (CSV injection).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


class SafeTableExport(TableExport):  # type: ignore[misc]  # django-tables2 has no types
    """CSV and XLSX of a table's rows as the page shows them, every cell made safe by
    `spreadsheet_safe`."""

    EXPORT_FORMATS = (TableExport.CSV, TableExport.XLSX)

    @classmethod
    def is_valid_format(cls, export_format: str | None) -> bool:
        return export_format in cls.EXPORT_FORMATS

    def table_to_dataset(
        self,
        table: tables.Table,
        exclude_columns: Any,
        dataset_kwargs: dict[str, Any] | None = None,
    ) -> Any:
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        # The page shows an empty cell as a dash; a spreadsheet should get an empty cell.
        defaults = [
            column.default
            for column in table.columns.iterall()
            if not (column.column.exclude_from_export or column.name in (exclude_columns or ()))
        ]
        safe = type(dataset)(title=dataset.title, headers=dataset.headers)
        for row in dataset:
            safe.append(
                [
                    "" if value == default else spreadsheet_safe(cell_text(value))
                    for value, default in zip(row, defaults, strict=True)
                ]
            )
        return safe
