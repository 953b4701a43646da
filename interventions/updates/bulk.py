"""Updating several milestones of a programme at once, all or nothing.

Each milestone keeps its own version check, as in the single edit: if any changed row was
saved by someone else after the page was opened, nothing is saved and each such row says what
the other person changed. Only rows that change are saved, so only they get a history record;
each record takes effect on the day the batch happened.
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from interventions.kit.changes import FieldChange
from interventions.kit.saving import changes_since
from interventions.models import Milestone
from interventions.models.base import set_change_reason, set_effective_date

if TYPE_CHECKING:
    from interventions.updates.forms import MilestoneRowForm


class StaleRows(Exception):
    """Rows saved by someone else after the page was opened: for each milestone's pk, its
    current version and what was changed meanwhile. Nothing was saved."""

    def __init__(self, rows: dict[int, tuple[int, list[FieldChange]]]) -> None:
        self.rows = rows
        super().__init__(f"{len(rows)} milestone(s) changed by someone else meanwhile.")


def update_milestones(
    forms: list[MilestoneRowForm], *, day: datetime.date, reason: str = ""
) -> list[Milestone]:
    """Save the rows of valid `forms` that change anything, each with its version check and
    `reason` (else the row's own reason, else "Milestones updated together"), as true from
    `day`. Returns the milestones saved; raises `StaleRows` and saves nothing on a stale
    row."""
    changed = [form for form in forms if form.changed]
    with transaction.atomic():
        current = {
            milestone.pk: milestone
            for milestone in Milestone.objects.select_for_update().filter(
                pk__in=[form.instance.pk for form in changed]
            )
        }
        stale = {
            form.instance.pk: (
                current[form.instance.pk].version,
                changes_since(current[form.instance.pk], form.cleaned_data["version"]),
            )
            for form in changed
            if current[form.instance.pk].version != form.cleaned_data["version"]
        }
        if stale:
            raise StaleRows(stale)
        saved = []
        for form in changed:
            form.date_completion(day)
            milestone = form.save(commit=False)
            milestone.version = form.cleaned_data["version"] + 1
            set_effective_date(milestone, day)
            set_change_reason(
                milestone,
                form.cleaned_data["reason"].strip() or reason or "Milestones updated together",
            )
            milestone.save()
            saved.append(milestone)
    return saved
