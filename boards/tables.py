"""Tables of boards, their members and meetings, and recommendations."""

import datetime

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from boards.choices import MEETING_STATUS_TAG_COLOURS, RECOMMENDATION_STATUS_TAG_COLOURS
from boards.models import Board, BoardMembership, Meeting, Recommendation
from interventions.kit.lists import (
    BaseTable,
    DateColumn,
    NumericColumn,
    PersonColumn,
    TagColumn,
    TitleColumn,
    YesNoColumn,
)


def cadence_text(months: int | None) -> str:
    if not months:
        return ""
    return "Every month" if months == 1 else f"Every {months} months"


def board_url(record: Board) -> str:
    return reverse(
        "boards:board_detail", kwargs={"slug": record.intervention.slug, "key": record.key}
    )


class BoardTable(BaseTable):
    name = tables.Column(linkify=board_url, attrs={"a": {"class": "govuk-link"}})
    kind = tables.Column()
    parent = tables.Column(verbose_name="Sits under", order_by=("parent__name",))
    cadence_months = tables.Column(verbose_name="Meets")
    current_members = NumericColumn(verbose_name="Current members")
    meeting_count = NumericColumn(verbose_name="Meetings")

    class Meta(BaseTable.Meta):
        model = Board
        fields = ["name", "kind", "parent", "cadence_months", "current_members", "meeting_count"]
        empty_text = "No boards have been recorded for this intervention."

    def render_cadence_months(self, value: int) -> str:
        return cadence_text(value)


class MembershipTable(BaseTable):
    person = PersonColumn(order_by="person__name")
    role = tables.Column()
    title = tables.Column(verbose_name="Role as written")
    theme = tables.Column(verbose_name="Theme")
    starts_on = DateColumn(verbose_name="From")
    ends_on = DateColumn(verbose_name="To")

    class Meta(BaseTable.Meta):
        model = BoardMembership
        fields = ["person", "role", "title", "theme", "starts_on", "ends_on"]
        orderable = False
        empty_text = "No members have been recorded for this board."


def meeting_url(record: Meeting) -> str:
    return reverse(
        "boards:meeting_detail", kwargs={"slug": record.board.intervention.slug, "pk": record.pk}
    )


class MeetingTable(BaseTable):
    date = DateColumn(linkify=meeting_url, attrs={"a": {"class": "govuk-link"}})
    title = tables.Column()
    kind = tables.Column()
    status = TagColumn(MEETING_STATUS_TAG_COLOURS)
    published = YesNoColumn(verbose_name="Papers published")

    class Meta(BaseTable.Meta):
        model = Meeting
        fields = ["date", "title", "kind", "status", "published"]
        orderable = False
        empty_text = "No meetings have been recorded for this board."


class RecommendationTable(BaseTable):
    reference = tables.Column(verbose_name="Ref.")
    title = TitleColumn()
    source = tables.Column()
    made_on = DateColumn(verbose_name="Made on")
    response_due = tables.Column(verbose_name="Response due")
    status = TagColumn(RECOMMENDATION_STATUS_TAG_COLOURS)
    owner = PersonColumn(order_by="owner__name")
    # Exports only: the page says "Response overdue" beside the date.
    response_overdue = tables.Column(
        verbose_name="Response overdue", empty_values=(), orderable=False, visible=False
    )

    def render_made_on(self, record: Recommendation) -> str:
        # "February 2025" where the source gives only the month.
        return record.made_on_text

    def value_made_on(self, record: Recommendation) -> datetime.date:
        # Exports keep the date itself, a date cell in XLSX.
        return record.made_on

    class Meta(BaseTable.Meta):
        model = Recommendation
        fields = ["reference", "title", "source", "made_on", "response_due", "status", "owner"]
        empty_text = "No recommendations match these filters."
        row_attrs = {
            "class": lambda record: (
                "app-row--overdue" if record.is_overdue(timezone.localdate()) else ""
            )
        }

    def render_response_due(self, value, record: Recommendation) -> str:  # noqa: ANN001
        """An overdue response says so in words, not only by colour."""
        due = value.strftime("%-d %b %Y")
        if record.is_overdue(timezone.localdate()):
            return format_html(
                '{} <strong class="govuk-tag govuk-tag--red">Response overdue</strong>', due
            )
        if record.responded_on:
            return format_html('{} <span class="govuk-body-s">(answered)</span>', due)
        return due

    def value_response_due(self, value: datetime.date) -> datetime.date:
        # A date cell; whether the response is overdue is the next column.
        return value

    def value_response_overdue(self, record: Recommendation) -> str:
        return "Yes" if record.is_overdue(timezone.localdate()) else "No"
