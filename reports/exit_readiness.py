"""Readiness to exit intervention: for each Best Value theme, the evidence that change is
embedded and sustained, what stands in the way, and the oversight's latest judgement, as the
record stood on a day.

Everything is read from the audit trail as of the day (`records_as_of`, through
`reports.snapshot.take` for the Directions, programmes and recommendations), so that a page
and a report of the same date agree, and the same date rebuilds the same section.

What counts for a theme, and what is a blocker (each blocker links to its record):

- **Success measures**: the agreed measures of the theme (its own, or of a programme linked to
  it), each on target when it stands green on the day (`standing_on`, the rule the measure
  pages use); an agreed measure that is amber, red or has no reading is a blocker. A measure
  still only proposed is counted, not judged.
- **Directions**: the Directions in force on the day linked to the theme, complied with when
  their compliance is met or being complied with; any other compliance is a blocker.
- **Recommendations**: recommendations carry no theme of their own, so a recommendation counts
  for a theme when it is linked to one of the theme's Directions (in force on the day) or to a
  programme linked to the theme. Closed or implemented ones are closed; any other made by the
  day is a blocker. Open recommendations linked to no theme this way are counted apart.
- **Expectations**: the expectations linked to the theme, met once judged met
  (`reports.expectations.is_open`); an open one is a blocker, named by where it stands on the
  day (`reports.expectations.state_of`): partly met or not met once judged so, else answered
  and waiting for the judgement, due and not answered, or waiting for an answer.
- **Judgement**: the latest `ExitJudgement` of the theme made by the day (a later one is not
  counted).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse

from boards.models import Recommendation
from directions.choices import Compliance
from interventions.choices import MeasureStanding
from interventions.models import Intervention, Measure, MeasureReading, Person
from interventions.models.measures import agreed_on, standing_on
from interventions.models.valid_time import records_as_of
from reports import snapshot as snapshots
from reports.choices import EXIT_READINESS_TAG_COLOURS, ExitReadiness
from reports.expectations import is_open
from reports.expectations import state_of as expectation_state
from reports.models import ExitJudgement, Expectation
from reports.snapshot import CLOSED_RECOMMENDATION, m2m_as_of

# A Direction is complied with when met, or (a standing duty) being complied with.
COMPLIED = {Compliance.MET, Compliance.ONGOING}


def _url(name: str, slug: str, pk: int) -> str:
    return reverse(name, kwargs={"slug": slug, "pk": pk})


def readiness(
    intervention: Intervention,
    as_of: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> dict[str, Any]:
    """Each Best Value theme's readiness to exit on `as_of`: counts, lists, blockers and the
    latest judgement (see the module's text for the rules)."""
    slug = intervention.slug
    snap = snapshots.take(intervention, as_of, known_on=known_on)

    def rows_as_of(model: Any, **filters: Any) -> list[Any]:
        return records_as_of(model, as_of, known_on=known_on, **filters)

    programme_themes = snap.programme_themes
    direction_themes = snap.direction_themes
    programme_ids = {p.id for p in snap.programmes}

    # Measures proposed by the day, with their readings.
    measures = [
        m for m in rows_as_of(Measure, intervention_id=intervention.pk) if m.proposed_on <= as_of
    ]
    readings: dict[int, list[Any]] = {}
    if measures:
        for reading in rows_as_of(MeasureReading, measure_id__in=[m.id for m in measures]):
            readings.setdefault(reading.measure_id, []).append(reading)

    # Recommendations made by the day, and what they are linked to then.
    recommendations = snap.recommendations
    rec_directions = (
        m2m_as_of(Recommendation, "directions", recommendations) if recommendations else {}
    )
    rec_programmes = (
        m2m_as_of(Recommendation, "programmes", recommendations) if recommendations else {}
    )

    expectations = rows_as_of(Expectation, intervention_id=intervention.pk)
    expectation_themes = m2m_as_of(Expectation, "themes", expectations) if expectations else {}

    judgements = [
        j
        for j in rows_as_of(ExitJudgement, intervention_id=intervention.pk)
        if j.judged_on <= as_of
    ]
    judges = (
        {
            p.pk: p.name or p.post
            for p in Person.objects.filter(pk__in={j.judged_by_id for j in judgements})
        }
        if judgements
        else {}
    )
    # Of two judgements of a theme on one day, the one made later: the later row, which an
    # export and import keep (the moment it was recorded may not survive: a row from a file
    # is recorded again when it is imported).
    latest: dict[int, Any] = {}
    for j in sorted(judgements, key=lambda j: (j.judged_on, j.id)):
        latest[j.theme_id] = j

    linked_recommendations: set[int] = set()
    themes: list[dict[str, Any]] = []
    for theme in snap.themes:
        theme_programmes = {
            pid for pid in programme_ids if theme.pk in programme_themes.get(pid, ())
        }
        blockers: list[dict[str, Any]] = []

        # Success measures.
        on_target, off_target, proposed = [], [], []
        for m in sorted(measures, key=lambda m: (m.title, m.id)):
            if m.theme_id != theme.pk and m.programme_id not in theme_programmes:
                continue
            item = {
                "record": m,
                "label": m.title,
                "url": _url("interventions:measure_detail", slug, m.id),
            }
            if agreed_on(m) is None:
                proposed.append(item)
                continue
            standing = standing_on(m, as_of, readings.get(m.id, []))
            item["state"] = standing.label
            if standing.rag == MeasureStanding.ON_TRACK:
                on_target.append(item)
            else:
                off_target.append(item)
                blockers.append({**item, "kind": "Success measure", "why": standing.label})

        # Directions in force on the day.
        met, not_met = [], []
        theme_directions = set()
        for d in snap.directions:
            if theme.pk not in direction_themes.get(d.id, ()):
                continue
            theme_directions.add(d.id)
            reference = snap.reference(d)
            item = {
                "record": d,
                "label": f"{reference}. {d.short_title}" if d.short_title else reference,
                "url": _url("directions:direction_detail", slug, d.id),
                "state": str(Compliance(d.compliance).label),
            }
            if d.compliance in COMPLIED:
                met.append(item)
            else:
                not_met.append(item)
                blockers.append({**item, "kind": "Direction", "why": item["state"]})

        # Recommendations linked to the theme's Directions or programmes.
        closed, still_open = [], []
        for r in recommendations:
            if not (rec_directions.get(r.id, set()) & theme_directions) and not (
                rec_programmes.get(r.id, set()) & theme_programmes
            ):
                continue
            linked_recommendations.add(r.id)
            item = {
                "record": r,
                "label": f"{r.reference}: {r.title}" if r.reference else r.title,
                "url": _url("boards:recommendation_detail", slug, r.id),
                "state": r.get_status_display(),
            }
            if r.status in CLOSED_RECOMMENDATION:
                closed.append(item)
            else:
                still_open.append(item)
                blockers.append({**item, "kind": "Recommendation", "why": item["state"]})

        # Expectations linked to the theme.
        e_met, e_open = [], []
        for e in expectations:
            if theme.pk not in expectation_themes.get(e.id, ()):
                continue
            item = {
                "record": e,
                "label": f"{e.paragraph}: {e.title}",
                "url": _url("reports:expectation_detail", slug, e.id),
                "state": str(expectation_state(e, as_of).label),
            }
            if is_open(e, as_of):
                e_open.append(item)
                blockers.append({**item, "kind": "Expectation", "why": item["state"]})
            else:
                e_met.append(item)

        judgement = latest.get(theme.pk)
        themes.append(
            {
                "theme": theme,
                "measures": {
                    "on_target": on_target,
                    "off_target": off_target,
                    "proposed": proposed,
                    "agreed": len(on_target) + len(off_target),
                },
                "directions": {"met": met, "not_met": not_met, "total": len(met) + len(not_met)},
                "recommendations": {
                    "closed": closed,
                    "open": still_open,
                    "total": len(closed) + len(still_open),
                },
                "expectations": {"met": e_met, "open": e_open, "total": len(e_met) + len(e_open)},
                "blockers": blockers,
                "evidence": bool(
                    on_target
                    or off_target
                    or proposed
                    or met
                    or not_met
                    or closed
                    or still_open
                    or e_met
                    or e_open
                ),
                "judgement": (
                    {
                        "record": judgement,
                        "value": judgement.judgement,
                        "label": str(ExitReadiness(judgement.judgement).label),
                        "colour": EXIT_READINESS_TAG_COLOURS[ExitReadiness(judgement.judgement)],
                        "on": judgement.judged_on,
                        "by": judges.get(judgement.judged_by_id, ""),
                        "commentary": judgement.commentary,
                    }
                    if judgement is not None
                    else None
                ),
            }
        )
    unlinked_open = [
        r
        for r in recommendations
        if r.id not in linked_recommendations and r.status not in CLOSED_RECOMMENDATION
    ]
    return {
        "as_of": as_of,
        "themes": themes,
        "blocker_count": sum(len(t["blockers"]) for t in themes),
        "unlinked_open_recommendations": len(unlinked_open),
        "oversight": intervention.words.oversight_plural,
    }
