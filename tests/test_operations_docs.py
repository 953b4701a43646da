"""Every setting the environment can give is in .env.example and docs/operations.md, and the
example file, filled in as shipped, passes Django's deployment checks."""

import json
import logging
import os
import re
import secrets
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SETTINGS = (ROOT / "config" / "settings.py").read_text()
EXAMPLE = ROOT / ".env.example"
OPERATIONS = (ROOT / "docs" / "operations.md").read_text()


def variables_read_by_settings() -> set[str]:
    return set(re.findall(r'env_(?:str|bool|list|int)\(\s*"([A-Z0-9_]+)"', SETTINGS))


def example() -> dict[str, str]:
    values = {}
    for line in EXAMPLE.read_text().splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, _, value = line.partition("=")
            values[name.strip()] = " ".join(shlex.split(value))
    return values


def test_settings_read_the_variables_we_expect():
    assert {"SECRET_KEY", "DATABASE_URL", "LOGIN_FAILURE_LIMIT", "OIDC_RP_CLIENT_ID"} <= (
        variables_read_by_settings()
    )


def test_every_variable_is_in_the_example_file():
    missing = variables_read_by_settings() - set(example())
    assert not missing, f"add to .env.example: {sorted(missing)}"


def test_every_variable_is_in_the_operations_guide():
    documented = set(re.findall(r"^\| `([A-Z0-9_]+)` \|", OPERATIONS, flags=re.MULTILINE))
    missing = variables_read_by_settings() - documented
    assert not missing, f"add to the table in docs/operations.md: {sorted(missing)}"


def test_the_example_file_loads_in_a_shell():
    result = subprocess.run(
        ["bash", "-c", 'set -eu; set -a; . ./.env.example; echo "$OIDC_RP_SCOPES"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "openid email profile"


def deploy_check(**overrides: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    environment.update(example())
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_example_settings_filled_in_as_told_pass_the_deployment_checks():
    # The one value the example cannot hold: a secret key, made as the file's comment says.
    result = deploy_check(SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_placeholder_secret_key_is_refused_with_a_clear_message():
    result = deploy_check()
    assert result.returncode != 0
    assert "SECRET_KEY is still the placeholder from .env.example" in result.stderr
    assert "secrets.token_urlsafe(50)" in result.stderr


def shell_blocks() -> list[str]:
    return re.findall(r"```(?:sh|cron)\n(.*?)```", OPERATIONS, flags=re.DOTALL)


def test_the_verification_step_installs_the_tools_it_runs():
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text())
    dev = " ".join(pyproject["project"]["optional-dependencies"]["dev"])
    assert "pytest>=" in dev and "pytest-django" in dev
    block = next(b for b in shell_blocks() if "pytest tests/test_production_smoke.py" in b)
    lines = block.splitlines()
    install = next(i for i, line in enumerate(lines) if "pip install '.[dev]'" in line)
    run = next(i for i, line in enumerate(lines) if "pytest tests/test_production_smoke.py" in line)
    assert install < run


def test_each_long_running_service_is_started_in_a_block_of_its_own():
    for block in shell_blocks():
        services = [s for s in ("gunicorn config.wsgi", "manage.py db_worker") if s in block]
        assert len(services) <= 1, f"paste these separately:\n{block}"


def test_the_guide_says_to_link_each_account_to_its_person(admin_client, db):
    assert "Link each account to its person" in OPERATIONS
    assert "*Interventions › People*" in OPERATIONS and "*User* field" in OPERATIONS
    # ... and the admin page it names has that field.
    page = admin_client.get("/admin/interventions/person/add/").content.decode()
    assert 'name="user"' in page


def test_the_reminder_cron_line_is_in_the_guide_and_sends_its_output_to_the_log():
    cron = next(b for b in shell_blocks() if "send_reminders" in b)
    assert "CRON_TZ=Europe/London" in cron
    line = next(line for line in cron.splitlines() if "send_reminders" in line)
    assert ". ./.env" in line and "set -a" in line
    assert line.rstrip().endswith("| logger -t stocktake-reminders")


def test_a_reminder_run_that_fails_outright_is_a_json_log_event(db, monkeypatch, caplog):
    from django.core.management import CommandError, call_command

    from config.observability import JsonFormatter

    def database_gone(*args, **kwargs):
        raise ConnectionError("the database did not answer")

    monkeypatch.setattr(
        "interventions.management.commands.send_reminders.send_reminders", database_gone
    )
    caplog.set_level(logging.ERROR, logger="stocktake.reminders")
    with pytest.raises(CommandError, match="ConnectionError"):
        call_command("send_reminders", "--date", "2025-06-30")
    record = next(r for r in caplog.records if getattr(r, "event", "") == "reminders_run_failed")
    line = json.loads(JsonFormatter().format(record))
    assert line["event"] == "reminders_run_failed"
    assert line["on"] == "2025-06-30" and line["error"] == "ConnectionError"
    assert "the database did not answer" in line["exception"]


def test_a_number_setting_that_is_not_a_number_stops_the_start(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    from config.env import env_int

    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "five")
    with pytest.raises(ImproperlyConfigured, match="LOGIN_FAILURE_LIMIT must be a whole number"):
        env_int("LOGIN_FAILURE_LIMIT", 5)
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("LOGIN_FAILURE_LIMIT", 5, minimum=1)
    monkeypatch.setenv("LOGIN_FAILURE_LIMIT", " 7 ")
    assert env_int("LOGIN_FAILURE_LIMIT", 5) == 7
