"""The RAID log as it stood on a day, and a risk's history in words.

As of a day, a risk counts from the day it was raised and shows the scores of its latest
review by then; a risk closed after the day is shown open (`Risk.as_it_stood`), a mitigation
done after it not yet done. Read from the audit trail (`records_as_of`), so that the same
day always gives the same log: the dashboard and the reports read it so.
"""

from __future__ import annotations

import datetime
from typing import Any

from interventions.kit.changes import changes
from interventions.models import Intervention, Mitigation, Person, Programme, Risk
from interventions.models.valid_time import records_as_of


def risks_as_of(
    intervention: Intervention,
    day: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> list[Any]:
    """History records of the intervention's risks as they stood on `day` (one query)."""
    return [
        record
        for record in records_as_of(Risk, day, known_on=known_on, intervention_id=intervention.pk)
        if record.raised_on <= day
    ]


def mitigations_as_of(
    risks: list[Any],
    day: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> dict[int, list[Any]]:
    """The mitigations of `risks` (records) as they stood on `day`, by risk id (one query,
    none when there are no risks)."""
    by_risk: dict[int, list[Any]] = {}
    if not risks:
        return by_risk
    records = records_as_of(Mitigation, day, known_on=known_on, risk_id__in=[r.id for r in risks])
    for record in sorted(records, key=lambda m: (m.due_on or datetime.date.max, m.id)):
        by_risk.setdefault(record.risk_id, []).append(record)
    return by_risk


def risk_history(risk: Risk) -> list[dict[str, Any]]:
    """The risk's and its mitigations' recorded changes, newest first: when, who, what, and
    the day each took effect (a review, a closing, a mitigation done)."""
    entries: list[dict[str, Any]] = []
    # How the history names the rows a risk links to.
    names: dict[tuple[type, Any], str] = {
        (Person, p.pk): p.name or p.post for p in risk.intervention.people.all()
    }
    names.update({(Programme, p.pk): str(p) for p in risk.intervention.programmes.all()})
    for model, records in (
        (Risk, Risk.history.filter(id=risk.pk)),
        (Mitigation, Mitigation.history.filter(risk_id=risk.pk)),
    ):
        previous: dict[int, Any] = {}
        for record in records.select_related("history_user").order_by("history_date", "history_id"):
            before = previous.get(record.id)
            previous[record.id] = record
            subject = f"Mitigation “{record.action[:60]}”" if model is Mitigation else "Risk"
            if record.history_type == "+":
                what = [f"{subject} added"]
            elif record.history_type == "-":
                what = [f"{subject} removed"]
            else:
                what = [f"{subject}: {c.sentence()}" for c in changes(record, before, names)]
            if not what:
                continue
            user = record.history_user
            entries.append(
                {
                    "when": record.history_date,
                    "valid_from": record.valid_from,
                    "who": (user.get_full_name() or user.get_username()) if user else "",
                    "reason": record.history_change_reason or "",
                    "what": what,
                }
            )
    return sorted(entries, key=lambda e: e["when"], reverse=True)
