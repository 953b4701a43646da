"""The header's count of what is waiting in the signed-in user's inbox (My work)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from interventions.inbox.items import waiting_count

register = template.Library()


@register.simple_tag(takes_context=True)
def inbox_waiting(context: template.Context) -> int:
    """How many items wait for the user: one query, once per request (kept on the request)."""
    request: Any = context.get("request")
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    cached: int | None = getattr(request, "_stocktake_inbox_waiting", None)
    if cached is None:
        cached = waiting_count(user, timezone.localdate())
        if request is not None:
            request._stocktake_inbox_waiting = cached
    return cached
