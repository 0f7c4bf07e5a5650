#!/usr/bin/env python3
"""Benchmark: how fast the person list and a person's page answer, as a share of a
baseline page measured in the same run. A script, not a test: it prints figures and
asserts no timing (tests/test_bench_pages.py runs it with tiny numbers).

    .venv/bin/python scripts/bench_pages.py                 # SQLite in a temp dir
    .venv/bin/python scripts/bench_pages.py --profile       # and where one request's time goes
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/test_bench \
        .venv/bin/python scripts/bench_pages.py --persons 500 --requests 200

What it does: a throw-away database (a SQLite file in a temporary directory, or the
PostgreSQL database named in DATABASE_URL, dropped and created again, so its name must
start with test_ or bench), `lens migrate`, `lens demo --persons N`, then gunicorn as
`lens serve` runs it (its command and lens.ops.gunicorn_conf: sync workers, the JSON
access log) with 2 workers on a free port, with production settings (DEBUG off;
throw-away secrets; plain HTTP). It logs in over HTTP as a professional (password, then
the demo's TOTP code from `lens demo-code`), warms up, and requests three pages one after
another, each the same number of times, in rounds whose order rotates (so that a growing
access log or a warming cache favours none):

- baseline: /readyz, the readiness probe: the whole middleware stack with the logged-in
  session, one query of its own, a template. The least any page here costs.
- the person list: /registratie/ (the first page, 25 persons of the organisation).
- a person's page: /registratie/<pseudonym>/, the largest of those on the list's first
  page (the same person in every run with the same seed).

It prints p50 and p95 latency and requests per second for each, and each page's
requests per second as a share of the baseline's, beside the goal (the list and the
person page at 50% or more of the baseline). The queries per request are counted
afterwards in this process with Django's test client on the same session and database;
--profile adds the functions that take the most time in one request of each page
(cProfile, in this process); --cpu N the CPU time (`time.process_time`) of N requests
per page in this process, the pages in turn in rotating rounds, each page's median
beside the baseline's: less moved by other processes on the machine than the wall
time. Gunicorn is stopped at the end, also on an error or ^C.
Exit 1 when a request fails (a status other than 200); never because of the figures.

One client, sequential requests: requests per second is 1 / mean latency, the server's
speed for one user, not its capacity. Run it on a quiet machine: other processes on the
same cores move the figures. The baseline is measured in the same run for that reason.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import ctypes
import http.client
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
LENS = str(BIN / "lens")
GUNICORN = str(BIN / "gunicorn")
HOST = "127.0.0.1"
DEMO_PASSWORD = "demo-uitbuitingslens"  # lens.demo.world: synthetic demo accounts only
GOAL_PERCENT = 50
PSEUDONYM_LINK = re.compile(r'href="/registratie/(P-[23456789A-HJ-NP-Z]+)/"')


@dataclass
class Page:
    label: str
    path: str
    expect: bytes  # a part of the body that shows the page is the right one
    latencies: list[float] = field(default_factory=list)  # seconds
    queries: int | None = None
    form: dict[str, str] | None = None  # posted (application/x-www-form-urlencoded) if set
    cpu: list[float] = field(default_factory=list)  # seconds of CPU per request, in-process


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=500, help="demo persons (default 500)")
    parser.add_argument(
        "--requests", type=int, default=200, help="measured requests per page (default 200)"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds, order rotating (4)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument(
        "--user", default="demo-prof-school-tilburg", help="a demo professional to log in as"
    )
    parser.add_argument("--seed", type=int, default=2026, help="seed of `lens demo`")
    parser.add_argument("--profile", action="store_true", help="profile one request per page")
    parser.add_argument(
        "--cpu",
        type=int,
        default=0,
        metavar="N",
        help="also CPU time per request in this process: N requests per page (default 0: not)",
    )
    args = parser.parse_args()
    if args.persons < 1 or args.requests < 1 or args.rounds < 1 or args.warmup < 0:
        parser.error("--persons, --requests and --rounds must be at least 1, --warmup 0 or more")
    if args.rounds > args.requests:
        parser.error("--rounds may not exceed --requests")

    if not (Path(GUNICORN).exists() and Path(LENS).exists()):
        parser.error("run it with the project's Python: .venv/bin/python scripts/bench_pages.py")
    database = Database(os.environ.get("DATABASE_URL", ""))
    workdir = Path(tempfile.mkdtemp(prefix="lens-bench-pages-"))
    server: Server | None = None
    # A SIGTERM (e.g. a timeout) ends the run through the `finally` below as well.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        env = environment(workdir, database)
        database.create()
        setup = {**env, "DEBUG": "1", "DEMO_MODE": "1"}
        started = time.monotonic()
        lens(setup, "migrate", "--no-input")
        lens(setup, "demo", "--persons", str(args.persons), "--seed", str(args.seed))
        print(
            f"set-up: migrate and `lens demo --persons {args.persons}` "
            f"in {time.monotonic() - started:.0f} s"
        )
        server = Server(env, args.workers, workdir / "gunicorn.log")
        server.start()
        session = log_in(server.port, args.user, setup)
        pseudonym, size, organisation_persons = choose_person(server.port, session)
        pages = [
            Page("baseline /readyz", "/readyz", b"ready"),
            Page("person list /registratie/", "/registratie/", pseudonym.encode()),
            Page(
                f"person page /registratie/{pseudonym}/",
                f"/registratie/{pseudonym}/",
                pseudonym.encode(),
            ),
        ]
        print(
            f"database: {database.describe(workdir)}; {args.persons} demo persons, "
            f"{organisation_persons} in the organisation of {args.user}; the person page "
            f"is the largest ({size // 1024} KB) of the list's first page"
        )
        print(
            f"server: gunicorn {gunicorn_version()} as `lens serve` runs it, {args.workers} sync "
            f"workers, DEBUG off; one client, {args.requests} sequential requests per page "
            f"in {args.rounds} rounds after {args.warmup} warm-up requests each"
        )
        measure(server.port, session, pages, args.requests, args.rounds, args.warmup)
        server.stop()
        server = None
        client = count_queries(env, session, pages)
        report(pages)
        if args.cpu:
            measure_cpu(client, pages, args.cpu, args.rounds)
            report_cpu(pages)
        if args.profile:
            profile_pages(client, pages)
        return 0
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        if server is not None:
            print(server.log_tail(), file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        close_django_connections()
        database.drop()
        shutil.rmtree(workdir, ignore_errors=True)


class Failure(Exception):
    """The run cannot go on (a command or a request failed)."""


# --- the database and the environment ----------------------------------------------------


class Database:
    """A SQLite file in the work directory (the settings' default in VAR_DIR), or the
    PostgreSQL database named in `url`, dropped and created again (and dropped at the
    end): only a name that says it is for tests."""

    def __init__(self, url: str):
        self.url = url
        self.created = False
        if not url:
            return
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("DATABASE_URL must be a postgres:// URL (or unset: SQLite).")
        import psycopg.conninfo

        self.name = psycopg.conninfo.conninfo_to_dict(url).get("dbname", "")
        if not (self.name.startswith("test_") or self.name.startswith("bench")):
            raise SystemExit(
                f"Refused: the database {self.name!r} is dropped and created again; its name "
                "must start with test_ or bench (e.g. .../test_bench)."
            )

    def describe(self, workdir: Path) -> str:
        if self.url:
            return f"PostgreSQL, database {self.name}"
        synchronous = os.environ.get("SQLITE_SYNCHRONOUS", "FULL")
        return f"SQLite (synchronous={synchronous}) in {workdir}"

    def _admin(self, sql: str) -> None:
        import psycopg
        from psycopg import sql as pgsql

        admin = psycopg.conninfo.make_conninfo(self.url, dbname="postgres")
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(pgsql.SQL(sql).format(pgsql.Identifier(self.name)))

    def create(self) -> None:
        if self.url:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")
            self._admin("CREATE DATABASE {}")
            self.created = True

    def drop(self) -> None:
        if self.url and self.created:
            self._admin("DROP DATABASE IF EXISTS {} WITH (FORCE)")


def environment(workdir: Path, database: Database) -> dict[str, str]:
    """Production settings on plain HTTP, with throw-away secrets."""
    (workdir / "staticfiles").mkdir()  # WhiteNoise expects STATIC_ROOT
    env = {
        **os.environ,
        "DEBUG": "0",
        "DEMO_MODE": "0",
        "VAR_DIR": str(workdir),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "STATIC_MANIFEST": "0",  # no collectstatic: the pages' static URLs only
        "SECRET_KEY": secrets.token_urlsafe(50),
        "IDENTITY_KEYS": "bench:" + base64.b64encode(secrets.token_bytes(32)).decode(),
        "MATCH_KEY_SECRET": secrets.token_urlsafe(24),
        "ACCESS_LOG_KEY": secrets.token_urlsafe(24),
        "DJANGO_SETTINGS_MODULE": "lens.settings",
    }
    if not database.url:
        env.pop("DATABASE_URL", None)
    return env


def lens(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [LENS, *args], env=env, cwd=ROOT, capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise Failure(f"lens {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


# --- gunicorn --------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _die_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM when this script dies, even by
    SIGKILL, so no gunicorn is left behind (best effort elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def gunicorn_version() -> str:
    from importlib.metadata import version

    return version("gunicorn")


class Server:
    def __init__(self, env: dict[str, str], workers: int, log_path: Path):
        self.env, self.workers, self.log_path = env, workers, log_path
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        # The command `lens serve` runs (its gunicorn settings: sync workers, the JSON
        # access log, worker recycling), with the run's port and workers, and a short
        # graceful timeout so that the run stops quickly.
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        from lens.ops.management.commands.serve import gunicorn_command

        command = gunicorn_command(f"{HOST}:{self.port}", self.workers)
        command += ["--graceful-timeout", "5"]
        env = {**self.env, "LOG_FORMAT": "json"}  # as `lens serve` sets it
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                command,
                env=env,
                cwd=ROOT,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, stopped as a whole
                preexec_fn=_die_with_parent,  # no threads here: safe
            )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure(f"gunicorn exited with {self.process.returncode}")
            with contextlib.suppress(OSError):
                if get(self.port, "/healthz", {})[0] == 200:
                    return
            time.sleep(0.2)
        raise Failure("gunicorn did not answer /healthz within 60 seconds")

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def log_tail(self) -> str:
        try:
            lines = self.log_path.read_text(errors="replace").splitlines()
        except OSError:
            return ""
        return "gunicorn log (last lines):\n" + "\n".join(lines[-30:])


# --- HTTP --------------------------------------------------------------------------------


def get(port: int, path: str, cookies: dict[str, str]) -> tuple[int, bytes, list[str]]:
    return request(port, "GET", path, cookies)


def request(
    port: int, method: str, path: str, cookies: dict[str, str], form: dict[str, str] | None = None
) -> tuple[int, bytes, list[str]]:
    """(status, body, Set-Cookie headers). A new connection each time, as gunicorn's sync
    workers close it after every answer."""
    headers = {"Host": HOST}
    if cookies:
        headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
    body = None
    if form is not None:
        from urllib.parse import urlencode

        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read(), response.headers.get_all("Set-Cookie") or []
    finally:
        connection.close()


def remember(cookies: dict[str, str], set_cookies: list[str]) -> None:
    for header in set_cookies:
        name, _, rest = header.partition("=")
        cookies[name.strip()] = rest.split(";", 1)[0]


def csrf_token(body: bytes) -> str:
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if not found:
        raise Failure("no CSRF token on the login page")
    return found[1].decode()


def log_in(port: int, username: str, demo_env: dict[str, str]) -> dict[str, str]:
    """The two-step login over HTTP; returns the session's cookies."""
    cookies: dict[str, str] = {}
    status, body, set_cookies = get(port, "/accounts/login/", cookies)
    remember(cookies, set_cookies)
    form = {
        "username": username,
        "password": DEMO_PASSWORD,
        "csrfmiddlewaretoken": csrf_token(body),
    }
    status, body, set_cookies = request(port, "POST", "/accounts/login/", cookies, form)
    remember(cookies, set_cookies)
    if status != 302:
        raise Failure(f"login as {username}: password step answered {status}")
    status, body, set_cookies = get(port, "/accounts/login/code/", cookies)
    remember(cookies, set_cookies)
    code = lens(demo_env, "demo-code", username).strip()
    form = {"code": code, "csrfmiddlewaretoken": csrf_token(body)}
    status, body, set_cookies = request(port, "POST", "/accounts/login/code/", cookies, form)
    remember(cookies, set_cookies)
    if status != 302:
        raise Failure(f"login as {username}: code step answered {status}")
    return cookies


def choose_person(port: int, cookies: dict[str, str]) -> tuple[str, int, int]:
    """The person whose page is the largest among those on the list's first page (the
    same person from run to run with the same seed, whatever the random pseudonyms; and
    the heaviest page a professional opens from the list), its page's size, and how many
    persons the list has. Opening them all also warms up the person page."""
    status, body, _ = get(port, "/registratie/", cookies)
    text = body.decode()
    pseudonyms = list(dict.fromkeys(PSEUDONYM_LINK.findall(text)))
    if status != 200 or not pseudonyms:
        raise Failure(f"the person list answered {status} without a person on it")
    total = re.search(r'id="persons-caption">(\d+) ', text)
    sizes = {}
    for pseudonym in pseudonyms:
        status, page, _ = get(port, f"/registratie/{pseudonym}/", cookies)
        if status != 200:
            raise Failure(f"/registratie/{pseudonym}/ answered {status}")
        sizes[pseudonym] = len(page)
    chosen = max(pseudonyms, key=lambda p: (sizes[p], p))
    return chosen, sizes[chosen], int(total[1]) if total else -1


# --- measuring ----------------------------------------------------------------------------


def fetch(port: int, cookies: dict[str, str], page: Page) -> float:
    method = "GET" if page.form is None else "POST"
    started = time.perf_counter()
    status, body, _ = request(port, method, page.path, cookies, page.form)
    elapsed = time.perf_counter() - started
    if status != 200:
        raise Failure(f"{page.path} answered {status}")
    if page.expect not in body:
        raise Failure(f"{page.path} answered 200 without {page.expect!r}")
    return elapsed


def measure(
    port: int, cookies: dict[str, str], pages: list[Page], requests: int, rounds: int, warmup: int
) -> None:
    for page in pages:
        for _ in range(warmup):
            fetch(port, cookies, page)
    shares = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
    for number, share in enumerate(shares):
        order = pages[number % len(pages) :] + pages[: number % len(pages)]
        for page in order:
            page.latencies.extend(fetch(port, cookies, page) for _ in range(share))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def report(pages: list[Page]) -> None:
    rates = [len(p.latencies) / sum(p.latencies) for p in pages]
    width = max(len(p.label) for p in pages)
    print()
    print(f"{'page':<{width}}  queries   p50 ms   p95 ms    req/s  of baseline")
    for page, rate in zip(pages, rates, strict=True):
        queries = "-" if page.queries is None else str(page.queries)
        print(
            f"{page.label:<{width}}  {queries:>7}  {percentile(page.latencies, 0.5) * 1000:7.1f}"
            f"  {percentile(page.latencies, 0.95) * 1000:7.1f}  {rate:7.1f}"
            f"  {rate / rates[0] * 100:10.0f}%"
        )
    shares = [rate / rates[0] * 100 for rate in rates[1:]]
    met = all(share >= GOAL_PERCENT for share in shares)
    print(
        f"goal: the person list and the person page at >= {GOAL_PERCENT}% of the baseline's "
        f"requests/second: {'met' if met else 'not met'} "
        f"(list {shares[0]:.0f}%, person page {shares[1]:.0f}%)"
    )
    print("(queries: one request each on the same session, counted with Django's test client)")


# --- counting queries and profiling, in this process ---------------------------------------


def count_queries(env: dict[str, str], cookies: dict[str, str], pages: list[Page]):
    """Each page's queries for one request on the logged-in session (after one unmeasured
    request: the first in a process also loads the catalogue; the fewest of three), with
    the server's settings and database."""
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME=HOST)
    for name, value in cookies.items():
        client.cookies[name] = value
    for page in pages:
        client.get(page.path)
        counts = []
        # The fewest of three: a request that finds the session's last-seen time 10 s old
        # also rewrites the session (1 query on SQLite, 3 on PostgreSQL), not the page.
        for _ in range(3):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(page.path)
            if response.status_code != 200:
                raise Failure(f"{page.path} answered {response.status_code} to the test client")
            counts.append(len(queries))
        page.queries = min(counts)
    return client


def measure_cpu(client, pages: list[Page], requests: int, rounds: int) -> None:
    """CPU time (`time.process_time`) of each request in this process, with Django's test
    client: what the page costs the server, whatever else runs on the machine (the wall
    time under load is mostly waiting for a core). The pages in turn, in rounds whose order
    rotates, as `measure` does; no gunicorn, no network."""
    rounds = max(1, min(rounds, requests))
    shares = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
    for number, share in enumerate(shares):
        order = pages[number % len(pages) :] + pages[: number % len(pages)]
        for page in order:
            for _ in range(share):
                started = time.process_time()
                response = client.get(page.path)
                page.cpu.append(time.process_time() - started)
                if response.status_code != 200:
                    raise Failure(f"{page.path} answered {response.status_code} (CPU time)")


def report_cpu(pages: list[Page]) -> None:
    """Median and smallest CPU time per request; the baseline's median as a share of the
    page's (the share of the baseline's requests per second the page would have if CPU
    were all it took)."""
    width = max(len(p.label) for p in pages)
    base = percentile(pages[0].cpu, 0.5)
    print()
    print(f"{'CPU per request, in this process':<{width}}  median ms  min ms  of baseline")
    for page in pages:
        median = percentile(page.cpu, 0.5)
        print(
            f"{page.label:<{width}}  {median * 1000:9.2f}  {min(page.cpu) * 1000:6.2f}"
            f"  {base / median * 100:10.0f}%"
        )
    print(f"(time.process_time, {len(pages[0].cpu)} requests per page, Django's test client)")


def profile_pages(client, pages: list[Page], top: int = 12) -> None:
    """One request per page under cProfile: the project's functions by cumulative time
    (where the page's own work is; not the wrappers around the whole request), then all
    functions by their own time (what it is: SQL, templates, JSON)."""
    import cProfile
    import pstats

    project = str(ROOT / "lens") + os.sep
    for page in pages:
        profiler = cProfile.Profile()
        started = time.perf_counter()
        profiler.enable()
        client.get(page.path)
        profiler.disable()
        elapsed = time.perf_counter() - started
        rows = pstats.Stats(
            profiler
        ).stats.items()  # (file, line, name) -> (cc, calls, own, cum, _)
        print(f"\nprofile of one request to {page.path}: {elapsed * 1000:.1f} ms under cProfile")
        print(f"  project functions by cumulative time (top {top}):      cum ms  own ms  calls")
        # Without the wrappers around the whole request (middleware, decorators).
        mine = sorted(
            (r for r in rows if r[0][0].startswith(project) and r[1][3] < 0.8 * elapsed),
            key=lambda r: -r[1][3],
        )
        for (filename, line, name), (_, calls, own, cum, _) in mine[:top]:
            where = f"{filename.removeprefix(str(ROOT) + os.sep)}:{line} {name}"
            print(f"    {where[:52]:<52} {cum * 1000:7.1f} {own * 1000:7.1f} {calls:6}")
        print(f"  all functions by own time (top {top}):")
        for (filename, line, name), (_, calls, own, cum, _) in sorted(rows, key=lambda r: -r[1][2])[
            :top
        ]:
            short = re.sub(r".*/(site-packages|lib/python3\.\d+)/", "", filename)
            where = f"{short.removeprefix(str(ROOT) + os.sep)}:{line} {name}"
            print(f"    {where[:52]:<52} {cum * 1000:7.1f} {own * 1000:7.1f} {calls:6}")


def close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()


if __name__ == "__main__":
    sys.exit(main())
