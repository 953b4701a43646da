"""Views that belong to the service rather than a domain: the health check and single sign-on."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView
from django.db import DatabaseError, connections
from django.http import Http404, HttpRequest, HttpResponseBase, JsonResponse
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc import views as oidc_views

log = logging.getLogger("stocktake.health")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For the load balancer and monitoring: 200 when the database answers, 503 when not.

    Says nothing about the data, so it is safe without signing in.
    """
    try:
        with connections["default"].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        log.exception("Health check: the database did not answer")
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def _only_when_sso_is_on(view_class: type[View]) -> Callable[[HttpRequest], HttpResponseBase]:
    """The OpenID Connect view, or a 404 while single sign-on is not configured."""
    view = view_class.as_view()

    @login_not_required
    def wrapped(request: HttpRequest) -> HttpResponseBase:
        if not settings.OIDC_ENABLED:
            raise Http404("Single sign-on is not configured.")
        return view(request)

    wrapped.__doc__ = view_class.__doc__
    return wrapped


oidc_authenticate = _only_when_sso_is_on(oidc_views.OIDCAuthenticationRequestView)
oidc_callback = _only_when_sso_is_on(oidc_views.OIDCAuthenticationCallbackView)


class SignInView(LoginView):
    """The sign-in page: a password form, and the organisation account button when single
    sign-on is configured."""

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = settings.OIDC_ENABLED and self.request.GET.get("sso") == "failed"
        return context
