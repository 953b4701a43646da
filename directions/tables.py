"""The table of an intervention's Directions."""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from directions.choices import COMPLIANCE_TAG_COLOURS, DeadlineKind
from directions.models import Direction
from interventions.kit.lists import DATE_FORMAT, BaseTable, DateColumn, TagColumn, TitleColumn


class DirectionTable(BaseTable):
    """Directions in the order they were made, each followed by its sub-items (indented).

    `as_of` is the day the list is shown for: each row's status is where it stood that day.
    A list of one set leaves out the set column (`exclude=["direction_set"]`).
    """

    direction_set = tables.Column(verbose_name="Set", empty_values=())
    reference = tables.Column(verbose_name="Ref.")
    short_title = TitleColumn(verbose_name="Direction", empty_values=())
    themes = tables.Column(verbose_name="Themes", empty_values=())
    deadline = tables.Column(verbose_name="Deadline", empty_values=())
    compliance = TagColumn(COMPLIANCE_TAG_COLOURS)
    status = tables.Column(verbose_name="Status", empty_values=())
    # Exports only: the first due date of the deadline above, as a date cell; when it was met.
    first_deadline = DateColumn(verbose_name="First due", orderable=False, visible=False)
    met_on = DateColumn(verbose_name="Met on", orderable=False, visible=False)
    compliance_source = tables.Column(verbose_name="Compliance recorded in", visible=False)

    class Meta(BaseTable.Meta):
        model = Direction
        fields = [
            "direction_set",
            "reference",
            "short_title",
            "themes",
            "deadline",
            "compliance",
            "status",
        ]
        orderable = False  # the order of the Directions themselves is the only sensible one
        empty_text = "No Directions match these filters."
        per_page = 100
        row_attrs = {"class": lambda record: "app-table__row--item" if record.parent_id else ""}

    def __init__(self, *args: Any, as_of: datetime.date | None = None, **kwargs: Any) -> None:
        self.as_of = as_of or timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_direction_set(self, record: Direction) -> str:
        return record.direction_set.label

    def value_direction_set(self, record: Direction) -> str:
        return f"{record.direction_set.title} ({record.direction_set.label})"

    def render_status(self, record: Direction) -> SafeString:
        colour = record.state_colour(self.as_of)
        return format_html(
            '<strong class="govuk-tag govuk-tag--{}">{}</strong>',
            colour,
            record.state_on(self.as_of),
        )

    def value_status(self, record: Direction) -> str:
        return record.state_on(self.as_of)

    def render_short_title(self, value: str, record: Direction) -> str:
        return value or record.text[:80]

    def render_themes(self, record: Direction) -> str:
        return ", ".join(theme.name for theme in record.themes.all()) or "—"

    def deadline_lines(self, record: Direction) -> list[str]:
        if record.parent_id and not record.deadline_as_written:
            return [f"As Direction {record.parent.ref}"]
        lines = [DeadlineKind(record.deadline_kind).label]
        if record.deadline_as_written:
            lines.append(f"“{record.deadline_as_written}”")
        due = record.first_deadline()
        if due:
            lines.append(f"First due {format_date(due, DATE_FORMAT)}")
        return lines

    def render_deadline(self, record: Direction) -> str:
        lines = self.deadline_lines(record)
        if len(lines) == 1:
            return lines[0]
        return format_html(
            '<span class="app-lines">{}</span>',
            format_html_join(
                "", '<span class="app-lines__line">{}</span>', ((line,) for line in lines)
            ),
        )

    def value_deadline(self, record: Direction) -> str:
        # In a spreadsheet the lines become one cell, read as a sentence.
        return "; ".join(self.deadline_lines(record))
