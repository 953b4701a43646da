"""Changes to a success measure's agreement, each named as a user would say it."""

from __future__ import annotations

import datetime

from django.db import transaction

from interventions.models import Measure, Person
from interventions.models.base import set_change_reason


def _save(measure: Measure, reason: str) -> None:
    # Each change raises the version, so an edit opened before it is refused as stale.
    measure.version += 1
    set_change_reason(measure, reason)
    measure.save()


def agree_for_oversight(measure: Measure, person: Person, on: datetime.date) -> None:
    """The oversight (an Envoy, a Commissioner …) agrees the measure on `on`."""
    with transaction.atomic():
        measure.oversight_agreed_on = on
        measure.oversight_agreed_by = person
        _save(measure, f"Agreed by {person.name or person.post}")


def record_board_agreement(measure: Measure, on: datetime.date, at: str) -> None:
    """The Board agreed the measure on `on`, at the meeting (and item) `at`."""
    with transaction.atomic():
        measure.board_agreed_on = on
        measure.board_agreed_at = at
        _save(measure, "The Board's agreement recorded")


def reopen_agreement(measure: Measure) -> None:
    """An agreed measure whose terms change is proposed again: both agreements are cleared
    (their history keeps them). Called before the edit is saved."""
    measure.oversight_agreed_on = None
    measure.oversight_agreed_by = None
    measure.board_agreed_on = None
    measure.board_agreed_at = ""
