"""The table of success measures."""

from __future__ import annotations

import datetime
from typing import Any

import django_tables2 as tables
from django.utils import timezone
from django.utils.safestring import SafeString

from interventions.choices import MEASURE_AGREEMENT_TAG_COLOURS, MEASURE_STANDING_TAG_COLOURS
from interventions.kit.lists import BaseTable, PersonColumn, TagColumn, TitleColumn, tag_html
from interventions.models import Measure
from interventions.models.measures import Standing


def linked_to(measure: Measure) -> str:
    """What a measure is of: its programme, aim or theme, in words."""
    if measure.programme is not None:
        return f"Programme {measure.programme.number}"
    if measure.aim is not None:
        return f"Aim {measure.aim.number}"
    return "Theme only"


class MeasureTable(BaseTable):
    """Every success measure of an intervention, with where it stands on the list's day
    (`on`, set by the list view)."""

    title = TitleColumn(verbose_name="What is measured")
    of = tables.Column(verbose_name="Of", empty_values=(), orderable=False)
    theme = tables.Column(verbose_name="Best Value theme", order_by="theme__position")
    owner = PersonColumn(order_by="owner__name")
    frequency = tables.Column(verbose_name="Reported")
    baseline = tables.Column(empty_values=(), orderable=False)
    target = tables.Column(empty_values=(), orderable=False)
    latest = tables.Column(verbose_name="Latest reading", empty_values=(), orderable=False)
    standing = tables.Column(verbose_name="RAG against target", empty_values=(), orderable=False)
    agreement = TagColumn(MEASURE_AGREEMENT_TAG_COLOURS, verbose_name="Agreement")

    on: datetime.date | None = None

    class Meta(BaseTable.Meta):
        model = Measure
        fields = [
            "title",
            "of",
            "theme",
            "owner",
            "frequency",
            "baseline",
            "target",
            "latest",
            "standing",
            "agreement",
        ]
        empty_text = "No success measures match these filters."

    def _standing(self, record: Measure) -> Standing:
        cache: dict[int, Standing] = self.__dict__.setdefault("_standings", {})
        if record.pk not in cache:
            cache[record.pk] = record.standing_on(
                self.on or timezone.localdate(), list(record.readings.all())
            )
        return cache[record.pk]

    def render_of(self, record: Measure) -> str:
        return linked_to(record)

    def value_of(self, record: Measure) -> str:
        return linked_to(record)

    def render_baseline(self, record: Measure) -> str:
        return f"{record.figure(record.baseline_value)} ({record.baseline_on:%-d %b %Y})"

    def render_target(self, record: Measure) -> str:
        return f"{record.figure(record.target_value)} by {record.target_on:%-d %b %Y}"

    def render_latest(self, record: Measure) -> str:
        reading = self._standing(record).reading
        if reading is None:
            return "None yet"
        return f"{record.figure(reading.value)} ({reading.taken_on:%-d %b %Y})"

    def render_standing(self, record: Measure) -> SafeString:
        standing = self._standing(record)
        return tag_html(standing.rag, MEASURE_STANDING_TAG_COLOURS, label=_short(standing))

    def value_standing(self, record: Measure) -> str:
        return _short(self._standing(record))

    def value_theme(self, value: Any) -> str:
        return str(value) if value else ""


def _short(standing: Standing) -> str:
    """The RAG's first word: "Green", "No reading yet"."""
    return standing.label.split(":")[0]
