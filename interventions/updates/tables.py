"""The table of change requests."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from interventions.choices import CHANGE_STATUS_TAG_COLOURS, ChangeStatus
from interventions.kit.lists import (
    BaseTable,
    DateColumn,
    TagColumn,
)
from interventions.models import ChangeRequest


class ChangeRequestTable(BaseTable):
    created = DateColumn(verbose_name="Requested")
    milestone = tables.Column(linkify=lambda record: record.milestone.get_absolute_url())
    kind = tables.Column(verbose_name="Change")
    reason = tables.Column(orderable=False)
    status = TagColumn(colours=CHANGE_STATUS_TAG_COLOURS)
    decide = tables.Column(
        empty_values=(),
        orderable=False,
        exclude_from_export=True,  # a link to the page, not a value
        verbose_name="",
        linkify=lambda record: reverse(
            "interventions:change_request_detail",
            args=[record.milestone.programme.intervention.slug, record.pk],
        ),
    )

    class Meta(BaseTable.Meta):
        model = ChangeRequest
        fields = ["created", "milestone", "kind", "reason", "status", "decide"]
        empty_text = "There are no change requests."

    def render_decide(self, record: ChangeRequest) -> str:
        return "Decide" if record.status == ChangeStatus.PENDING else "View"
