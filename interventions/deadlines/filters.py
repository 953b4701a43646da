"""The filters of the deadline pages, and the table and exports they show the occurrences in.

Occurrences are computed (`interventions.deadlines.engine`), not rows of a table, so the filterset
narrows a list rather than a queryset: each filter's method takes and returns a list.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import django_filters
import django_tables2 as tables
from django.http import HttpResponse
from django.utils.html import format_html

from interventions.deadlines.engine import STATE_TAG_COLOURS, Occurrence, Source, State
from interventions.kit.exports import CSV, export_response, safe_dataset
from interventions.kit.lists import BaseFilterSet, BaseTable, DateColumn, person_name, tag_html
from interventions.kit.widgets import DateInput
from interventions.models import Person, Theme


def _people(request: Any) -> Any:
    return Person.objects.filter(intervention=request.intervention)


class DeadlineFilterSet(BaseFilterSet):
    """State, kind, person responsible and theme; and the date the states are shown as of."""

    as_of = django_filters.DateFilter(
        label="Show states as of",
        method="keep",
        widget=DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
        help_text="Leave empty for today.",
    )
    state = django_filters.ChoiceFilter(
        label="State", choices=State.choices, method="by_state", empty_label="Any"
    )
    source = django_filters.ChoiceFilter(
        label="Kind", choices=Source.choices, method="by_source", empty_label="Any"
    )
    person = django_filters.ModelChoiceFilter(
        label="Person responsible", queryset=_people, method="by_person"
    )
    theme = django_filters.ModelChoiceFilter(
        label="Best Value theme", queryset=Theme.objects.all(), method="by_theme"
    )

    class Meta:
        model = Person  # required by django-filter; the rows are occurrences, not people
        fields: list[str] = []

    def __init__(self, data: Any = None, *, items: list[Occurrence], request: Any = None) -> None:
        super().__init__(data, Person.objects.none(), request=request)
        self.queryset = items

    @property
    def qs(self) -> list[Occurrence]:
        if not hasattr(self, "_qs"):
            items = list(self.queryset)
            if self.is_bound and self.form.is_valid():
                items = self.filter_queryset(items)
            self._qs = items
        return self._qs

    def filter_queryset(self, queryset: list[Occurrence]) -> list[Occurrence]:
        for name, value in self.form.cleaned_data.items():
            if value not in (None, ""):
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def keep(self, items: list[Occurrence], name: str, value: object) -> list[Occurrence]:
        return items  # read by the view, which computes the states as of this date

    def by_state(self, items: list[Occurrence], name: str, value: str) -> list[Occurrence]:
        return [item for item in items if item.state == value]

    def by_source(self, items: list[Occurrence], name: str, value: str) -> list[Occurrence]:
        return [item for item in items if item.source == value]

    def by_person(self, items: list[Occurrence], name: str, value: Person) -> list[Occurrence]:
        return [item for item in items if item.responsible and item.responsible.pk == value.pk]

    def by_theme(self, items: list[Occurrence], name: str, value: Theme) -> list[Occurrence]:
        return [item for item in items if any(theme.pk == value.pk for theme in item.themes)]


# Rows on each page of a deadline list.
PER_PAGE = 50


class DeadlineTable(BaseTable):
    due = DateColumn(verbose_name="Due")
    what = tables.Column(verbose_name="What", attrs={"td": {"class": "app-table__cell--title"}})
    reference = tables.Column(verbose_name="Source")
    state = tables.Column(verbose_name="State", order_by=("state",))
    responsible = tables.Column(
        verbose_name="Responsible", accessor="responsible", order_by=("responsible.name",)
    )
    themes = tables.Column(verbose_name="Themes", accessor="theme_names", orderable=False)
    satisfied_on = DateColumn(verbose_name="Met on")

    class Meta(BaseTable.Meta):
        empty_text = "No deadlines match."
        order_by = ("due",)

    def render_what(self, value: str, record: Occurrence) -> str:
        link = format_html('<a class="govuk-link" href="{}">{}</a>', record.url, value)
        if not record.basis:
            return link
        # Where its due date or met date is recorded, so the row can be traced to a paper.
        return format_html(
            '{}<br><span class="govuk-hint govuk-!-font-size-16 govuk-!-margin-bottom-0">'
            "Rests on: {}</span>",
            link,
            record.basis,
        )

    def render_state(self, value: str, record: Occurrence) -> str:
        return tag_html(record.state, STATE_TAG_COLOURS, label=record.state.label)

    def render_responsible(self, value: Person) -> str:
        return person_name(value)


EXPORT_HEADERS = [
    "Due",
    "What",
    "Kind",
    "Source",
    "State",
    "Met on",
    "Met by",
    "Responsible",
    "Themes",
    "Days left",
    "Link",
    "Rests on",
]


def occurrence_row(item: Occurrence, base_url: str = "") -> list[object]:
    """One occurrence as an export's row: dates as dates, the days left as a number."""
    return [
        item.due,
        item.what,
        item.source.label,
        item.reference,
        item.state.label,
        item.satisfied_on,
        item.satisfied_by,
        person_name(item.responsible),
        item.theme_names,
        item.days_left,
        f"{base_url}{item.url}",
        item.basis,
    ]


def export_deadlines(
    items: Iterable[Occurrence],
    export_format: str,
    filename: str,
    *,
    title: str = "Deadlines",
    base_url: str = "",
) -> HttpResponse:
    """Occurrences as a CSV or XLSX download (`filename` without its extension)."""
    rows = (occurrence_row(item, base_url) for item in items)
    return export_response(EXPORT_HEADERS, rows, export_format, filename, title)


def write_csv(stream: Any, items: Iterable[Occurrence], base_url: str = "") -> None:
    """Occurrences as CSV text on a stream (the `deadlines` command's output): the rows of
    the pages' export, with no byte-order mark, which a terminal would show."""
    rows = (occurrence_row(item, base_url) for item in items)
    stream.write(safe_dataset(EXPORT_HEADERS, rows, CSV).export(CSV))


def parse_date(text: str) -> datetime.date:
    """A YYYY-MM-DD date, or ValueError saying what was expected."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a date: expected YYYY-MM-DD, e.g. 2025-07-22") from None
