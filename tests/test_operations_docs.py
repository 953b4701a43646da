"""Every setting the environment can give is in .env.example and docs/operations.md, and the
example file, filled in as shipped, passes Django's deployment checks."""

import os
import re
import shlex
import subprocess
import sys
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


def test_the_example_settings_pass_the_deployment_checks():
    environment = {k: v for k, v in os.environ.items() if k != "DEBUG"}
    environment.update(example())
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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
