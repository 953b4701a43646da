"""My work: the signed-in user's inbox across every intervention they take part in."""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import SafeString

from interventions.dates.periods import ReportingPeriod
from interventions.inbox.items import Inbox, inbox, who_asks
from interventions.kit.kept import Kept
from interventions.kit.pages import crumbs_for
from interventions.models.data_version import current_version
from interventions.work.items import period_slug

if TYPE_CHECKING:
    from interventions.access.permissions import User

# The lists as drawn, for each user and day, until the data changes (interventions.kit.kept):
# a user in ten interventions has a few hundred items, and drawing them is most of the page.
_DRAWN = Kept(kept=64)


def my_work_page(request: HttpRequest) -> HttpResponse:
    """What is waiting for the signed-in user, and what they may update, by intervention.
    Plain template lists: each is short (`items.SHOWN` at most), and a table library's
    per-cell rendering is what made this page slow (docs/performance.md)."""
    today = timezone.localdate()
    period = ReportingPeriod.containing(today)
    user = request.user
    assert user.is_authenticated  # the URL requires sign-in
    work, drawn = _DRAWN.get(
        (*who_asks(user), today), current_version(), lambda: _draw(user, today, period)
    )
    return render(
        request,
        "inbox/my_work.html",
        {
            "work": work,
            "groups_html": drawn,
            "period": period,
            "today": today,
            "crumbs": crumbs_for(None),
        },
    )


def _draw(user: User, today: datetime.date, period: ReportingPeriod) -> tuple[Inbox, SafeString]:
    """The user's inbox and its lists drawn: from the data alone, never the request."""
    work = inbox(user, today)
    drawn = render_to_string(
        "inbox/_groups.html",
        {
            "work": work,
            "groups": [
                {"group": group, "shelves": group.listed, "notes": work.empty_notes(group)}
                for group in work.interventions
            ],
            "period": period,
            "period_slug": period_slug(period),
            "today": today,
            "due_soon_days": settings.DUE_SOON_DAYS,
        },
    )
    return work, drawn
