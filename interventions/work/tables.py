"""Tables of My work: milestones overdue or due soon, programmes needing an update, and the
programmes a person may update."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from interventions.choices import RAG_TAG_COLOURS, WORK_STATUS_TAG_COLOURS
from interventions.dates.periods import ReportingPeriod
from interventions.kit.lists import (
    BaseTable,
    DateColumn,
    TagColumn,
    person_name,
    tag_html,
)
from interventions.models import Milestone, Programme
from interventions.work.items import (
    update_edit_url,
    updates_url,
)

if TYPE_CHECKING:
    from interventions.work.items import MyProgramme


class MyMilestoneTable(BaseTable):
    """Milestones to act on. Three columns, so that the table fits a phone."""

    milestone = tables.Column(empty_values=(), verbose_name="Milestone")
    due = DateColumn(verbose_name="Due")
    action = tables.Column(empty_values=(), verbose_name="", orderable=False)

    class Meta(BaseTable.Meta):
        model = Milestone
        fields = ["milestone", "due", "action"]
        orderable = False

    def render_milestone(self, record: Milestone) -> SafeString:
        detail = format_html(
            "Programme {} &middot; {}",
            record.programme.number,
            tag_html(record.status, WORK_STATUS_TAG_COLOURS),
        )
        return title_cell(record.get_absolute_url(), f"{record.label} {record.title}", detail)

    def render_action(self, record: Milestone) -> SafeString:
        url = reverse(
            "interventions:milestone_edit",
            kwargs={"slug": record.programme.intervention.slug, "pk": record.pk},
        )
        return action_link(url, "Update", f"milestone {record.label}")


class NeedsUpdateTable(BaseTable):
    programme = tables.Column(empty_values=(), verbose_name="Programme")
    latest = tables.Column(empty_values=(), verbose_name="Latest update")
    action = tables.Column(empty_values=(), verbose_name="", orderable=False)

    class Meta(BaseTable.Meta):
        model = Programme
        fields = ["programme", "latest", "action"]
        orderable = False

    def __init__(self, *args: Any, period: ReportingPeriod, **kwargs: Any) -> None:
        self.period = period
        super().__init__(*args, **kwargs)

    def render_programme(self, record: Programme) -> SafeString:
        sro = person_name(record.sro) or "none named"
        return title_cell(record.get_absolute_url(), str(record), f"SRO: {sro}")

    def render_latest(self, record: MyProgramme) -> str:
        return latest_update(record)

    def render_action(self, record: Programme) -> SafeString:
        return action_link(
            update_edit_url(record, self.period), "Write the update", f"for {record}"
        )


class MyProgrammeTable(BaseTable):
    programme = tables.Column(
        empty_values=(),
        verbose_name="Programme",
        linkify=lambda record: record.get_absolute_url(),
        attrs={"a": {"class": "govuk-link"}},
    )
    rag = TagColumn(colours=RAG_TAG_COLOURS, verbose_name="RAG")
    latest = tables.Column(empty_values=(), verbose_name="Latest update")
    updates = tables.Column(empty_values=(), verbose_name="", orderable=False)

    class Meta(BaseTable.Meta):
        model = Programme
        fields = ["programme", "rag", "latest", "updates"]
        orderable = False

    def render_programme(self, record: Programme) -> str:
        return str(record)

    def render_latest(self, record: MyProgramme) -> str:
        return latest_update(record)

    def render_updates(self, record: Programme) -> SafeString:
        return action_link(updates_url(record), "Updates", f"for {record}")


def action_link(url: str, text: str, described: str) -> SafeString:
    """A row's action link; its accessible name says which row ("Update milestone 7.3").

    An aria-label rather than GOV.UK's visually hidden span: inside a table that scrolls
    sideways, the absolutely positioned span widens the whole page on a phone.
    """
    return format_html(
        '<a class="govuk-link" href="{}" aria-label="{} {}">{}</a>', url, text, described, text
    )


def title_cell(url: str, title: str, detail: SafeString | str) -> SafeString:
    """A row's name as a link, with a line of detail under it."""
    return format_html(
        '<a class="govuk-link" href="{}">{}</a>'
        '<div class="govuk-hint govuk-!-font-size-16 govuk-!-margin-top-1 '
        'govuk-!-margin-bottom-0">{}</div>',
        url,
        title,
        detail,
    )


def latest_update(record: MyProgramme) -> str:
    if record.latest_period_start is None:
        return "None yet"
    return ReportingPeriod(record.latest_period_start).label
