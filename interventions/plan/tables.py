"""Tables of interventions, programmes and milestones."""

import datetime

import django_tables2 as tables
from django.utils.html import format_html

from interventions.choices import RAG_TAG_COLOURS, WORK_STATUS_TAG_COLOURS
from interventions.kit.lists import (
    BaseTable,
    DateColumn,
    NumericColumn,
    PersonColumn,
    TagColumn,
    TitleColumn,
    YesNoColumn,
)
from interventions.models import Intervention, Milestone, Programme, StrategicAim


class InterventionTable(BaseTable):
    authority = tables.Column(order_by="authority__name")
    title = TitleColumn()
    model = tables.Column()
    directions_date = tables.Column(
        accessor="directions_date_text", order_by="directions_date", verbose_name="Directions date"
    )
    status = tables.Column()
    # Exports only: the date above is a date cell; this is it as precisely as it is known.
    directions_date_as_written = tables.Column(
        accessor="directions_date_text", verbose_name="Directions date (as written)", visible=False
    )

    class Meta(BaseTable.Meta):
        model = Intervention
        fields = ["authority", "title", "model", "directions_date", "status"]
        empty_text = "You are not named in any intervention yet. Ask an administrator to add you."

    def value_directions_date(self, record: Intervention) -> datetime.date:
        return record.directions_date


class ProgrammeTable(BaseTable):
    # Its rows depend only on the data and the page's address: drawn once for each (the
    # `table_rows` tag).
    rows_kept = True

    number = NumericColumn(verbose_name="No.")
    title = TitleColumn()
    aim = tables.Column(order_by="aim__number")
    required_by_directions = YesNoColumn(verbose_name="Required by Directions")
    phase = tables.Column()
    status = TagColumn(WORK_STATUS_TAG_COLOURS)
    rag = TagColumn(RAG_TAG_COLOURS, verbose_name="RAG")
    sponsor = PersonColumn(verbose_name="Sponsor", order_by="sponsor__name")
    sro = PersonColumn(verbose_name="SRO", order_by="sro__name")
    lead_member = PersonColumn(verbose_name="Lead member", order_by="lead_member__name")
    milestone_count = NumericColumn(verbose_name="Milestones")
    # Shown only when the list shows closed programmes (ProgrammeListView).
    closed_on = DateColumn(verbose_name="Closed on")
    merged_into = tables.Column(verbose_name="Merged into", order_by="merged_into__number")

    class Meta(BaseTable.Meta):
        model = Programme
        fields = [
            "number",
            "title",
            "aim",
            "required_by_directions",
            "phase",
            "status",
            "rag",
            "sponsor",
            "sro",
            "lead_member",
            "milestone_count",
            "closed_on",
            "merged_into",
        ]
        empty_text = "No programmes match these filters."

    def render_aim(self, value: StrategicAim) -> str:
        return f"Aim {value.number}"

    def render_merged_into(self, value: Programme) -> str:
        return f"Programme {value.number}"

    def value_merged_into(self, value: Programme) -> int:
        return value.number


class MilestoneTable(BaseTable):
    """Every milestone of an intervention, with the dates as written and as computed."""

    # As the programmes' (above).
    rows_kept = True

    label = tables.Column(verbose_name="No.", order_by=("programme__number", "position"))
    title = TitleColumn()
    programme = tables.Column(order_by="programme__number")
    start_as_written = tables.Column(verbose_name="Start (as written)")
    end_as_written = tables.Column(verbose_name="End (as written)")
    planned_start = DateColumn(verbose_name="Planned start")
    planned_end = DateColumn(verbose_name="Planned end")
    original_baseline_end = DateColumn(verbose_name="Original baseline end")
    baseline_end = DateColumn(verbose_name="Baseline end")
    forecast_end = DateColumn(verbose_name="Forecast end")
    status = TagColumn(WORK_STATUS_TAG_COLOURS)
    rag = TagColumn(RAG_TAG_COLOURS, verbose_name="RAG")
    percent_complete = NumericColumn(verbose_name="% complete")

    class Meta(BaseTable.Meta):
        model = Milestone
        fields = [
            "label",
            "title",
            "programme",
            "start_as_written",
            "end_as_written",
            "planned_start",
            "planned_end",
            "original_baseline_end",
            "baseline_end",
            "forecast_end",
            "status",
            "rag",
            "percent_complete",
        ]
        empty_text = "No milestones match these filters."

    def render_programme(self, value: Programme) -> str:
        return format_html(
            '<a class="govuk-link" href="{}">{}</a>', value.get_absolute_url(), value.number
        )

    def value_programme(self, value: Programme) -> int:
        return value.number

    def render_percent_complete(self, value: int) -> str:
        return f"{value}%"

    def value_percent_complete(self, value: int) -> int:
        return value


class ProgrammeMilestoneTable(MilestoneTable):
    """A programme's own milestones: the programme column would repeat itself."""

    class Meta(MilestoneTable.Meta):
        exclude = ["programme", "forecast_end", "percent_complete"]
        empty_text = "This programme has no milestones yet."
        orderable = False
