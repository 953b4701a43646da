"""Single sign-on through OpenID Connect: off unless configured; when on, the provider's email
address signs in the one matching account and never creates one. No network: the provider's
token and user-info answers are replaced in each test."""

import logging
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.urls import reverse

from config.auth import OrganisationAccountBackend
from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
PROVIDER = "https://login.example.org/tenant/oauth2/v2.0"
BUTTON = "Sign in with your organisation account"


@pytest.fixture
def sso(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "stocktake-client"
    settings.OIDC_RP_CLIENT_SECRET = "client-secret"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{PROVIDER}/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{PROVIDER}/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://graph.example.org/oidc/userinfo"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{PROVIDER}/keys"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{PROVIDER}/logout"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "config.auth.OrganisationAccountBackend",
    ]
    return settings


@pytest.fixture
def provider_says(monkeypatch):
    """Make the identity provider vouch for `claims` (instead of calling it)."""

    def vouch(claims: dict) -> None:
        monkeypatch.setattr(
            OrganisationAccountBackend,
            "get_token",
            lambda self, payload: {"id_token": "id", "access_token": "access"},
        )
        monkeypatch.setattr(
            OrganisationAccountBackend, "verify_token", lambda self, token, **kw: {"sub": "x"}
        )
        monkeypatch.setattr(
            OrganisationAccountBackend,
            "get_userinfo",
            lambda self, *args: {"email_verified": True, **claims},
        )

    return vouch


def come_back_from_provider(client, address="192.0.2.10"):
    session = client.session
    session["oidc_states"] = {
        "state-1": {"nonce": "nonce-1", "code_verifier": None, "added_on": time.time()}
    }
    session.save()
    return client.get(
        reverse("oidc_authentication_callback"),
        {"code": "c", "state": "state-1"},
        REMOTE_ADDR=address,
    )


def security_events(caplog) -> list[dict]:
    return [
        {k: v for k, v in vars(r).items() if k in {"event", "reason", "error", "subject"}}
        for r in caplog.records
        if r.name == "stocktake.security"
    ]


# --- off (the default) ---------------------------------------------------------------------


def test_without_configuration_the_sign_in_page_offers_only_a_password(client, db):
    page = client.get(reverse("login")).content.decode()
    assert BUTTON not in page
    assert "Sign in to Stocktake" in page


def test_without_configuration_the_sign_on_addresses_are_not_found(client, db):
    assert client.get(reverse("oidc_authentication_init")).status_code == 404
    assert client.get(reverse("oidc_authentication_callback")).status_code == 404


# --- on -------------------------------------------------------------------------------------


def test_when_configured_the_sign_in_page_offers_the_organisation_account(client, db, sso):
    page = client.get(reverse("login")).content.decode()
    assert BUTTON in page
    assert f'href="{reverse("oidc_authentication_init")}"' in page


def test_the_button_sends_people_to_their_organisations_sign_in(client, db, sso):
    response = client.get(reverse("oidc_authentication_init"))
    assert response.status_code == 302
    target = urlparse(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{PROVIDER}/authorize"
    query = parse_qs(target.query)
    assert query["client_id"] == ["stocktake-client"]
    assert query["redirect_uri"] == ["http://testserver/oidc/callback/"]
    assert query["state"][0] in client.session["oidc_states"]


def test_the_provider_signs_in_the_account_with_that_email(client, db, sso, provider_says):
    user = UserFactory(email="Sam.Officer@Council.gov.uk")
    provider_says({"email": "sam.officer@council.gov.uk"})
    response = come_back_from_provider(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("interventions:intervention_list")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_nobody_is_created_for_an_unknown_email(client, db, sso, provider_says):
    UserFactory(email="someone.else@council.gov.uk")
    provider_says({"email": "new.person@council.gov.uk"})
    response = come_back_from_provider(client)
    assert response["Location"] == "/login/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert get_user_model().objects.count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "You could not be signed in with your organisation account" in page


def test_a_deactivated_account_cannot_sign_in_through_the_provider(client, db, sso, provider_says):
    UserFactory(email="gone@council.gov.uk", is_active=False)
    provider_says({"email": "gone@council.gov.uk"})
    response = come_back_from_provider(client)
    assert response["Location"] == "/login/?sso=failed"
    assert "_auth_user_id" not in client.session


def test_an_email_shared_by_two_accounts_signs_in_neither(client, db, sso, provider_says):
    UserFactory(email="shared@council.gov.uk")
    UserFactory(email="SHARED@council.gov.uk")
    provider_says({"email": "shared@council.gov.uk"})
    response = come_back_from_provider(client)
    assert response["Location"] == "/login/?sso=failed"
    assert "_auth_user_id" not in client.session


def test_claims_without_an_email_match_nobody(db, sso):
    UserFactory(email="")
    backend = OrganisationAccountBackend()
    assert not backend.filter_users_by_claims({"sub": "abc"}).exists()
    assert not backend.verify_claims({"sub": "abc"})
    assert backend.create_user({"email": "x@example.org"}) is None


def test_failed_organisation_sign_ins_never_lock_anyone_out(
    client, db, sso, provider_says, settings
):
    """Behind one office address, failed organisation sign-ins (which carry no user name) used
    to count against the empty user name, and the limit locked single sign-on for everyone."""
    user = UserFactory(email="sam.officer@council.gov.uk")
    provider_says({"email": "no.account@council.gov.uk"})
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert come_back_from_provider(client)["Location"] == "/login/?sso=failed"
    assert not AccessAttempt.objects.exists()
    provider_says({"email": "sam.officer@council.gov.uk"})
    response = come_back_from_provider(client)
    assert response["Location"] == reverse("interventions:intervention_list")
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_email_the_provider_has_not_verified_signs_nobody_in(
    client, db, sso, provider_says, caplog
):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    UserFactory(email="sam.officer@council.gov.uk")
    provider_says({"email": "sam.officer@council.gov.uk", "email_verified": False, "sub": "s1"})
    response = come_back_from_provider(client)
    assert response["Location"] == "/login/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert {"event": "sso_refused", "reason": "email_not_verified", "subject": "s1"} in (
        security_events(caplog)
    )


def test_without_the_verified_email_requirement_an_unverified_email_signs_in(
    client, db, sso, provider_says, settings
):
    settings.OIDC_REQUIRE_VERIFIED_EMAIL = False
    user = UserFactory(email="sam.officer@council.gov.uk")
    provider_says({"email": "sam.officer@council.gov.uk", "email_verified": False})
    come_back_from_provider(client)
    assert client.session["_auth_user_id"] == str(user.pk)


def test_an_email_with_no_account_is_logged_as_sso_no_account(
    client, db, sso, provider_says, caplog
):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    provider_says({"email": "new.person@council.gov.uk", "sub": "s2"})
    come_back_from_provider(client)
    assert {"event": "sso_no_account", "subject": "s2"} in security_events(caplog)
    assert "new.person@council.gov.uk" not in caplog.text


def test_an_error_from_the_provider_is_logged_with_its_reason(client, db, sso, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    response = client.get(
        reverse("oidc_authentication_callback"),
        {"error": "invalid_request", "error_description": "PKCE must be used", "state": "x"},
    )
    assert response["Location"] == "/login/?sso=failed"
    record = next(r for r in caplog.records if getattr(r, "event", "") == "sso_refused")
    assert record.reason == "provider_error"
    assert record.error == "invalid_request"
    assert record.error_description == "PKCE must be used"


def test_the_sign_in_request_uses_pkce_by_default(client, db, sso):
    response = client.get(reverse("oidc_authentication_init"))
    query = parse_qs(urlparse(response["Location"]).query)
    assert query["code_challenge_method"] == ["S256"]
    state = query["state"][0]
    assert len(client.session["oidc_states"][state]["code_verifier"]) >= 43


def test_signing_out_after_an_organisation_sign_in_ends_the_providers_session(client, db, sso):
    user = UserFactory()
    client.force_login(user, backend="config.auth.OrganisationAccountBackend")
    session = client.session
    session["oidc_id_token"] = "the-id-token"
    session.save()
    response = client.post(reverse("logout"))
    target = urlparse(response["Location"])
    assert f"{target.scheme}://{target.netloc}{target.path}" == f"{PROVIDER}/logout"
    query = parse_qs(target.query)
    assert query["id_token_hint"] == ["the-id-token"]
    assert query["post_logout_redirect_uri"] == ["http://testserver/login/"]
    assert "_auth_user_id" not in client.session


def test_signing_out_after_a_password_sign_in_stays_here(client, db, sso):
    client.force_login(UserFactory())
    assert client.post(reverse("logout"))["Location"] == reverse("login")


def test_an_old_organisation_sign_in_is_checked_again_with_the_provider(client, db, sso):
    client.force_login(UserFactory(), backend="config.auth.OrganisationAccountBackend")
    session = client.session
    session["oidc_id_token_expiration"] = time.time() - 1
    session.save()
    response = client.get(reverse("interventions:intervention_list"))
    assert response.status_code == 302
    assert parse_qs(urlparse(response["Location"]).query)["prompt"] == ["none"]


def test_a_password_sign_in_is_never_sent_to_the_provider(client, db, sso):
    client.force_login(UserFactory())
    assert client.get(reverse("interventions:intervention_list")).status_code == 200


# --- settings --------------------------------------------------------------------------------


def run_check(**env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("OIDC_")}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_a_half_configured_single_sign_on_refuses_to_start():
    result = run_check(DEBUG="true", OIDC_RP_CLIENT_ID="stocktake-client")
    assert result.returncode != 0
    assert "Set the environment variable OIDC_RP_CLIENT_SECRET" in result.stderr


def test_single_sign_on_without_an_end_session_endpoint_refuses_to_start():
    result = run_check(
        DEBUG="true",
        OIDC_RP_CLIENT_ID="c",
        OIDC_RP_CLIENT_SECRET="s",
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{PROVIDER}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{PROVIDER}/token",
        OIDC_OP_USER_ENDPOINT=f"{PROVIDER}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{PROVIDER}/keys",
    )
    assert result.returncode != 0
    assert "Set OIDC_OP_LOGOUT_ENDPOINT" in result.stderr
    assert (
        run_check(
            DEBUG="true",
            OIDC_RP_CLIENT_ID="c",
            OIDC_RP_CLIENT_SECRET="s",
            OIDC_OP_AUTHORIZATION_ENDPOINT=f"{PROVIDER}/authorize",
            OIDC_OP_TOKEN_ENDPOINT=f"{PROVIDER}/token",
            OIDC_OP_USER_ENDPOINT=f"{PROVIDER}/userinfo",
            OIDC_OP_JWKS_ENDPOINT=f"{PROVIDER}/keys",
            OIDC_PROVIDER_LOGOUT="false",
        ).returncode
        == 0
    )
