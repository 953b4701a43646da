"""What every API response shares: pages with links, rate limits, ETags and caching rules.

- A list comes a page at a time (`?limit=` up to `MAX_LIMIT`, `?offset=`), with the count of
  all rows and the addresses of the pages either side (`page_of`).
- Anonymous readers are allowed fewer requests than signed-in ones (`API_RATE_ANONYMOUS`,
  `API_RATE_SIGNED_IN`, as "requests/period"); past the limit the answer is 429 with
  Retry-After, in seconds.
- Every successful answer has an ETag; a request that sends it back in If-None-Match gets 304
  and no body. Anonymous answers may be kept by shared caches (Cache-Control: public), a
  signed-in user's only by their own browser (private), and each varies with the cookie.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponseBase
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.decorators import decorator_from_middleware
from ninja import Schema
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_OFFSET = 1_000_000_000
# Seconds a cache may keep an answer before asking again (with the ETag).
MAX_AGE = 60
DEFAULT_RATES = {"anonymous": "60/min", "signed_in": "600/min"}


class PageParams(Schema):
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Rows on a page.")
    # Bounded, so that no offset overflows a database's integers.
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="Rows skipped before the page.")


def page_of[Row](
    request: HttpRequest, rows: QuerySet[Any] | Sequence[Row], params: PageParams
) -> tuple[int, list[Any], str | None, str | None]:
    """One page of `rows`: the count of all of them, the page's rows, and the addresses of the
    next and previous pages (the same query with another offset)."""
    count = rows.count() if isinstance(rows, QuerySet) else len(rows)
    items = list(rows[params.offset : params.offset + params.limit])

    def address(offset: int) -> str:
        query = request.GET.copy()
        query["limit"] = str(params.limit)
        query["offset"] = str(offset)
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    following = params.offset + params.limit
    next_page = address(following) if following < count else None
    previous = address(max(params.offset - params.limit, 0)) if params.offset > 0 else None
    return count, items, next_page, previous


class _ReaderThrottle(SimpleRateThrottle):
    """A rate for one kind of reader, read from settings at each request (so that it can be
    changed without a restart of the code that built the API)."""

    scope = ""
    signed_in = False

    def __init__(self) -> None:
        super().__init__(rate=self.current_rate())

    def current_rate(self) -> str:
        rates: dict[str, str] = {**DEFAULT_RATES, **getattr(settings, "API_RATES", {})}
        return rates[self.scope]

    def get_cache_key(self, request: HttpRequest) -> str | None:
        if request.user.is_authenticated != self.signed_in:
            return None
        ident = request.user.pk if self.signed_in else self.get_ident(request)
        return self.cache_format % {"scope": f"api_{self.scope}", "ident": ident}

    def allow_request(self, request: HttpRequest) -> bool:
        self.rate = self.current_rate()
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def wait(self) -> float | None:
        # Retry-After says when a request will be allowed again: when the oldest one counted
        # leaves the window (ninja's own spreads the wait over the requests left, which can
        # be none).
        if not self.history or self.duration is None:
            return None
        oldest: float = self.history[-1]
        now: float = self.now
        return float(max(math.ceil(self.duration - (now - oldest)), 1))


class AnonymousThrottle(_ReaderThrottle):
    scope = "anonymous"
    signed_in = False


class SignedInThrottle(_ReaderThrottle):
    scope = "signed_in"
    signed_in = True


_conditional = decorator_from_middleware(ConditionalGetMiddleware)


def cached(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """The caching rules above, around one API view: Cache-Control set before the ETag is
    compared, so that a 304 carries it too."""

    def inner(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        response = view(request, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            if request.user.is_authenticated:
                patch_cache_control(response, private=True, max_age=MAX_AGE)
            else:
                patch_cache_control(response, public=True, max_age=MAX_AGE)
            patch_vary_headers(response, ["Cookie"])
        return response

    wrapped: Callable[..., HttpResponseBase] = _conditional(inner)
    return wrapped
