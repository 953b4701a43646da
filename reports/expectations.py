"""Expectations the oversight sets in its reports: where each stands on a day, the council's
answer and the oversight's judgement (each a named change, audited), and the reports' section
that lists them as of the report's date.

Where an expectation stands on a day (`state_of`) is one rule, for rows and history records
alike:

- judged (met, partly met or not met) from the day of its judgement;
- else answered, waiting for the judgement, from the day of its answer;
- else due and not answered, once its due date has passed;
- else waiting for an answer.

It is open until it is judged met: partly met and not met carry forward to the next report.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction

from interventions.kit.saving import save_versioned
from interventions.models import Evidence, Intervention, Person, Programme, Theme
from interventions.models.valid_time import records_as_of
from reports.choices import OPEN_STATES, ExpectationState
from reports.models import Expectation, Report, paragraph_order
from reports.snapshot import m2m_as_of

# The PDF's tag classes (static/css/report-pdf.css) for each state.
TAG_VALUES = {
    ExpectationState.AWAITING_ANSWER: "not_started",
    ExpectationState.OVERDUE: "red",
    ExpectationState.ANSWERED: "amber",
    ExpectationState.MET: "green",
    ExpectationState.PARTLY_MET: "amber",
    ExpectationState.NOT_MET: "red",
}


def state_of(expectation: Any, day: datetime.date) -> ExpectationState:
    """Where `expectation` (a row or a history record as it stood on `day`) stands on `day`."""
    if expectation.judgement and expectation.judged_on and expectation.judged_on <= day:
        return ExpectationState(expectation.judgement)
    if expectation.answered_on and expectation.answered_on <= day:
        return ExpectationState.ANSWERED
    if expectation.due_on and expectation.due_on < day:
        return ExpectationState.OVERDUE
    return ExpectationState.AWAITING_ANSWER


def is_open(expectation: Any, day: datetime.date) -> bool:
    """Not yet judged met on `day`."""
    return state_of(expectation, day) in OPEN_STATES


def answer(
    expectation: Expectation,
    *,
    text: str,
    answered_on: datetime.date,
    evidence: list[Evidence],
    evidence_url: str,
    version: int,
) -> None:
    """Record (or correct) the council's answer, with its evidence; refused as stale when the
    expectation changed after the form was opened (`StaleEdit`)."""
    with transaction.atomic():
        # The links first, unrecorded, so that the one record the save writes holds them:
        # a stale edit raises, and undoes them with the rest.
        expectation.skip_history_when_saving = True  # type: ignore[attr-defined]  # simple-history's flag
        try:
            expectation.evidence.set(evidence)
        finally:
            del expectation.skip_history_when_saving  # type: ignore[attr-defined]  # simple-history's flag
        expectation.answer = text
        expectation.answered_on = answered_on
        expectation.evidence_url = evidence_url
        save_versioned(expectation, version, reason="Answered")


def judge(
    expectation: Expectation,
    *,
    judgement: str,
    judged_on: datetime.date,
    by: Person,
    judged_in: Report | None,
    commentary: str,
    version: int,
) -> None:
    """The oversight's judgement of the expectation, made by `by` on `judged_on`."""
    expectation.judgement = judgement
    expectation.judged_on = judged_on
    expectation.judged_by = by
    expectation.judged_in = judged_in
    expectation.judgement_commentary = commentary
    save_versioned(expectation, version, reason=f"Judged by {by.name or by.post}")


def expectations_section(
    intervention: Intervention,
    as_of: datetime.date,
    known_on: datetime.date | datetime.datetime | None = None,
) -> dict[str, Any]:
    """The expectations set by `as_of`, as they stood then (`records_as_of`): every one still
    open, oldest report first, and those judged met. Read from the audit trail, so that the
    same date rebuilds the same section."""
    records = sorted(
        records_as_of(Expectation, as_of, known_on=known_on, intervention_id=intervention.pk),
        key=lambda e: (e.report_id, paragraph_order(e.paragraph), e.id),
    )
    reports = (
        {
            r.pk: r
            for r in Report.objects.filter(pk__in={e.report_id for e in records}).select_related(
                "intervention"
            )
        }
        if records
        else {}
    )
    people = (
        {
            p.pk: p.name or p.post
            for p in Person.objects.filter(
                pk__in={e.owner_id for e in records} | {e.judged_by_id for e in records}
            )
        }
        if records
        else {}
    )
    themes = m2m_as_of(Expectation, "themes", records) if records else {}
    programmes = m2m_as_of(Expectation, "programmes", records) if records else {}
    theme_names = {t.pk: t.name for t in Theme.objects.all()} if records else {}
    programme_names = (
        {
            p.pk: f"{p.number}. {p.title}"
            for p in Programme.objects.filter(intervention=intervention)
        }
        if records
        else {}
    )
    rows = []
    for e in records:
        state = state_of(e, as_of)
        report = reports.get(e.report_id)
        rows.append(
            {
                "expectation": e,
                "report": report,
                "report_date": (report.issued_on or report.as_of) if report else None,
                # Which report, briefly: "Envoys' stocktake" (its date follows it).
                "report_label": report.get_kind_display() if report else "",
                "state": state.value,
                "state_label": str(state.label),
                "tag": TAG_VALUES[state],
                "open": state in OPEN_STATES,
                "owner": people.get(e.owner_id, ""),
                "judged_by": people.get(e.judged_by_id, ""),
                "themes": [
                    theme_names[t] for t in sorted(themes.get(e.id, ())) if t in theme_names
                ],
                "programmes": [
                    programme_names[p]
                    for p in sorted(programmes.get(e.id, ()))
                    if p in programme_names
                ],
            }
        )
    return {
        "open": [row for row in rows if row["open"]],
        "met": [row for row in rows if not row["open"]],
        "total": len(rows),
        "oversight": intervention.words.oversight_plural,
    }
