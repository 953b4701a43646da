"""The health check answers without signing in and tells when the database is down; logs carry a
request id and come out as JSON lines in production."""

import json
import logging
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.db import OperationalError
from django.urls import reverse

from config.observability import JsonFormatter, RequestIdFilter

ROOT = Path(__file__).resolve().parents[1]
PRODUCTION_KEY = "k3-Vq9tZ!w2rYp8#Lm5sXe7@Nd4uHb6%Gc1jFa0*Ro2iTy9^Ws5"


def test_the_health_check_needs_no_sign_in_and_says_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_the_health_check_answers_503_when_the_database_does_not(client, db, caplog):
    with mock.patch("config.views.connections") as connections:
        connections.__getitem__.return_value.cursor.side_effect = OperationalError("gone")
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "unavailable"}
    assert "the database did not answer" in caplog.text


def test_the_health_check_only_reads(client, db):
    assert client.post("/healthz").status_code == 405


def test_the_health_check_is_not_redirected_to_https(settings, client, db):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get(reverse("login")).status_code == 301


def test_every_response_carries_a_request_id(client, db):
    first = client.get(reverse("login"))["X-Request-ID"]
    second = client.get(reverse("login"))["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_proxys_request_id_is_kept_and_a_bad_one_replaced(client, db):
    kept = client.get(reverse("login"), HTTP_X_REQUEST_ID="lb-1234.abc")
    assert kept["X-Request-ID"] == "lb-1234.abc"
    replaced = client.get(reverse("login"), HTTP_X_REQUEST_ID="<script>\nx")
    assert replaced["X-Request-ID"] != "<script>\nx"
    assert len(replaced["X-Request-ID"]) == 32


def test_log_lines_in_a_request_carry_its_id(client, db, caplog):
    caplog.set_level(logging.INFO, logger="stocktake.security")
    handler_filter = RequestIdFilter()
    caplog.handler.addFilter(handler_filter)
    response = client.post(reverse("login"), {"username": "nobody", "password": "wrong"})
    record = next(r for r in caplog.records if getattr(r, "event", "") == "login_failed")
    assert record.request_id == response["X-Request-ID"]


def test_json_lines_hold_the_message_the_request_id_and_the_event_fields():
    record = logging.LogRecord(
        "stocktake.security", logging.WARNING, __file__, 1, "Sign-in %s", ("failed",), None
    )
    record.event = "login_failed"
    record.username = 'sam"\n'
    RequestIdFilter().filter(record)
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "Sign-in failed"
    assert entry["level"] == "WARNING"
    assert entry["logger"] == "stocktake.security"
    assert entry["event"] == "login_failed"
    assert entry["username"] == 'sam"\n'
    assert entry["request_id"] == "-"
    assert entry["time"].endswith("+00:00")


def test_json_lines_carry_the_exception():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info())
    entry = json.loads(JsonFormatter().format(record))
    assert "ValueError: boom" in entry["exception"]


def log_one_line(**env: str) -> str:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    environment.update(env)
    code = "import logging; logging.getLogger('stocktake.security').warning('hello')"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_production_logs_json_lines_on_standard_output():
    line = log_one_line(DEBUG="false", SECRET_KEY=PRODUCTION_KEY, ALLOWED_HOSTS="example.org")
    entry = json.loads(line)
    assert entry["message"] == "hello"
    assert entry["logger"] == "stocktake.security"


def test_development_logs_plain_lines():
    line = log_one_line(DEBUG="true")
    assert line.endswith("WARNING stocktake.security [-] hello")


@pytest.fixture
def refused_setup(officer, other_intervention):
    return other_intervention


def test_a_refused_page_is_logged_as_a_security_event(client, officer, refused_setup, caplog):
    caplog.set_level(logging.WARNING, logger="stocktake.security")
    client.force_login(officer)
    url = reverse("interventions:intervention_detail", kwargs={"slug": refused_setup.slug})
    assert client.get(url).status_code == 404
    record = next(r for r in caplog.records if getattr(r, "event", "") == "access_refused")
    assert record.status == 404
    assert record.path == url
    assert record.user_id == officer.pk
