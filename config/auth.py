"""How people sign in: password (throttled by django-axes) and, when configured, an
organisation account through OpenID Connect."""

from __future__ import annotations

import logging
from typing import Any

from axes.backends import AxesStandaloneBackend
from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.http import HttpRequest
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

security_log = logging.getLogger("stocktake.security")


class ThrottledBackend(AxesStandaloneBackend):
    """Refuses sign-in for a user name and address that axes has locked out.

    Axes insists on the request to know the address; a sign-in without one (the test client's
    `login`, a management command) is not a web sign-in, so it is left to the next backend
    rather than refused with an error.
    """

    def authenticate(
        self, request: HttpRequest | None = None, username: str | None = None, **kwargs: Any
    ) -> None:
        if request is None:
            return None
        return super().authenticate(request, username=username, **kwargs)


class OrganisationAccountBackend(OIDCAuthenticationBackend):
    """Single sign-on: the organisation's identity provider vouches for an email address, and
    the person signs in as the one active Stocktake account with that address.

    Accounts are never created here: an administrator creates each account and gives it a role,
    so signing in through the organisation can never grant access on its own.
    """

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        email = (claims.get("email") or "").strip()
        users = get_user_model().objects.filter(is_active=True)
        if not email:
            return users.none()
        return users.filter(email__iexact=email)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool((claims.get("email") or "").strip()) and super().verify_claims(claims)

    def create_user(self, claims: dict[str, Any]) -> None:
        security_log.warning(
            "Organisation sign-in refused: no account for this email",
            extra={"event": "sso_no_account"},
        )
        return None

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        user = super().get_or_create_user(access_token, id_token, payload)
        if user is None:
            security_log.warning("Organisation sign-in refused", extra={"event": "sso_refused"})
        return user
