"""Single sign-on against a real OpenID Connect provider: node-oidc-provider (npm
`oidc-provider`, installed by scripts/test-peers.sh under var/node-oidc) on loopback, started
here with tests/oidc/provider.mjs, and Stocktake under pytest-django's live server. Each test
drives the whole authorisation-code flow with `requests`, following every redirect between
the two, so PKCE, the ID token's signature and nonce, user-info and end-session are the
provider's own. Skipped when the provider is not installed, unless STOCKTAKE_REQUIRE_PEERS is
set (CI sets it)."""

from __future__ import annotations

import json
import logging
import os
import re
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from axes.models import AccessAttempt
from django.contrib.sessions.backends.db import SessionStore

from tests.factories import UserFactory

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "var" / "node-oidc" / "node_modules" / "oidc-provider"
CLIENT_ID = "stocktake"
CLIENT_SECRET = "a-client-secret-for-the-test-provider-only"
ACCOUNTS = {
    "alice": {"email": "Alice.Officer@council.gov.uk", "email_verified": True},
    "bob": {"email": "bob.unverified@council.gov.uk", "email_verified": False},
    "carol": {"email": "carol.no-account@council.gov.uk", "email_verified": True},
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="session")
def provider(live_server) -> Iterator[str]:
    if not (PACKAGE / "package.json").exists():
        if os.environ.get("STOCKTAKE_REQUIRE_PEERS"):
            pytest.fail("oidc-provider is not installed: run scripts/test-peers.sh")
        pytest.skip("oidc-provider is not installed (scripts/test-peers.sh)")
    issuer = f"http://127.0.0.1:{_free_port()}"
    env = {
        **os.environ,
        "OIDC_PROVIDER_PACKAGE": str(PACKAGE),
        "OIDC_ISSUER": issuer,
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{live_server.url}/oidc/callback/",
        "OIDC_POST_LOGOUT_REDIRECT_URI": f"{live_server.url}/login/",
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    process = subprocess.Popen(
        ["node", str(ROOT / "tests" / "oidc" / "provider.mjs")],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        assert line.startswith("ready"), f"the provider did not start: {line!r}"
        yield issuer
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider, transactional_db):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider}/jwks"
    settings.OIDC_OP_LOGOUT_ENDPOINT = f"{provider}/session/end"
    settings.OIDC_RP_SIGN_ALGO = "RS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "config.auth.OrganisationAccountBackend",
    ]
    return settings


@pytest.fixture
def alice(sso):
    return UserFactory(username="alice", email="alice.officer@council.gov.uk")


def sign_in(browser: requests.Session, base: str, settings, who: str | None) -> requests.Response:
    """Press "Sign in with your organisation account" and follow the redirects to the end; the
    test provider signs in `who` (its login_hint) without a form."""
    settings.OIDC_AUTH_REQUEST_EXTRA_PARAMS = {"login_hint": who} if who else {}
    return browser.get(f"{base}/oidc/authenticate/", timeout=30)


def refusals(caplog) -> list[dict]:
    return [
        {k: getattr(r, k, None) for k in ("event", "reason", "error", "error_description")}
        for r in caplog.records
        if getattr(r, "event", "").startswith("sso_")
    ]


def test_an_account_signs_in_with_pkce_at_a_real_provider(live_server, sso, alice):
    browser = requests.Session()
    page = sign_in(browser, live_server.url, sso, "alice")
    assert page.status_code == 200
    assert page.url == f"{live_server.url}/"
    assert "alice" in page.text
    # The authorisation request carried a PKCE challenge (the provider would refuse otherwise).
    assert any("code_challenge=" in r.headers.get("Location", "") for r in page.history)


def test_without_pkce_the_provider_refuses_and_the_log_says_why(live_server, sso, alice, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    sso.OIDC_USE_PKCE = False
    page = sign_in(requests.Session(), live_server.url, sso, "alice")
    assert page.url == f"{live_server.url}/login/?sso=failed"
    refusal = next(r for r in refusals(caplog) if r["event"] == "sso_refused")
    assert refusal["reason"] == "provider_error"
    assert refusal["error"] == "invalid_request"
    assert "PKCE" in refusal["error_description"]


def test_an_email_the_provider_has_not_verified_is_refused(live_server, sso, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    UserFactory(username="bob", email="bob.unverified@council.gov.uk")
    page = sign_in(requests.Session(), live_server.url, sso, "bob")
    assert page.url == f"{live_server.url}/login/?sso=failed"
    assert "You could not be signed in with your organisation account" in page.text
    assert [r["reason"] for r in refusals(caplog)] == ["email_not_verified"]


def test_failed_sign_ins_from_one_address_lock_nobody_out(live_server, sso, alice, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    for _ in range(sso.AXES_FAILURE_LIMIT + 1):
        page = sign_in(requests.Session(), live_server.url, sso, "carol")
        assert page.url == f"{live_server.url}/login/?sso=failed"
    assert [r["event"] for r in refusals(caplog)] == ["sso_no_account"] * (
        sso.AXES_FAILURE_LIMIT + 1
    )
    assert not AccessAttempt.objects.exists()
    page = sign_in(requests.Session(), live_server.url, sso, "alice")
    assert page.url == f"{live_server.url}/"


def sign_out(browser: requests.Session, base: str) -> requests.Response:
    browser.get(f"{base}/", timeout=30)  # a page with the sign-out form sets the CSRF cookie
    token = browser.cookies.get("csrftoken", domain="localhost.local") or next(
        c.value for c in browser.cookies if c.name == "csrftoken"
    )
    return browser.post(
        f"{base}/logout/", headers={"X-CSRFToken": token, "Referer": f"{base}/"}, timeout=30
    )


def test_signing_out_ends_the_session_at_the_provider(live_server, sso, alice):
    browser = requests.Session()
    assert sign_in(browser, live_server.url, sso, "alice").url == f"{live_server.url}/"
    # Without a hint the provider signs in whoever it still has a session for.
    assert sign_in(browser, live_server.url, sso, None).url == f"{live_server.url}/"

    confirm = sign_out(browser, live_server.url)
    # The provider asks to confirm; the person says yes.
    assert confirm.url.startswith(sso.OIDC_OP_LOGOUT_ENDPOINT)
    form = re.search(r'<form[^>]*action="([^"]+)"', confirm.text)
    xsrf = re.search(r'name="xsrf" value="([^"]+)"', confirm.text)
    assert form and xsrf, confirm.text
    back = browser.post(
        urljoin(confirm.url, form.group(1)),
        data={"xsrf": xsrf.group(1), "logout": "yes"},
        timeout=30,
    )
    assert back.url == f"{live_server.url}/login/"

    again = sign_in(browser, live_server.url, sso, None)
    assert "Sign in at the test provider" in again.text
    assert again.url.startswith(sso.OIDC_OP_AUTHORIZATION_ENDPOINT.removesuffix("/auth"))


def test_an_old_sign_in_is_renewed_silently_with_the_provider(live_server, sso, alice):
    browser = requests.Session()
    sign_in(browser, live_server.url, sso, "alice")
    session = SessionStore(session_key=browser.cookies["sessionid"])
    session["oidc_id_token_expiration"] = time.time() - 1
    session.save()
    page = browser.get(f"{live_server.url}/", timeout=30)
    assert page.url == f"{live_server.url}/"
    assert any("prompt=none" in r.headers.get("Location", "") for r in page.history)
    assert (
        SessionStore(session_key=browser.cookies["sessionid"])["oidc_id_token_expiration"]
        > time.time()
    )
