"""The reports' section on risks, issues and dependencies: the heat map of the open risks
(residual), the top risks with their mitigations, the issues and the dependencies, as of the
report's date, read from the audit trail as the rest of the report is (`records_as_of`), so
that the same date rebuilds the same section.

The section "Risks and next steps by theme" (the outlook) names, under each theme, the open
entries of the log for its programmes next to what the programmes' updates said; this section
scores them.
"""

from __future__ import annotations

import datetime
from typing import Any

from interventions.models import Intervention, Person, Programme
from interventions.models.risks import RiskKind, band_label
from interventions.risks.heatmap import caption, heat_map, top_risks
from interventions.risks.services import mitigations_as_of, risks_as_of


def _band_word(band: str) -> str:
    return band_label(band).split(" ")[0]


def risks_section(
    intervention: Intervention,
    as_of: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> dict[str, Any]:
    """The log as it stood on `as_of`: `map` (residual heat map of the open risks), `top`
    (the highest scored open entries, with their open mitigations), `issues` and
    `dependencies` (open), `by_programme` (open entries by programme id; None for plan-wide)
    and the counts."""
    risks = risks_as_of(intervention, as_of, known_on)
    open_risks = [r for r in risks if r.status == "open"]
    mitigations = mitigations_as_of(open_risks, as_of, known_on)
    people_ids = {r.owner_id for r in open_risks} | {
        m.owner_id for rows in mitigations.values() for m in rows
    }
    people = (
        {p.pk: p for p in Person.objects.filter(pk__in=people_ids - {None})} if open_risks else {}
    )
    programme_ids = {r.programme_id for r in open_risks} | {
        r.depends_on_programme_id for r in open_risks
    }
    programmes = (
        {p.pk: p for p in Programme.objects.filter(pk__in=programme_ids - {None})}
        if open_risks
        else {}
    )

    def name(pk: int | None) -> str:
        person = people.get(pk) if pk else None
        return (person.name or person.post) if person else ""

    def row(r: Any) -> dict[str, Any]:
        score = r.residual_likelihood * r.residual_impact
        programme = programmes.get(r.programme_id)
        depends = programmes.get(r.depends_on_programme_id)
        return {
            "risk": r,
            "kind": RiskKind(r.kind).label,
            "scope": f"Programme {programme.number}" if programme else "Plan-wide",
            "owner": name(r.owner_id),
            "score": score,
            "band": r.band,
            "band_label": _band_word(r.band),
            "inherent": r.inherent_likelihood * r.inherent_impact,
            "review_overdue": r.review_on is not None and r.review_on < as_of,
            "depends_on": "; ".join(
                part
                for part in (
                    f"Programme {depends.number}, {depends.title}" if depends else "",
                    r.depends_on_body,
                )
                if part
            ),
            "mitigations": [
                {
                    "action": m.action,
                    "owner": name(m.owner_id),
                    "due_on": m.due_on,
                    "overdue": m.due_on is not None and m.due_on < as_of,
                }
                for m in mitigations.get(r.id, [])
                if m.done_on is None
            ],
        }

    ordered = top_risks(open_risks, n=len(open_risks))
    by_programme: dict[int | None, list[dict[str, Any]]] = {}
    for r in ordered:
        by_programme.setdefault(r.programme_id, []).append(
            {
                "reference": r.reference,
                "title": r.title,
                "band_label": _band_word(r.band),
                "score": r.residual_likelihood * r.residual_impact,
                "kind": RiskKind(r.kind).label,
            }
        )
    return {
        "map": heat_map(
            risks,
            caption(as_of, month="%B"),
        ),
        "top": [row(r) for r in top_risks(open_risks)],
        "issues": [row(r) for r in ordered if r.kind == RiskKind.ISSUE],
        "dependencies": [row(r) for r in ordered if r.kind == RiskKind.DEPENDENCY],
        "by_programme": by_programme,
        "open": len(open_risks),
        "closed": len(risks) - len(open_risks),
        "overdue_reviews": sum(
            1 for r in open_risks if r.review_on is not None and r.review_on < as_of
        ),
    }
