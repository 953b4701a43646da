"""The dashboard's Risks panel: the heat map of the open risks (residual) and the top risks,
as of the dashboard's day, read from the audit trail as the reports read it
(`interventions.risks.services.risks_as_of`), so an earlier day shows the log as it stood.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from interventions.models import Intervention
from interventions.risks.heatmap import caption, heat_map, top_risks
from interventions.risks.services import risks_as_of
from interventions.risks.views import list_url


def risks_panel(intervention: Intervention, on: datetime.date) -> dict[str, Any]:
    """The heat map and top risks as of `on` (one query for the risks; two more, the owners
    and the programmes, when any risk is open)."""
    risks = risks_as_of(intervention, on)
    today = timezone.localdate()
    top = top_risks(risks)
    owners = {p.pk: p for p in intervention.people.all()} if top else {}
    programmes = {p.pk: p for p in intervention.programmes.all()} if top else {}
    return {
        "map": heat_map(
            risks,
            caption(on),
            url=(
                (
                    lambda likelihood, impact: list_url(
                        intervention, status="open", likelihood=likelihood, impact=impact
                    )
                )
                if on >= today
                else None
            ),
        ),
        "top": [
            {
                "risk": r,
                "owner": owners.get(r.owner_id),
                "programme": programmes.get(r.programme_id),
                "score": r.residual_likelihood * r.residual_impact,
                "band": r.band,
                "band_label": r.get_band_display().split(" ")[0],
                "overdue": r.review_on is not None and r.review_on < on,
            }
            for r in top
        ],
        "any": bool(risks),
    }
