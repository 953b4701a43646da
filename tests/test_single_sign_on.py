"""Single sign-on through OpenID Connect: off unless configured; when on, the provider's email
address signs in the one matching account and never creates one. No network: the provider's
token and user-info answers are replaced in each test."""

import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
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
            OrganisationAccountBackend, "get_userinfo", lambda self, *args: dict(claims)
        )

    return vouch


def come_back_from_provider(client):
    session = client.session
    session["oidc_states"] = {
        "state-1": {"nonce": "nonce-1", "code_verifier": None, "added_on": time.time()}
    }
    session.save()
    return client.get(reverse("oidc_authentication_callback"), {"code": "c", "state": "state-1"})


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
