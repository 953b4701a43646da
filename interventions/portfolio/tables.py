"""The portfolio's table: one row per intervention, each column a figure of its dashboard.

Each column sorts by a plain value of the row (a number or a date; never empty, so that rows
always compare) and exports what the page shows in words, dates as dates.
"""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from directions.choices import COMPLIANCE_TAG_COLOURS
from interventions.choices import RAG_TAG_COLOURS
from interventions.kit.lists import DATE_FORMAT, BaseTable, NumericColumn
from interventions.portfolio.rows import PortfolioRow

SYNTHETIC_TAG = mark_safe(' <strong class="govuk-tag govuk-tag--purple">Synthetic data</strong>')


def _tags(counts: list[tuple[str, str, int]], colours: dict[Any, str]) -> SafeString:
    """Counts as GOV.UK tags, one a line: "Met 3"."""
    return format_html_join(
        "",
        '<li><strong class="govuk-tag govuk-tag--{}">{} {}</strong></li>',
        ((colours.get(value) or "blue", label, n) for value, label, n in counts),
    )


def _date(value: datetime.date | None) -> str:
    return date_filter(value, DATE_FORMAT) if value else ""


class PortfolioTable(BaseTable):
    intervention = tables.Column(
        verbose_name="Intervention",
        accessor="title",
        attrs={"td": {"class": "app-table__cell--title"}},
    )
    authority = tables.Column(verbose_name="Authority")
    model = tables.Column(verbose_name="Model")
    directions = tables.Column(
        verbose_name="Directions in force",
        accessor="sets_text",
        order_by="directions_made_on",
        # Wide enough that a set's statutory title reads in a few lines.
        attrs={"td": {"class": "app-table__cell--title"}},
    )
    compliance = tables.Column(
        verbose_name="Compliance by Direction", accessor="compliance_text", order_by="not_met"
    )
    overdue = NumericColumn(verbose_name="Overdue deadlines")
    next_report = tables.Column(
        verbose_name="Next statutory report",
        accessor="next_report_text",
        order_by="next_report_sort",
    )
    next_report_due = tables.Column(verbose_name="Due", order_by="next_report_sort")
    last_report = tables.Column(
        verbose_name="Last report issued", accessor="last_report_text", order_by="last_report_sort"
    )
    last_report_on = tables.Column(verbose_name="Issued on", order_by="last_report_sort")
    rag = tables.Column(verbose_name="Programmes by RAG", accessor="rag_text", order_by="red")
    measures = tables.Column(
        verbose_name="Measures on target", accessor="measures_text", order_by="measures_on_target"
    )

    class Meta(BaseTable.Meta):
        empty_text = "No intervention matches these filters."
        order_by = ("authority",)

    def render_intervention(self, record: PortfolioRow) -> SafeString:
        synthetic = SYNTHETIC_TAG if record.synthetic else ""
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>{}',
            record.dashboard_url,
            record.title,
            synthetic,
        )

    def value_intervention(self, record: PortfolioRow) -> str:
        return f"{record.title} (synthetic data)" if record.synthetic else record.title

    def render_directions(self, record: PortfolioRow) -> SafeString:
        return format_html(
            '<ul class="govuk-list govuk-!-font-size-16">{}</ul>',
            format_html_join(
                "",
                "<li><strong>Made {}</strong>: {}</li>",
                ((s.made_on_text, s.title) for s in record.sets_in_force),
            ),
        )

    def render_compliance(self, record: PortfolioRow) -> SafeString:
        by_direction = format_html_join(
            "", "<li>{}: {}</li>", ((d.reference, d.label) for d in record.directions)
        )
        return format_html(
            '<ul class="govuk-list govuk-!-font-size-16">{}</ul>'
            '<details class="govuk-details govuk-!-font-size-16 govuk-!-margin-bottom-0">'
            '<summary class="govuk-details__summary">'
            '<span class="govuk-details__summary-text">By Direction</span></summary>'
            '<div class="govuk-details__text"><ul class="govuk-list govuk-!-font-size-16">{}</ul>'
            "</div></details>",
            _tags(record.compliance_counts, COMPLIANCE_TAG_COLOURS),
            by_direction,
        )

    # Exports keep the words the page shows, without its tags and links.
    def value_directions(self, value: str) -> str:
        return value

    def value_compliance(self, value: str) -> str:
        return value

    def value_next_report(self, value: str) -> str:
        return value

    def value_last_report(self, value: str) -> str:
        return value

    def value_rag(self, value: str) -> str:
        return value

    def render_overdue(self, record: PortfolioRow) -> SafeString:
        url = reverse("interventions:deadline_overdue", kwargs={"slug": record.intervention.slug})
        if record.on != record.today:
            url += f"?as_of={record.on.isoformat()}"
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, record.overdue)

    def value_overdue(self, record: PortfolioRow) -> int:
        return record.overdue

    def render_next_report(self, record: PortfolioRow) -> SafeString:
        return format_html_join(
            "",
            '<a class="govuk-link" href="{}">{}</a><br>',
            ((due.url, due.occurrence.what) for due in record.next_reports),
        )

    def render_next_report_due(self, value: datetime.date) -> str:
        return _date(value)

    def value_next_report_due(self, value: datetime.date) -> datetime.date:
        return value

    def render_last_report(self, record: PortfolioRow) -> SafeString:
        report = record.last_report
        if report is None:
            return SafeString("")
        url = reverse(
            "reports:report_detail", kwargs={"slug": record.intervention.slug, "pk": report.pk}
        )
        return format_html('<a class="govuk-link" href="{}">{}</a>', url, report.title)

    def render_last_report_on(self, value: datetime.date) -> str:
        return _date(value)

    def value_last_report_on(self, value: datetime.date) -> datetime.date:
        return value

    def render_rag(self, record: PortfolioRow) -> SafeString:
        return format_html(
            '<ul class="govuk-list govuk-!-font-size-16">{}</ul>',
            _tags(record.rag_counts, RAG_TAG_COLOURS),
        )
