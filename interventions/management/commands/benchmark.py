"""manage.py benchmark SECTION — how fast Stocktake's pages are with N times Tower Hamlets' data.

Sections:
- `load`: builds synthetic data in a throwaway database, starts gunicorn on loopback with
  production settings, signs in and drives bounded concurrent load over the key pages next to
  a trivial page; prints p50/p95 response time and errors per page.
- `pages`: the server time of each key page at 1x and 10x the data, side by side (in-process
  test client, after warm-up, median of repeats), each size in its own throwaway database.
- `reports`: the time to build each kind of report at 1x and 10x the data, next to the time
  WeasyPrint alone takes on the same HTML.
- `build`, `time-pages`, `time-reports` and `reset-password` are the steps the others run
  inside the throwaway database.

Results and how to reproduce them: docs/performance.md. To add a section, write one function
`section(command, options)` and add it to SECTIONS; to time another page, add it to KEY_PAGES.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

SLUG = "synthetic-1"
USERNAME = "benchmark"
POSTGRES = "postgres://postgres@127.0.0.1:5432/"
THROWAWAY_DB = "stocktake_benchmark"


def _in(name: str, **kwargs: Any) -> Callable[[], str]:
    return lambda: reverse(name, kwargs={"slug": SLUG, **kwargs})


def _year_ago() -> str:
    import datetime

    from django.utils import timezone

    return f"?from_date={timezone.localdate() - datetime.timedelta(days=365)}"


# (label, path): the pages measured; the first is the trivial page they are compared with.
KEY_PAGES: list[tuple[str, Callable[[], str]]] = [
    ("trivial: health check", lambda: reverse("healthz")),
    ("intervention home", _in("interventions:intervention_detail")),
    ("programmes", _in("interventions:programme_list")),
    ("milestones", _in("interventions:milestone_list")),
    ("programme 1", _in("interventions:programme_detail", number=1)),
    ("What changed", _in("interventions:whats_changed")),
    ("What changed: a year", lambda: _in("interventions:whats_changed")() + _year_ago()),
    ("My work", lambda: reverse("interventions:my_work")),
    ("dashboard", _in("interventions:dashboard")),
    ("deadlines", _in("interventions:deadline_list")),
    ("deadlines: next 90 days", _in("interventions:deadline_next", days=90)),
    ("deadlines: calendar", _in("interventions:deadline_calendar")),
    ("recommendations", _in("boards:recommendation_list")),
    ("Transformation and Assurance Board", _in("boards:board_detail", key="tab")),
    ("reports", _in("reports:report_list")),
]


class Command(BaseCommand):
    help = __doc__.split("\n\n")[0]

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("section", choices=sorted(SECTIONS))
        parser.add_argument(
            "--interventions", type=int, default=10, help="N: how many times Tower Hamlets."
        )
        parser.add_argument(
            "--milestones-per-programme",
            type=int,
            default=9,
            help="9 gives about 100 milestones an intervention (Tower Hamlets has 40).",
        )
        parser.add_argument(
            "--history-rows", type=int, default=0, help="Extra milestone history rows to write."
        )
        parser.add_argument(
            "--database-url",
            default="",
            help=f"An empty database to build in. Default: a throwaway PostgreSQL "
            f"database {THROWAWAY_DB} if PostgreSQL answers, else a temporary SQLite file.",
        )
        parser.add_argument(
            "--no-build",
            action="store_true",
            help="Use the data already in --database-url (built by an earlier run).",
        )
        parser.add_argument("--concurrency", type=int, default=4, help="Clients at once.")
        parser.add_argument("--requests", type=int, default=100, help="Requests per page.")
        parser.add_argument(
            "--seconds-per-page",
            type=float,
            default=60,
            help="Stop starting requests to a page after this long (a slow page ends early).",
        )
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=2, help="Threads per worker.")
        parser.add_argument("--repeat", type=int, default=7, help="Timings per page (pages).")
        parser.add_argument(
            "--json", action="store_true", help="time-pages, time-reports: print JSON."
        )

    def handle(self, *args: Any, section: str, **options: Any) -> None:
        SECTIONS[section](self, options)


# ----------------------------------------------------------------------------- the sections


def build(command: Command, options: dict[str, Any]) -> None:
    """Build synthetic data in this process's database (run inside a throwaway one)."""
    from interventions.management.benchmarking import synthetic
    from interventions.models import Intervention

    if Intervention.objects.exists():
        raise CommandError("The benchmark builds only in an empty database; this one has data.")
    password = os.environ.get("BENCHMARK_PASSWORD") or secrets.token_urlsafe(16)
    started = time.perf_counter()
    user = synthetic.benchmark_user(USERNAME, password)
    built = synthetic.build(
        options["interventions"],
        milestones_per_programme=options["milestones_per_programme"],
        history_rows=options["history_rows"],
        user=user,
    )
    command.stdout.write(
        f"Built {len(built.interventions)} interventions, {built.milestones} milestones, "
        f"{built.history_rows} extra history rows in {time.perf_counter() - started:.0f} s."
    )


def reset_password(command: Command, options: dict[str, Any]) -> None:
    """Give the benchmark user of an earlier build this run's password."""
    from interventions.management.benchmarking import synthetic

    synthetic.benchmark_user(USERNAME, os.environ["BENCHMARK_PASSWORD"])


def load(command: Command, options: dict[str, Any]) -> None:
    """Concurrent load against gunicorn on loopback, each page next to the trivial one."""
    password = secrets.token_urlsafe(16)
    if options["no_build"] and not options["database_url"]:
        raise CommandError("--no-build needs --database-url: the database built before.")
    with throwaway_database(command, options["database_url"]) as url:
        env = production_env(url, password)
        prepare(command, env, options)
        port = free_port()
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "config.wsgi",
                f"--bind=127.0.0.1:{port}",
                f"--workers={options['workers']}",
                f"--threads={options['threads']}",
                # gunicorn's default: a request that takes longer is killed (an error here).
                "--timeout=30",
                "--log-level=warning",
            ],
            cwd=settings.BASE_DIR,
            env=env,
        )
        try:
            wait_for(port)
            cookie = sign_in(port, password)
            command.stdout.write(
                f"\nUp to {options['requests']} requests a page (at most "
                f"{options['seconds_per_page']:.0f} s), {options['concurrency']} at once; "
                f"gunicorn {options['workers']} workers x {options['threads']} threads on "
                f"127.0.0.1; each client's first request to a page is a warm-up, not timed.\n"
            )
            command.stdout.write(f"Load average before: {_load()}.\n")
            command.stdout.write(
                "| page | requests | p50 ms | p95 ms | p50 / trivial | p95 / trivial | errors |"
            )
            command.stdout.write("|---|---:|---:|---:|---:|---:|---:|")
            trivial: tuple[float, float] | None = None
            for label, path in KEY_PAGES:
                timings, errors = drive(
                    port,
                    path(),
                    cookie,
                    options["concurrency"],
                    options["requests"],
                    options["seconds_per_page"],
                )
                p50, p95 = (
                    (f"{percentile(timings, 50):.0f}", f"{percentile(timings, 95):.0f}")
                    if timings
                    else ("—", "—")
                )
                # Each page against the trivial page (the first) measured in the same run.
                ratios = ("—", "—")
                if timings and trivial is None:
                    trivial = (percentile(timings, 50), percentile(timings, 95))
                if timings and trivial is not None:
                    ratios = (
                        f"{percentile(timings, 50) / trivial[0]:.1f}",
                        f"{percentile(timings, 95) / trivial[1]:.1f}",
                    )
                command.stdout.write(
                    f"| {label} | {len(timings) + errors} | {p50} | {p95} | {ratios[0]} | "
                    f"{ratios[1]} | {errors} |"
                )
                command.stdout.flush()
            command.stdout.write(f"\nLoad average after: {_load()}.")
        finally:
            server.terminate()
            try:
                server.wait(timeout=40)
            except subprocess.TimeoutExpired:
                server.kill()


def pages(command: Command, options: dict[str, Any]) -> None:
    """Server time of each key page at 1x and Nx the data (--interventions), side by side."""
    results = {}
    sizes = (1, options["interventions"])
    for size in sizes:
        with throwaway_database(command, options["database_url"]) as url:
            env = production_env(url, secrets.token_urlsafe(16))
            prepare(command, env, {**options, "interventions": size})
            out = manage(env, "benchmark", "time-pages", "--json", f"--repeat={options['repeat']}")
            results[size] = json.loads(out.strip().splitlines()[-1])
    command.stdout.write(
        f"\nMedian of {options['repeat']} in-process requests after warm-up, "
        f"with {sizes[0]} and {sizes[1]} interventions.\n"
    )
    n = sizes[1]
    command.stdout.write(f"| page | 1x ms | {n}x ms | queries 1x | queries {n}x |")
    command.stdout.write("|---|---:|---:|---:|---:|")
    for label, _ in KEY_PAGES:
        one, ten = results[1][label], results[n][label]
        command.stdout.write(
            f"| {label} | {one['ms']:.1f} | {ten['ms']:.1f} | {one['queries']} | {ten['queries']} |"
        )


def time_pages(command: Command, options: dict[str, Any]) -> None:
    """Time each key page in this process (run inside a throwaway database)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(get_user_model().objects.get(username=USERNAME))
    results = {}
    for label, path in KEY_PAGES:
        url = path()
        for _ in range(2):  # warm-up: template loading, first queries
            _get(client, url)
        timings = []
        for _ in range(options["repeat"]):
            started = time.perf_counter()
            _get(client, url)
            timings.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            _get(client, url)
        results[label] = {"ms": statistics.median(timings), "queries": len(queries)}
    if options["json"]:
        command.stdout.write(json.dumps(results))
    else:
        for label, result in results.items():
            command.stdout.write(f"{label}: {result['ms']:.1f} ms, {result['queries']} queries")


def reports(command: Command, options: dict[str, Any]) -> None:
    """Seconds to build each kind of report at 1x and Nx the data, next to WeasyPrint alone."""
    results = {}
    sizes = (1, options["interventions"])
    for size in sizes:
        with throwaway_database(command, options["database_url"]) as url:
            env = production_env(url, secrets.token_urlsafe(16))
            prepare(command, env, {**options, "interventions": size})
            out = manage(env, "benchmark", "time-reports", "--json")
            results[size] = json.loads(out.strip().splitlines()[-1])
    n = sizes[1]
    command.stdout.write(
        f"\nOne report of each kind for one intervention, as of today, in a database of "
        f"{sizes[0]} and {n} interventions; WeasyPrint alone is the same HTML laid out again.\n"
    )
    command.stdout.write(
        f"| report | build 1x s | WeasyPrint 1x s | build {n}x s | WeasyPrint {n}x s |"
    )
    command.stdout.write("|---|---:|---:|---:|---:|")
    for kind, (total, alone) in results[1].items():
        total_n, alone_n = results[n][kind]
        command.stdout.write(
            f"| {kind} | {total:.2f} | {alone:.2f} | {total_n:.2f} | {alone_n:.2f} |"
        )


def time_reports(command: Command, options: dict[str, Any]) -> None:
    """Time each kind of report build in this process (run inside a throwaway database)."""
    from interventions.management.benchmarking.report_builds import time_builds
    from interventions.models import Intervention

    intervention = Intervention.objects.get(slug=SLUG)
    results = {kind: [total, alone] for kind, total, alone in time_builds(intervention)}
    if options["json"]:
        command.stdout.write(json.dumps(results))
    else:
        for kind, (total, alone) in results.items():
            command.stdout.write(f"{kind}: {total:.2f} s in all, {alone:.2f} s WeasyPrint")


SECTIONS: dict[str, Callable[[Command, dict[str, Any]], None]] = {
    "build": build,
    "load": load,
    "pages": pages,
    "reports": reports,
    "reset-password": reset_password,
    "time-pages": time_pages,
    "time-reports": time_reports,
}


# ------------------------------------------------------------------------------- the pieces


def _get(client: Any, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise CommandError(f"{url} answered {response.status_code}")


@contextmanager
def throwaway_database(command: Command, url: str) -> Iterator[str]:
    """The database to build in: the one named, else a new PostgreSQL or SQLite one."""
    if url:
        yield url
        return
    try:
        import psycopg

        with psycopg.connect(POSTGRES + "postgres", autocommit=True, connect_timeout=3) as pg:
            pg.execute(f"DROP DATABASE IF EXISTS {THROWAWAY_DB}")
            pg.execute(f"CREATE DATABASE {THROWAWAY_DB}")
    except Exception as exc:  # noqa: BLE001 - any failure means: no PostgreSQL here
        command.stderr.write(f"PostgreSQL not available ({exc}); using SQLite.")
        folder = Path(tempfile.mkdtemp(prefix="stocktake-benchmark-"))
        try:
            yield f"sqlite:///{folder / 'benchmark.sqlite3'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    try:
        yield POSTGRES + THROWAWAY_DB
    finally:
        with psycopg.connect(POSTGRES + "postgres", autocommit=True) as pg:
            pg.execute(f"DROP DATABASE IF EXISTS {THROWAWAY_DB} WITH (FORCE)")


def production_env(database_url: str, password: str) -> dict[str, str]:
    """Settings as in production (DEBUG off), on loopback, with a throwaway secret key."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"}
    }
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,testserver",
        DATABASE_URL=database_url,
        # Plain HTTP on loopback: no redirect to HTTPS.
        SECURE_SSL_REDIRECT="false",
        BENCHMARK_PASSWORD=password,
        LOG_LEVEL="WARNING",
    )
    return env


def prepare(command: Command, env: dict[str, str], options: dict[str, Any]) -> None:
    """Migrate, collect static files (the manifest production needs), build the data."""
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "collectstatic", "--no-input", "-v0")
    if options.get("no_build"):
        manage(env, "benchmark", "reset-password")
        return
    out = manage(
        env,
        "benchmark",
        "build",
        f"--interventions={options['interventions']}",
        f"--milestones-per-programme={options['milestones_per_programme']}",
        f"--history-rows={options['history_rows']}",
    )
    command.stdout.write(out.strip())


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        raise CommandError(f"manage.py {' '.join(args)} failed:\n{result.stderr[-3000:]}")
    return result.stdout


def _load() -> str:
    """The machine's load average (1, 5 and 15 minutes) and its cores: the pages share them."""
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(port: int, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise CommandError(f"gunicorn did not start on port {port}.")


def _cookies(response: http.client.HTTPResponse) -> dict[str, str]:
    found = {}
    for header in response.headers.get_all("Set-Cookie") or []:
        name, _, rest = header.partition("=")
        found[name.strip()] = rest.split(";", 1)[0]
    return found


def sign_in(port: int, password: str) -> str:
    """Sign in through the login page; the Cookie header that carries the session."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/login/")
    response = connection.getresponse()
    page = response.read().decode()
    cookies = _cookies(response)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    if token is None:
        raise CommandError("The login page has no CSRF token.")
    body = urllib.parse.urlencode(
        {"username": USERNAME, "password": password, "csrfmiddlewaretoken": token.group(1)}
    )
    connection.request(
        "POST",
        "/login/",
        body=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"csrftoken={cookies['csrftoken']}",
        },
    )
    response = connection.getresponse()
    response.read()
    session = _cookies(response).get(settings.SESSION_COOKIE_NAME)
    if response.status != 302 or not session:
        raise CommandError(f"Signing in failed ({response.status}).")
    return f"{settings.SESSION_COOKIE_NAME}={session}"


def drive(port: int, path: str, cookie: str, concurrency: int, requests: int, seconds: float):
    """Up to `requests` GETs of `path`, `concurrency` at a time, each thread on its own
    keep-alive connection, none started after `seconds`; the time of each that succeeded in
    milliseconds, and how many failed."""
    timings: list[float] = []
    errors = 0
    lock = threading.Lock()
    remaining = iter(range(requests))
    deadline = time.monotonic() + seconds

    def client() -> None:
        nonlocal errors
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:  # warm-up, not counted
            connection.request("GET", path, headers={"Cookie": cookie})
            connection.getresponse().read()
        except (OSError, http.client.HTTPException):
            with lock:
                errors += 1  # a page that fails even once warm is counted as failing
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                if time.monotonic() > deadline or next(remaining, None) is None:
                    return
            started = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Cookie": cookie})
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                if ok:
                    timings.append(elapsed)
                else:
                    errors += 1

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return timings, errors


def percentile(values: list[float], percent: int) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(percent / 100 * len(ordered)) - 1))
    return ordered[index]
