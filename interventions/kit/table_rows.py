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

import weakref
from collections.abc import Callable
from typing import Any

from django.utils import formats
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django_tables2 import Table, utils

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
            fixed_classes[column.name] = _td_class(column)
    rows = []
    for row in table.paginated_rows:
        cells = []
        for column, cell in row.items():
            css = fixed_classes[column.name] if column.name in fixed_classes else _td_class(column)
            cells.append((css, conditional_escape(formats.localize(cell))))
        rows.append(
            format_html(
                '<tr class="govuk-table__row {}">{}</tr>',
                row.attrs.get("class") or "",
                format_html_join("", '<td class="govuk-table__cell {}">{}</td>', cells),
            )
        )
    if not rows:
        return format_html(
            '<tr class="govuk-table__row"><td class="govuk-table__cell" colspan="{}">{}</td></tr>',
            len(columns),
            table.empty_text or "",
        )
    return mark_safe("\n".join(rows))  # each row built by format_html


def _td_class(column: Any) -> str:
    return column.attrs["td"].get("class") or ""
