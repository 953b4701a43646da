"""The production run works as docs/operations.md describes it: collectstatic, then gunicorn
with DEBUG off serving the health check, pages with their security headers, and static files
through WhiteNoise. Runs a real server on a loopback port (about 15 seconds)."""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SECRET = "k3-Vq9tZ!w2rYp8#Lm5sXe7@Nd4uHb6%Gc1jFa0*Ro2iTy9^Ws5"
# Where the server's collectstatic wrote (set by the `server` fixture).
SERVER_STATIC_ROOT: list[str] = []


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str, **headers: str):
    """(status, headers, body) without following redirects."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    request = urllib.request.Request(url, headers=headers)
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("production")
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    env.update(
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp / 'db.sqlite3'}",
        STATIC_ROOT=str(tmp / "static"),
        EVIDENCE_ROOT=str(tmp / "evidence"),
        BEHIND_TLS_PROXY="true",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    # Migrated before it serves, as in production: the sign-in page lists the public pages.
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    SERVER_STATIC_ROOT[:] = [str(tmp / "static")]
    port = free_port()
    log = (tmp / "gunicorn.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                fetch(f"{base}/healthz")
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


def test_the_health_check_answers_over_plain_http(server):
    status, headers, body = fetch(f"{server}/healthz")
    assert status == 200, body
    assert headers["Content-Type"] == "application/json"
    assert body == b'{"status": "ok", "database": "ok"}'


def test_plain_http_is_sent_to_https(server):
    status, headers, _ = fetch(f"{server}/login/")
    assert status == 301
    assert headers["Location"] == server.replace("http://", "https://") + "/login/"


def test_pages_come_with_the_security_headers(server):
    status, headers, body = fetch(f"{server}/login/", **{"X-Forwarded-Proto": "https"})
    assert status == 200, body
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "unsafe-inline" not in headers["Content-Security-Policy"]
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "Secure" in headers["Set-Cookie"] and "csrftoken" in headers["Set-Cookie"]


def test_whitenoise_serves_the_hashed_stylesheet_the_page_links(server):
    _, _, body = fetch(f"{server}/login/", **{"X-Forwarded-Proto": "https"})
    href = re.search(r'href="(/static/css/stocktake\.[0-9a-f]{12}\.css)"', body.decode()).group(1)
    status, headers, css = fetch(f"{server}{href}", **{"X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert css.startswith(b"/*") or b"{" in css


def test_a_report_built_in_production_has_its_cover_and_page_numbers(server, tmp_path):
    """Built as the worker builds it in production (DEBUG off, the hashed static files that
    collectstatic wrote, no development static finder): the stylesheet is found through the
    manifest, so the PDF has its cover page, running header and "Page N of M" footer. Before,
    every such PDF was printed without its stylesheet."""
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "LOG_FORMAT"}}
    env.update(
        DEBUG="false",
        SECRET_KEY=SECRET,
        ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        STATIC_ROOT=SERVER_STATIC_ROOT[0],
        REPORTS_ROOT=str(tmp_path / "reports"),
    )
    manage = [sys.executable, "manage.py"]
    for command in (
        ["migrate", "--no-input", "-v0"],
        ["import_intervention", "tests/data/commissioners.yaml"],
    ):
        subprocess.run([*manage, *command], cwd=ROOT, env=env, check=True, capture_output=True)
    slug = (
        subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from interventions.models import Intervention as I; print(I.objects.get().slug)",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        .stdout.strip()
        .splitlines()[-1]
    )
    output = tmp_path / "report.pdf"
    built = subprocess.run(
        [
            *manage,
            "build_report",
            "board",
            slug,
            "--as-of",
            "2025-06-30",
            "--output",
            str(output),
            "--title",
            "Smoke test report",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert built.returncode == 0, built.stdout + built.stderr

    def page_text(number: int) -> str:
        return subprocess.run(
            ["pdftotext", "-layout", "-f", str(number), "-l", str(number), str(output), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    pages = int(
        re.search(
            r"Pages:\s+(\d+)",
            subprocess.run(
                ["pdfinfo", str(output)], capture_output=True, text=True, check=True
            ).stdout,
        ).group(1)
    )
    cover = page_text(1)
    assert "Smoke test report" in cover and "DRAFT: not issued" in cover
    assert f"Page 1 of {pages}" in cover
    # The cover is a page of its own; the running header starts on the next one.
    second = page_text(2)
    assert "As of 30 June 2025" in second and f"Page 2 of {pages}" in second
