"""The list of expectations: its table and its filters."""

from __future__ import annotations

import datetime
from typing import Any

import django_filters
import django_tables2 as tables
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from interventions.kit.as_of import AS_OF
from interventions.kit.lists import BaseFilterSet, BaseTable, PersonColumn, tag_html
from interventions.kit.widgets import DateInput
from interventions.models import Person, Programme, Theme
from interventions.models.valid_time import end_of
from reports.choices import EXPECTATION_STATE_TAG_COLOURS, OPEN_STATES, ExpectationState
from reports.expectations import state_of
from reports.models import Expectation, Report

OPEN_CHOICE = "open"


def set_by(on: datetime.date) -> Q:
    """Expectations whose report had been issued by the end of `on`."""
    return Q(report__issued_elsewhere=True, report__issued_on_date__lte=on) | Q(
        report__issued_elsewhere=False, report__finalised_at__lte=end_of(on)
    )


class ExpectationTable(BaseTable):
    """Every expectation set by the list's day (`on`, set by the list view), with where it
    stood then."""

    title = tables.Column(verbose_name="Expectation", orderable=False)
    report = tables.Column(verbose_name="Report", order_by=("report__as_of",))
    due_on = tables.Column(verbose_name="Due", empty_values=())
    owner = PersonColumn(verbose_name="Answered by", order_by="owner__name")
    themes = tables.Column(verbose_name="Best Value themes", empty_values=(), orderable=False)
    state = tables.Column(verbose_name="Where it stands", empty_values=(), orderable=False)

    on: datetime.date | None = None

    class Meta(BaseTable.Meta):
        model = Expectation
        fields = ["title", "report", "due_on", "owner", "themes", "state"]
        empty_text = "No expectations match these filters."

    def _on(self) -> datetime.date:
        return self.on or timezone.localdate()

    def render_title(self, record: Expectation) -> SafeString:
        return format_html(
            '<a class="govuk-link" href="{}">{} {}</a>',
            record.get_absolute_url(),
            f"¶{record.paragraph}",
            record.title,
        )

    def value_title(self, record: Expectation) -> str:
        return f"{record.paragraph} {record.title}"

    def render_report(self, record: Expectation) -> str:
        day = record.set_on
        return f"{record.report.get_kind_display()}, {day.day} {day:%b %Y}"

    def value_report(self, record: Expectation) -> str:
        return f"{record.report.title} ({record.set_on.isoformat()})"

    def render_due_on(self, record: Expectation) -> str:
        if record.due_on is None:
            return "No date given"
        return f"{record.due_on.day} {record.due_on:%b %Y}"

    def value_due_on(self, record: Expectation) -> str:
        return record.due_on.isoformat() if record.due_on else ""

    def render_themes(self, record: Expectation) -> str:
        return ", ".join(t.name for t in record.themes.all()) or "None"

    def value_themes(self, record: Expectation) -> str:
        return ", ".join(t.name for t in record.themes.all())

    def render_state(self, record: Expectation) -> SafeString:
        state = state_of(record, self._on())
        return tag_html(state, EXPECTATION_STATE_TAG_COLOURS)

    def value_state(self, record: Expectation) -> str:
        return str(state_of(record, self._on()).label)


def reports(request: Any) -> QuerySet[Report]:
    # django-filter calls it with the request, on which the list view put the intervention.
    return Report.objects.filter(
        intervention=request.intervention, expectations__isnull=False
    ).distinct()


def programmes(request: Any) -> QuerySet[Programme]:
    return Programme.objects.filter(intervention=request.intervention)


def owners(request: Any) -> QuerySet[Person]:
    return Person.objects.filter(
        intervention=request.intervention, owned_expectations__isnull=False
    ).distinct()


class ExpectationFilterSet(BaseFilterSet):
    state = django_filters.ChoiceFilter(
        choices=[(OPEN_CHOICE, "Open: not yet judged met"), *ExpectationState.choices],
        empty_label="Any",
        label="Where it stands",
        method="filter_state",
    )
    report = django_filters.ModelChoiceFilter(queryset=reports, label="Report")
    themes = django_filters.ModelChoiceFilter(
        queryset=Theme.objects.all(), label="Best Value theme"
    )
    programmes = django_filters.ModelChoiceFilter(queryset=programmes, label="Programme")
    owner = django_filters.ModelChoiceFilter(queryset=owners, label="Answered by")
    as_of = django_filters.DateFilter(
        # The list view reads the day and leaves out what was set after it (`set_by`).
        method=lambda queryset, name, value: queryset,
        label="As of",
        help_text="Leave empty for today.",
        widget=DateInput(attrs={"class": "govuk-input govuk-input--width-10"}),
    )

    class Meta:
        model = Expectation
        fields = ["state", "report", "themes", "programmes", "owner", AS_OF]

    def on(self) -> datetime.date:
        data = getattr(self.form, "cleaned_data", {}) or {}
        day: datetime.date | None = data.get(AS_OF)
        return day or timezone.localdate()

    def filter_state(
        self, queryset: QuerySet[Expectation], name: str, value: str
    ) -> QuerySet[Expectation]:
        """Worked out from each row's dates in Python (`state_of`, the one rule): an
        intervention has tens of expectations, not thousands."""
        on = self.on()
        wanted = set(OPEN_STATES) if value == OPEN_CHOICE else {value}
        rows = (
            queryset.select_related(None)
            .prefetch_related(None)
            .only("pk", "judgement", "judged_on", "answered_on", "due_on")
        )
        return queryset.filter(pk__in=[e.pk for e in rows if state_of(e, on) in wanted])
