"""The table of the RAID log."""

from __future__ import annotations

import datetime

import django_tables2 as tables
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString

from interventions.kit.lists import (
    BaseTable,
    DateColumn,
    NumericColumn,
    PersonColumn,
    TitleColumn,
    tag_html,
)
from interventions.models import Risk
from interventions.models.risks import RISK_BAND_TAG_COLOURS, RISK_STATUS_TAG_COLOURS


class RiskTable(BaseTable):
    """Every entry of an intervention's RAID log, highest residual score first."""

    reference = tables.Column(verbose_name="Ref")
    title = TitleColumn(verbose_name="Risk, issue or dependency")
    kind = tables.Column(verbose_name="Kind")
    scope = tables.Column(
        verbose_name="Programme", empty_values=(), order_by=("programme__number",)
    )
    owner = PersonColumn(order_by="owner__name")
    inherent = NumericColumn(verbose_name="Inherent score", empty_values=(), orderable=False)
    score = NumericColumn(verbose_name="Residual score", order_by=("-score", "-residual_impact"))
    band = tables.Column(verbose_name="RAG band", order_by=("-score",))
    review_on = DateColumn(verbose_name="Next review")
    status = tables.Column()

    today: datetime.date | None = None

    class Meta(BaseTable.Meta):
        model = Risk
        fields = [
            "reference",
            "title",
            "kind",
            "scope",
            "owner",
            "inherent",
            "score",
            "band",
            "review_on",
            "status",
        ]
        empty_text = "No risks, issues or dependencies match these filters."

    def render_scope(self, record: Risk) -> str:
        return record.scope

    def value_scope(self, record: Risk) -> str:
        return record.scope

    def render_inherent(self, record: Risk) -> int:
        return record.inherent_score

    def value_inherent(self, record: Risk) -> int:
        return record.inherent_score

    def render_score(self, record: Risk) -> str:
        return f"{record.score} ({record.residual_likelihood}×{record.residual_impact})"

    def value_score(self, record: Risk) -> int:
        return record.score

    def render_band(self, record: Risk) -> SafeString:
        return tag_html(record.band, RISK_BAND_TAG_COLOURS, label=record.band_label.split(" ")[0])

    def value_band(self, record: Risk) -> str:
        return record.band_label.split(" ")[0]

    def render_review_on(self, record: Risk, value: datetime.date) -> SafeString:
        day = f"{value.day} {value:%b %Y}"
        if record.review_overdue(self.today or timezone.localdate()):
            return format_html('{} <strong class="govuk-tag govuk-tag--red">Overdue</strong>', day)
        return format_html("{}", day)

    def render_status(self, record: Risk) -> SafeString:
        label = record.get_status_display()
        if record.closed_on:
            label = f"{label} {record.closed_on.day} {record.closed_on:%b %Y}"
        return tag_html(record.status, RISK_STATUS_TAG_COLOURS, label=label)

    def value_status(self, record: Risk) -> str:
        return str(record.get_status_display())
