"""The day a page shows things as of: one query-string parameter, `?as_of=YYYY-MM-DD`, on every
page that can show another day (the dashboard, the deadline pages, the milestone and
recommendation lists). Empty means today.

Addresses saved with the older `?on=` keep working: they redirect to the same page with
`?as_of=`.
"""

from __future__ import annotations

import datetime

from django import forms
from django.http import HttpRequest, HttpResponsePermanentRedirect
from django.utils import timezone

AS_OF = "as_of"
# The name some pages used before there was one; kept only to redirect.
LEGACY_AS_OF = "on"


def read_as_of(request: HttpRequest) -> datetime.date:
    """The as-of day of the query string, else today. A bad date is the page's form's error to
    show; the page itself shows today."""
    try:
        day = forms.DateField(required=False).clean(request.GET.get(AS_OF, ""))
    except forms.ValidationError:
        day = None
    return day or timezone.localdate()


def legacy_as_of_redirect(request: HttpRequest) -> HttpResponsePermanentRedirect | None:
    """The same address with `?on=` renamed `?as_of=`, or None when there is nothing to rename."""
    if request.method != "GET" or LEGACY_AS_OF not in request.GET or AS_OF in request.GET:
        return None
    query = request.GET.copy()
    query.setlist(AS_OF, query.pop(LEGACY_AS_OF))
    return HttpResponsePermanentRedirect(f"{request.path}?{query.urlencode()}")
