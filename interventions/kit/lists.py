"""The shared base of every list page: one base table, one base filterset, one list view.

A list page is then a few declarative lines in its app's `views.py`: a queryset, a filterset,
a table and a title. List pages inside an intervention find it with `get_intervention`
(kit/pages.py), the one place that decides who may see it.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
import django_tables2 as tables
from django import forms
from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django_filters.views import FilterView
from django_tables2.export import ExportMixin
from django_tables2.utils import A
from django_tables2.views import SingleTableMixin

from interventions.kit import table_rows
from interventions.kit.as_of import legacy_as_of_redirect
from interventions.kit.exports import SafeTableExport, refuse_unknown_format
from interventions.kit.pages import crumbs_for, get_intervention
from interventions.models import Intervention, Person

DATE_FORMAT = "j M Y"  # 22 Jan 2025

table_rows.install()


def tag_html(value: str, colours: dict[Any, str], label: str | None = None) -> SafeString:
    """A GOV.UK tag for a choice: its label as a word, its colour as a class."""
    if label is None:
        choices = type(next(iter(colours))) if colours else None
        try:
            label = choices(value).label if choices else str(value)
        except ValueError:
            label = str(value)
    colour = colours.get(value, "grey")
    if not colour:  # the default GOV.UK tag (blue) has no modifier class
        return format_html('<strong class="govuk-tag">{}</strong>', label)
    return format_html('<strong class="govuk-tag govuk-tag--{}">{}</strong>', colour, label)


def person_name(person: Person | None) -> str:
    """A person as a list shows them: their name, or the post while it is unfilled; a
    corporate body holding a role says so ("Acme LLP (organisation)")."""
    if person is None:
        return ""
    if person.name and person.is_organisation:
        return f"{person.name} (organisation)"
    return person.name or f"{person.post} (vacant)"


class TagColumn(tables.Column):
    """A choice shown as a GOV.UK tag (word and colour)."""

    def __init__(self, colours: dict[Any, str], **kwargs: Any) -> None:
        self.colours = colours
        super().__init__(**kwargs)

    def render(self, value: str, record: Model, bound_column: tables.columns.BoundColumn) -> str:
        # `value` is already the display label; the colour needs the stored value.
        return tag_html(A(bound_column.accessor).resolve(record), self.colours, label=value)


class TitleColumn(tables.Column):
    """The row's name, linking to its page; wide enough to read."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("linkify", True)
        kwargs.setdefault(
            "attrs", {"a": {"class": "govuk-link"}, "td": {"class": "app-table__cell--title"}}
        )
        super().__init__(**kwargs)


# The months as the `date` filter's "M" writes them in English.
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


class DateColumn(tables.Column):
    """A date as `{{ value|date:format }}` writes it ("22 Jan 2025").

    django-tables2's own DateColumn is a TemplateColumn that compiles its template again for
    every cell; on a 50-row list of four date columns that was a fifth of the page's time.
    """

    def __init__(self, *, format: str = DATE_FORMAT, **kwargs: Any) -> None:
        self.format = format
        super().__init__(**kwargs)

    def render(self, value: datetime.date) -> str:
        if self.format == "j M Y" and type(value) is datetime.date:
            # The house format, written directly: the `date` filter looks each month's name
            # up through the translation machinery, a tenth of a long list's time.
            return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"
        return date_filter(value, self.format) or ""

    def value(self, value: datetime.date) -> datetime.date:
        # Exports keep the date itself: a date cell in XLSX, ISO 8601 in CSV. A timestamp
        # (when a row was created) is the UK day it fell on, as the page shows it.
        if isinstance(value, datetime.datetime):
            return timezone.localdate(value) if timezone.is_aware(value) else value.date()
        return value


class PersonColumn(tables.Column):
    def render(self, value: Person) -> str:
        return person_name(value)


class NumericColumn(tables.Column):
    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "attrs",
            {
                "th": {"class": "govuk-table__header--numeric"},
                "td": {"class": "govuk-table__cell--numeric"},
            },
        )
        super().__init__(**kwargs)


class YesNoColumn(tables.Column):
    def render(self, value: bool) -> str:
        return "Yes" if value else "No"

    def value(self, value: bool) -> str:
        return "Yes" if value else "No"


class BaseTable(tables.Table):
    """GOV.UK table classes come from includes/table.html; rows are plain."""

    class Meta:
        template_name = "includes/table.html"
        attrs = {"class": "govuk-table app-table"}
        empty_text = "There is nothing to show here yet."
        per_page = 50


class BaseFilterSet(django_filters.FilterSet):
    """A filterset for one intervention's rows: choice lists only offer that intervention's.

    Filters whose choices belong to an intervention define `queryset` as a callable taking the
    request; the list view puts the intervention on the request before the form is built.
    """

    @property
    def form(self) -> forms.Form:
        form = super().form
        for field in form.fields.values():
            if isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "govuk-select")
                # A filter with no empty choice (`empty_label=None`) always has a value.
                if getattr(field, "empty_label", None) is not None:
                    field.empty_label = "Any"
            elif isinstance(field.widget, forms.TextInput):
                field.widget.attrs.setdefault("class", "govuk-input")
        return form


class ObjectListView(ExportMixin, SingleTableMixin, FilterView):
    """One list page: a table of `queryset`, narrowed by `filterset_class`.

    `?_export=csv` or `?_export=xlsx` with the page's own filters and sort order downloads
    exactly the rows the filters select (every page of them); another format is refused (400).

    Subclasses set `queryset`, `filterset_class`, `table_class`, `title` and, for pages inside
    an intervention, `intervention_field` (the lookup from the row to its intervention) and
    `section` (the service navigation item that is current).
    """

    template_name = "generic/object_list.html"
    title = ""
    item_name = ""  # how to count the rows: "Directions and sub-items"; else the title
    item_name_one = ""  # how to count one row: "Direction or sub-item"; else the model's name
    intro = ""
    section = ""
    intervention_field: str | None = None
    intervention: Intervention | None = None
    export_class = SafeTableExport
    export_formats = SafeTableExport.EXPORT_FORMATS

    def get_export_filename(self, export_format: str) -> str:
        parts = [self.intervention.slug if self.intervention else "", slugify(self.title)]
        parts.append(timezone.localdate().isoformat())
        return "-".join(part for part in parts if part) + f".{export_format}"

    def get_dataset_kwargs(self) -> dict[str, str]:
        # An XLSX sheet's name is at most 31 characters.
        return {"title": self.title[:31] or "Export"}

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        if redirect := legacy_as_of_redirect(request):
            return redirect
        if self.intervention_field is not None:
            self.intervention = get_intervention(request, kwargs["slug"])
            # Read by filters whose choices must stay within this intervention (an attribute
            # of ours: HttpRequest does not declare it).
            request.intervention = self.intervention  # type: ignore[attr-defined]  # ours
        # After the intervention: who may not see it learns nothing, not even the formats.
        if refusal := refuse_unknown_format(request):
            return refusal
        return super().dispatch(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.intervention_field is not None:
            queryset = queryset.filter(**{self.intervention_field: self.intervention})
        return queryset

    def get_table(self, **kwargs: Any) -> tables.Table:
        table = super().get_table(**kwargs)
        table.caption = self.title
        # The page's heading already names the list.
        table.caption_hidden = True
        return table

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        filterset = context.get("filter")
        context.update(
            title=self.title,
            item_name=self.item_name or self.title.lower(),
            item_name_one=self.item_name_one or str(self.get_queryset().model._meta.verbose_name),
            intro=self.intro,
            section=self.section,
            intervention=self.intervention,
            crumbs=crumbs_for(self.intervention) if self.intervention else [],
            filters_applied=bool(
                filterset and any(filterset.data.get(name) for name in filterset.filters)
            ),
        )
        return context
