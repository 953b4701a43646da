"""The audit trail inside other pages: a detail page's History section, and a board's list of
what changed since its last meeting.

They are template tags so that a domain's pages show its history without the domain importing
the history package, which reads every domain (docs/architecture.md).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django import template
from django.db import models

from interventions.access.permissions import reads_only_published
from interventions.history.timeline import Entry, changes_in, recent_history
from interventions.kit.kept import Kept
from interventions.models import Intervention
from interventions.models.data_version import current_version

register = template.Library()

# How many of the latest changes a board's pages show.
SHOWN = 20

# Both sections, worded, until the next change is saved (interventions.kit.kept): history only
# grows by a new record, and every new record gives the data a new version.
_RECENT = Kept()
_SINCE = Kept(kept=64)


def _withholds(context: template.Context) -> bool:
    request = context.get("request")
    return request is not None and reads_only_published(request.user)


@register.inclusion_tag("includes/history_section.html", takes_context=True)
def history_section(
    context: template.Context, obj: models.Model, intervention: Intervention
) -> dict[str, Any]:
    """The History section of a programme, milestone, Direction or recommendation page."""
    withhold = _withholds(context)
    key = (obj._meta.label, obj.pk, intervention.slug, withhold)
    kept = _RECENT.get(
        key, current_version(), lambda: recent_history(obj, intervention.slug, withhold=withhold)
    )
    return dict(kept)  # the template's context adds to it (the CSRF token): a copy of its own


@register.inclusion_tag("boards/changes_since.html", takes_context=True)
def changes_since(
    context: template.Context,
    intervention: Intervention,
    since: datetime.date | None,
    until: datetime.date,
) -> dict[str, Any]:
    """The latest changes in the intervention from the day after `since` to `until` (the
    board's pages show these; the "What changed" page lists them all)."""
    changes: Sequence[Entry] = []
    if since and until > since:
        withhold = _withholds(context)
        changes = _SINCE.get(
            (intervention.pk, since, until, withhold),
            current_version(),
            lambda: changes_in(
                intervention,
                since + datetime.timedelta(days=1),
                until,
                newest=SHOWN,
                withhold=withhold,
            ),
        )
    return {
        "intervention": intervention,
        "changes": changes,
        "changes_from": since + datetime.timedelta(days=1) if since else None,
        "changes_to": until,
    }
