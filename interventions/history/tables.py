"""The table of changes on the What changed page."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django_tables2.data import TableData

from interventions.history.timeline import Entry
from interventions.kit.lists import BaseTable, DateColumn


class PagedEntries(TableData):
    """Changes (`timeline.Changes`) as a table's data, read a page at a time: the paginator
    asks for the length (one count) and for one slice, and nothing else is worded.

    The count stops at `COUNTED_UP_TO`: counting every change of a long range costs time in
    proportion to the history (a year of a busy intervention holds tens of thousands), and
    nobody pages through more than this fifty at a time. Past it, the page says "more than"
    and lists the newest `COUNTED_UP_TO`; narrower dates or filters count them all.
    """

    COUNTED_UP_TO = 10_000

    def __len__(self) -> int:
        return min(self._counted(), self.COUNTED_UP_TO)

    @property
    def more_than_counted(self) -> bool:
        return self._counted() > self.COUNTED_UP_TO

    def _counted(self) -> int:
        return self.data.count_up_to(self.COUNTED_UP_TO + 1)


class ChangeTable(BaseTable):
    """One row per history record: when it was recorded, the day it took effect where that
    was earlier (an import, a change entered late), who, what, the change and the reason.

    Exported, the time is a date-and-time cell and the change is the whole entry in one line.
    """

    when = tables.Column(verbose_name="Recorded", accessor="local_when")
    took_effect = DateColumn(verbose_name="With effect from", default="")
    who = tables.Column(verbose_name="Who")
    subject = tables.Column(verbose_name="What", attrs={"td": {"class": "app-table__cell--title"}})
    title = tables.Column(verbose_name="Change")
    reason = tables.Column(verbose_name="Reason", default="")

    class Meta(BaseTable.Meta):
        orderable = False
        empty_text = "Nothing matching these filters changed in these dates."

    def render_when(self, value: datetime.datetime) -> str:
        return format_html(
            '<time datetime="{}">{} {}</time>',
            value.isoformat(),
            value.day,
            value.strftime("%b %Y %H:%M"),
        )

    def value_when(self, value: datetime.datetime) -> datetime.datetime:
        return value

    def value_subject(self, value: str) -> str:
        return value

    def render_subject(self, value: str, record: Entry) -> str:
        if not record.url:
            return value
        return format_html('<a class="govuk-link" href="{}">{}</a>', record.url, value)

    def render_title(self, record: Entry) -> str:
        """The entry's heading, its changes as a list and any quoted text (written here
        rather than by a template for each of the page's fifty rows)."""
        parts = [conditional_escape(record.title)]
        listed = record.listed_changes
        if listed:
            items = format_html_join(
                "",
                "<li>{}{}</li>",
                (
                    (
                        change.sentence,
                        format_html(": “{}”", _words(change.text)) if change.text else "",
                    )
                    for change in listed
                ),
            )
            parts.append(
                format_html(
                    '\n<ul class="govuk-list govuk-list--bullet govuk-!-font-size-16 '
                    'govuk-!-margin-top-1 govuk-!-margin-bottom-0">\n  {}\n</ul>',
                    items,
                )
            )
        if record.quoted:
            parts.append(
                format_html(
                    '\n<p class="govuk-body-s govuk-!-margin-top-1 govuk-!-margin-bottom-0">'
                    "“{}”</p>",
                    _words(record.quoted),
                )
            )
        return mark_safe("".join(parts))  # noqa: S308 - every part escaped above

    def value_title(self, record: Entry) -> str:
        return record.summary


def _words(text: str) -> str:
    """At most forty words, as the `truncatewords:40` filter would cut them."""
    return Truncator(text).words(40, truncate=" …")
