"""My work: the signed-in user's inbox across every intervention they take part in."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from interventions.dates.periods import ReportingPeriod
from interventions.inbox.items import inbox
from interventions.kit.pages import crumbs_for
from interventions.work.items import period_slug


def my_work_page(request: HttpRequest) -> HttpResponse:
    """What is waiting for the signed-in user, and what they may update, by intervention.
    Plain template lists: each is short (`items.SHOWN` at most), and a table library's
    per-cell rendering is what made this page slow (docs/performance.md)."""
    today = timezone.localdate()
    work = inbox(request.user, today)
    return render(
        request,
        "inbox/my_work.html",
        {
            "work": work,
            "groups": [
                {"group": group, "shelves": group.listed, "notes": work.empty_notes(group)}
                for group in work.interventions
            ],
            "period": ReportingPeriod.containing(today),
            "period_slug": period_slug(ReportingPeriod.containing(today)),
            "today": today,
            "crumbs": crumbs_for(None),
            "due_soon_days": settings.DUE_SOON_DAYS,
        },
    )
