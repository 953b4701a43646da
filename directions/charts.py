"""Charts of the Directions, drawn from plain counts for the dashboard and the PDF reports."""

from __future__ import annotations

from collections.abc import Mapping

from directions.choices import Compliance
from interventions.kit.charts import BLUE, Bar, BarChart, UrlFor, no_url


def directions_by_compliance_chart(counts: Mapping[str, int], url_for: UrlFor = no_url) -> BarChart:
    """Directions and their sub-items by compliance; `counts` by `Compliance` value."""
    return BarChart(
        "Directions and sub-items by compliance",
        unit="Directions and sub-items",
        category_heading="Compliance",
        bars=[
            Bar(choice.label, counts.get(choice.value, 0), BLUE, url_for(choice.value))
            for choice in Compliance
        ],
    )
