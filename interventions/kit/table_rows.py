"""How a list's rows are drawn, quickly: django-tables2's cells without its per-cell costs.

Two costs grew with every cell of every list page (a 50-row list has 600 cells):

- **The table body in the template language.** `rows_html` writes each row's `<tr>` and its
  cells in Python, with the same classes `includes/table.html` gave them, each column's cell
  class worked out once rather than once a cell. The cells themselves are still django-tables2's
  (each column's `render`, `linkify`, `default`), escaped as the template escaped them.
- **Asking which arguments a renderer takes**, below.

django-tables2 asks `inspect.signature` which arguments a column's `render` (or `linkify`)
takes, once for every cell it draws; on a list of 50 rows that was a fifth of the page's
time. The answer depends only on the function, so it is worked out once per function and
kept while the function lives (bound methods share their function's answer: `self` is left
out for all of them alike).
"""

from __future__ import annotations

import html
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils import formats
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import Table, utils
from django_tables2.columns import ManyToManyColumn
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import Accessor

Signature = tuple[tuple[str, ...], str | None]

_uncached_signature: Callable[[Callable[..., Any]], Signature] = utils.signature
_of_methods: weakref.WeakKeyDictionary[Any, Signature] = weakref.WeakKeyDictionary()
_of_functions: weakref.WeakKeyDictionary[Any, Signature] = weakref.WeakKeyDictionary()


def signature(fn: Callable[..., Any]) -> Signature:
    """`django_tables2.utils.signature`, answered once per function."""
    function = getattr(fn, "__func__", None)
    cache, key = (_of_methods, function) if function is not None else (_of_functions, fn)
    try:
        return cache[key]
    except KeyError:
        pass
    except TypeError:  # neither hashable nor weakly referenced: not kept
        return _uncached_signature(fn)
    answer = cache[key] = _uncached_signature(fn)
    return answer


def install() -> None:
    """Use the cached lookup (`call_with_appropriate` reads `signature` from its module)."""
    utils.signature = signature


def rows_html(table: Table) -> SafeString:
    """The `<tr>` rows of a table's current page (or its one "nothing to show" row)."""
    columns = list(table.columns)
    fixed_classes = {}
    for column in columns:
        if not any(callable(value) for value in column.column.attrs.get("td", {}).values()):
            fixed_classes[column.name] = conditional_escape(_td_class(column))
    rows = []
    plans: dict[tuple[str, type], _Plan] = {}
    for row in table.paginated_rows:
        # Each piece escaped once: a column's fixed class above, every cell's text here.
        cells = "".join(
            '<td class="govuk-table__cell '
            + (
                fixed_classes[column.name]
                if column.name in fixed_classes
                else conditional_escape(_td_class(column))
            )
            + '">'
            + _escaped(formats.localize(_cell(row, column, plans)))
            + "</td>"
            for column in columns
        )
        row_class = conditional_escape(row.attrs.get("class") or "")
        rows.append(f'<tr class="govuk-table__row {row_class}">{cells}</tr>')
    if not rows:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
            len(columns),
            table.empty_text or "",
        )
    return mark_safe("\n".join(rows))  # every class and cell escaped above


@dataclass(frozen=True)
class _Plan:
    """How one column reads its value from one kind of record, worked out once per table."""

    accessor: Accessor
    # A model field with choices: django-tables2 shows its `get_FOO_display()`, which its own
    # `BoundRow._get_and_render_with` works out (rare enough to leave to it).
    displayed: bool


def _plan(column: Any, record: Any) -> _Plan:
    accessor = Accessor(column.accessor)
    displayed = False
    if isinstance(record, models.Model):
        try:
            field = accessor.get_field(record)
        except FieldDoesNotExist:
            field = None
        displayed = bool(getattr(field, "choices", None))
    return _Plan(accessor, displayed)


def _cell(row: Any, column: Any, plans: dict[tuple[str, type], _Plan]) -> Any:
    """What `BoundRow.items()` gives for one column: without finding the column again by its
    name among all of them (`BoundRow.get_cell`), and without asking the model, for every
    cell, which field the column reads and whether it has choices (once per column and kind
    of record); otherwise as `BoundRow._get_and_render_with` does it."""
    record = row.record
    key = (column.name, type(record))
    plan = plans.get(key)
    if plan is None:
        plan = plans[key] = _plan(column, record)
    if plan.displayed:
        value = row._get_and_render_with(
            column, render_func=row._call_render, default=column.default
        )
    else:
        value = _rendered(row, column, plan.accessor)
    # Read by a column's callable attrs (a cell's class from its value or record).
    column.current_value = value
    column.current_record = record
    return value


def _rendered(row: Any, column: Any, accessor: Accessor) -> Any:
    value: Any = None
    try:
        value = accessor.resolve(row.record)
    except Exception:
        # A column that is not a field (django-tables2's issue #257), as it does.
        if isinstance(column.column, BaseLinkColumn) and column.column.text is not None:
            return row._call_render(column)
    many = isinstance(column.column, ManyToManyColumn)
    if value in column.column.empty_values or (many and not value.exists()):
        return column.default
    return row._call_render(column, value)


def _escaped(value: Any) -> str:
    """`conditional_escape`, without its check for lazy arguments on every cell (`str()`
    reads a lazy translation here as `escape` would)."""
    if hasattr(value, "__html__"):
        return str(value.__html__())
    return html.escape(str(value))


def _td_class(column: Any) -> str:
    return column.attrs["td"].get("class") or ""
