"""Production settings are safe: with DEBUG off, Django's deployment checks find nothing."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )


def test_deployment_checks_pass_with_debug_off():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="k3-Vq9tZ!w2rYp8#Lm5sXe7@Nd4uHb6%Gc1jFa0*Ro2iTy9^Ws5",
        ALLOWED_HOSTS="stocktake.example.gov.uk",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", DEBUG="false", ALLOWED_HOSTS="stocktake.example.gov.uk")
    assert result.returncode != 0
    assert "Set the environment variable SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage(
        "check",
        DEBUG="false",
        SECRET_KEY="k3-Vq9tZ!w2rYp8#Lm5sXe7@Nd4uHb6%Gc1jFa0*Ro2iTy9^Ws5",
        ALLOWED_HOSTS="",
    )
    assert result.returncode != 0
    assert "ALLOWED_HOSTS" in result.stderr
