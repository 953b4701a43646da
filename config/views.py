"""Views that belong to the service rather than a domain: the health check and single sign-on."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import LoginView, LogoutView
from django.db import DatabaseError, connections
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import resolve_url
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from mozilla_django_oidc import views as oidc_views

from config.auth import log_sso_refused
from interventions.models import Intervention

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


class OrganisationCallbackView(oidc_views.OIDCAuthenticationCallbackView):
    """The provider sends people back here; a refusal the provider made, or a return that
    matches no sign-in this browser started, is logged with its reason before the person is
    sent back to the sign-in page (the backend logs the refusals that come later)."""

    def get(self, request: HttpRequest) -> HttpResponseBase:
        error = request.GET.get("error")
        state = request.GET.get("state")
        if error:
            # e.g. invalid_request "PKCE must be used", access_denied, login_required (a
            # silent session refresh the provider would not do).
            log_sso_refused(
                "provider_error",
                "the provider returned an error",
                error=error[:100],
                error_description=request.GET.get("error_description", "")[:300],
            )
        elif (
            "code" in request.GET
            and state is not None
            and state not in request.session.get("oidc_states", {})
        ):
            log_sso_refused("unknown_state", "the return matches no sign-in started here")
            return self.login_failure()
        return super().get(request)


oidc_authenticate = _only_when_sso_is_on(oidc_views.OIDCAuthenticationRequestView)
oidc_callback = _only_when_sso_is_on(OrganisationCallbackView)


class SignOutView(LogoutView):
    """Signs out of Stocktake and, after an organisation sign-in with OIDC_PROVIDER_LOGOUT on,
    out of the provider too (its end-session endpoint), which then sends the person back to
    the sign-in page; otherwise the next click on the button would sign straight back in."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        id_token = request.session.get("oidc_id_token")
        response = super().post(request, *args, **kwargs)
        if not (id_token and settings.OIDC_ENABLED and settings.OIDC_PROVIDER_LOGOUT):
            return response
        back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
        query = urlencode(
            {
                "id_token_hint": id_token,
                "client_id": settings.OIDC_RP_CLIENT_ID,
                "post_logout_redirect_uri": back,
            }
        )
        return HttpResponseRedirect(f"{settings.OIDC_OP_LOGOUT_ENDPOINT}?{query}")


class SignInView(LoginView):
    """The sign-in page: a password form, and the organisation account button when single
    sign-on is configured."""

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["sso_enabled"] = settings.OIDC_ENABLED
        context["sso_failed"] = settings.OIDC_ENABLED and self.request.GET.get("sso") == "failed"
        # What anyone may read without signing in: the public pages switched on in the admin.
        context["public_interventions"] = list(
            Intervention.objects.filter(public_pages=True).order_by("title")
        )
        return context
