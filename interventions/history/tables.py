"""The table of changes on the What changed page."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.template.loader import render_to_string
from django.utils.html import format_html
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
        return render_to_string("audit/change_cell.html", {"entry": record})

    def value_title(self, record: Entry) -> str:
        return record.summary
