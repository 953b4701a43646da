"""/api/v1/: the operations (`views`), the OpenAPI description at openapi.json, and the
human documentation at docs/. Every address here is open without sign-in (what it gives is
decided per reader by `access`), and every answer follows the caching rules of `http`."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.http import require_safe
from django.views.generic import RedirectView
from ninja import NinjaAPI
from ninja.errors import ValidationError

from interventions.api import docs
from interventions.api.http import AnonymousThrottle, SignedInThrottle, cached
from interventions.api.views import router

VERSION = "1"

api = NinjaAPI(
    title="Stocktake",
    version=VERSION,
    description=(
        "Read-only data of Best Value statutory interventions. Without sign-in: what the "
        "public pages publish (Directions and their compliance, published responses to "
        "recommendations, meetings with their approved minutes, public papers). Signed in "
        "(the session cookie of the web pages): what your pages show you. Lists come a page "
        "at a time (limit and offset, with count, next and previous); each has a CSV "
        "download of every row. Answers carry an ETag (send it in If-None-Match for 304); "
        "too many requests in a minute are refused with 429 and Retry-After."
    ),
    urls_namespace="api",
    docs_url=None,
    throttle=[AnonymousThrottle(), SignedInThrottle()],
)
api.add_router("/", router)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    # The messages of `access` name nothing a reader may not know.
    return api.create_response(request, {"detail": str(exc) or "Not found."}, status=404)


@api.exception_handler(ValidationError)
def invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """422 in words: each bad parameter and what is wrong with it."""
    problems = [
        f"{error['loc'][-1]}: {error['msg']}" if error.get("loc") else str(error["msg"])
        for error in exc.errors
    ]
    return api.create_response(request, {"detail": "; ".join(problems)}, status=422)


def _open(pattern: URLPattern | URLResolver) -> URLPattern | URLResolver:
    """The pattern's view open without sign-in, for GET and HEAD only, with the caching rules."""
    if isinstance(pattern, URLPattern):
        pattern.callback = login_not_required(require_safe(cached(pattern.callback)))
    return pattern


ninja_patterns: list[Any] = api.urls[0]

app_name = "api"
urlpatterns = [
    # The root (whose address ninja reads the operations' paths from) leads people to the docs.
    path("", login_not_required(RedirectView.as_view(pattern_name="api:docs")), name="api-root"),
    *(_open(pattern) for pattern in ninja_patterns if pattern.name != "api-root"),
    path("docs/", login_not_required(require_safe(cached(docs.docs_page(api)))), name="docs"),
]
