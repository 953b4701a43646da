"""How people sign in: password (throttled by django-axes) and, when configured, an
organisation account through OpenID Connect."""

from __future__ import annotations

import logging
from typing import Any

import requests
from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils.functional import cached_property
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.middleware import SessionRefresh

security_log = logging.getLogger("stocktake.security")


def log_sso_refused(reason: str, message: str, **fields: Any) -> None:
    """One `sso_refused` security event with the real reason (docs/operations.md, Logs)."""
    security_log.warning(
        "Organisation sign-in refused: %s",
        message,
        extra={"event": "sso_refused", "reason": reason, **fields},
    )


def is_not_a_password_sign_in(request: HttpRequest, credentials: dict[str, Any] | None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a sign-in without a user name is not a
    password sign-in, so it neither counts towards nor is stopped by the password lockout.

    An organisation sign-in reaches Django's `authenticate` with a nonce and a PKCE verifier,
    never a user name; counted, every failure from an office's one NAT address would add to the
    empty user name's failures and lock single sign-on for the whole office.
    """
    return not (credentials or {}).get("username")


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
    so signing in through the organisation can never grant access on its own. Each refusal is
    logged with its reason (`sso_refused`, or `sso_no_account`).
    """

    def authenticate(self, request: HttpRequest | None, **kwargs: Any) -> Any:
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as exc:
            # The token (or user-info) endpoint said no: a wrong secret, a code already used,
            # a PKCE verifier missing or wrong. The provider's error code says which.
            response = exc.response
            provider_error = ""
            if response is not None:
                try:
                    provider_error = str(response.json().get("error", ""))[:100]
                except ValueError:
                    provider_error = ""
            log_sso_refused(
                "provider_refused_token",
                "the provider refused to exchange the code",
                status=getattr(response, "status_code", None),
                error=provider_error,
            )
        except requests.RequestException as exc:
            log_sso_refused(
                "provider_unreachable",
                "the provider did not answer",
                error=type(exc).__name__,
            )
        except SuspiciousOperation as exc:
            # The ID token failed its checks (signature, nonce, algorithm).
            log_sso_refused("id_token_invalid", str(exc)[:200])
        return None

    def claims_refusal(self, claims: dict[str, Any]) -> str | None:
        """Why these claims cannot sign anyone in, or None when they can."""
        if not (claims.get("email") or "").strip():
            return "email_missing"
        if settings.OIDC_REQUIRE_VERIFIED_EMAIL and claims.get("email_verified") is not True:
            return "email_not_verified"
        return None

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet:
        email = (claims.get("email") or "").strip()
        users = get_user_model().objects.filter(is_active=True)
        if not email:
            return users.none()
        return users.filter(email__iexact=email)

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return self.claims_refusal(claims) is None and super().verify_claims(claims)

    def create_user(self, claims: dict[str, Any]) -> None:
        return None

    def get_or_create_user(self, access_token: str, id_token: str, payload: dict) -> Any:
        claims = self.get_userinfo(access_token, id_token, payload)
        subject = str(claims.get("sub", ""))[:200]
        refusal = self.claims_refusal(claims)
        if refusal is not None:
            log_sso_refused(refusal, refusal.replace("_", " "), subject=subject)
            return None
        users = list(self.filter_users_by_claims(claims)[:2])
        if not users:
            security_log.warning(
                "Organisation sign-in refused: no active account has this email address",
                extra={"event": "sso_no_account", "subject": subject},
            )
            return None
        if len(users) > 1:
            log_sso_refused(
                "several_accounts", "more than one account has this email", subject=subject
            )
            return None
        return self.update_user(users[0], claims)


class OrganisationSessionRefresh(SessionRefresh):
    """Checks an organisation sign-in with the provider again (silently, `prompt=none`) once it
    is OIDC_SESSION_REFRESH_MINUTES old, so an account disabled at the provider stops working
    here too. Does nothing for password sign-ins, nor while single sign-on is off."""

    def __init__(self, get_response: Any) -> None:
        # mozilla-django-oidc reads the provider's settings here, which exist only when single
        # sign-on is on; they are read per request below instead.
        super(SessionRefresh, self).__init__(get_response)

    def process_request(self, request: HttpRequest) -> Any:
        if not settings.OIDC_ENABLED or not settings.OIDC_RENEW_ID_TOKEN_EXPIRY_SECONDS:
            return None
        return super().process_request(request)

    @property
    def OIDC_EXEMPT_URLS(self) -> list[str]:  # noqa: N802 (the parent's attribute name)
        return []

    @property
    def OIDC_OP_AUTHORIZATION_ENDPOINT(self) -> str:  # noqa: N802
        return str(settings.OIDC_OP_AUTHORIZATION_ENDPOINT)

    @property
    def OIDC_RP_CLIENT_ID(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_CLIENT_ID)

    @property
    def OIDC_RP_SCOPES(self) -> str:  # noqa: N802
        return str(settings.OIDC_RP_SCOPES)

    OIDC_STATE_SIZE = 32
    OIDC_NONCE_SIZE = 32
    OIDC_USE_NONCE = True
    OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"

    @cached_property
    def exempt_urls(self) -> set[str]:
        return {
            reverse("oidc_authentication_init"),
            reverse("oidc_authentication_callback"),
            reverse("logout"),
        }
