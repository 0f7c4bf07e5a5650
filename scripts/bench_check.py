#!/usr/bin/env python3
"""Benchmark of the anonymous check's pages (issue 12 §5 "Fast"): the form and the
outcome as a share of a constant Django page, the start page, measured in the same run.
A script, not a test: it prints figures and asserts nothing about them
(tests/core/test_bench_scripts.py runs it with tiny numbers).

    .venv/bin/python scripts/bench_check.py [--requests 200] [--cpu-requests 200]

What it does: a throw-away SQLite database in a temporary directory (`lens migrate`,
`lens catalogue load`: the check stores nothing), then two measurements of the same four
pages, the start page (constant), the form's first page, a posted step of the form and
the outcome of posted answers:

- served: gunicorn as `lens serve` runs it, with 2 workers, production settings (DEBUG
  off), one client, sequential requests in rounds whose order rotates: p50, p95,
  requests per second and the share of the start page's (the server, the HTTP helpers
  and the rounds are scripts/bench_pages.py's);
- in this process, with Django's test client and the same settings: the CPU time of
  this process per request (time.process_time: on a shared machine wall time moves with
  the neighbours), the pages measured alternately in the same rounds, and each page's
  share of the start page's speed; with the page size and the templates it renders
  once warm (parts rendered once per process are not counted again).

The goal (issue 12): the form and the outcome at 50% or more of the constant page. The
load average is printed beside the figures: run it on a quiet machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench_pages  # noqa: E402  (the server, HTTP and rounds of the page benchmark)
from bench_pages import GOAL_PERCENT, HOST, Failure, Page, percentile  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=200, help="served requests per page")
    parser.add_argument(
        "--cpu-requests", type=int, default=200, help="in-process requests per page"
    )
    parser.add_argument("--rounds", type=int, default=4, help="rounds, order rotating (4)")
    parser.add_argument("--warmup", type=int, default=20, help="unmeasured requests per page")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    args = parser.parse_args()
    if min(args.requests, args.cpu_requests, args.rounds) < 1 or args.warmup < 0:
        parser.error("--requests, --cpu-requests and --rounds at least 1, --warmup 0 or more")
    if args.rounds > min(args.requests, args.cpu_requests):
        parser.error("--rounds may not exceed the requests")
    if not (Path(bench_pages.GUNICORN).exists() and Path(bench_pages.LENS).exists()):
        parser.error("run it with the project's Python: .venv/bin/python scripts/bench_check.py")
    workdir = Path(tempfile.mkdtemp(prefix="lens-bench-check-"))
    database = bench_pages.Database("")  # SQLite in the work directory
    server = None
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        env = bench_pages.environment(workdir, database)
        setup = {**env, "DEBUG": "1"}
        bench_pages.lens(setup, "migrate", "--no-input")
        bench_pages.lens(setup, "catalogue", "load")
        pages = check_pages(env)
        server = bench_pages.Server(env, args.workers, workdir / "gunicorn.log")
        server.start()
        print(
            f"served: gunicorn {bench_pages.gunicorn_version()} as `lens serve` runs it, "
            f"{args.workers} sync workers, DEBUG off; one client, {args.requests} sequential "
            f"requests per page in {args.rounds} rounds after {args.warmup} warm-up requests"
        )
        bench_pages.measure(server.port, {}, pages, args.requests, args.rounds, args.warmup)
        server.stop()
        server = None
        served(pages)
        in_process(pages, args.cpu_requests, args.rounds, args.warmup)
        load = ", ".join(f"{figure:.2f}" for figure in os.getloadavg())
        print(f"load average (1, 5, 15 min): {load} on {os.cpu_count()} CPUs")
        return 0
    except Failure as failure:
        print(f"error: {failure}", file=sys.stderr)
        if server is not None:
            print(server.log_tail(), file=sys.stderr)
        return 1
    finally:
        if server is not None:
            server.stop()
        bench_pages.close_django_connections()
        shutil.rmtree(workdir, ignore_errors=True)


def check_pages(env: dict[str, str]) -> list[Page]:
    """The four pages, with answers made of the loaded catalogue's codes; Django set up in
    this process on the run's database and settings (for the in-process measurement)."""
    os.environ.update(env)
    os.environ.pop("DATABASE_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from lens.catalogue import services

    catalogue, _ruleset = services.active()
    codes = list(catalogue.signals)
    answers = {f"signal_{c}": "yes" for c in codes[:3]} | {f"signal_{codes[20]}": "no"}
    return [
        Page("start page (constant)", "/", b'href="/signalen/'),
        Page("form, first page", "/signalen/", b'name="step"'),
        Page("form, posted step", "/signalen/", b'name="step"', form=answers | {"step": "2"}),
        Page("outcome", "/uitkomst/", b"lens-check-outcome", form=answers),
    ]


def served(pages: list[Page]) -> None:
    rates = [len(p.latencies) / sum(p.latencies) for p in pages]
    width = max(len(p.label) for p in pages)
    print(f"{'page':<{width}}   p50 ms   p95 ms    req/s  of constant")
    for page, rate in zip(pages, rates, strict=True):
        print(
            f"{page.label:<{width}}  {percentile(page.latencies, 0.5) * 1000:7.1f}"
            f"  {percentile(page.latencies, 0.95) * 1000:7.1f}  {rate:7.1f}"
            f"  {rate / rates[0] * 100:10.0f}%"
        )
    goal("served", [rate / rates[0] * 100 for rate in rates])


def goal(kind: str, shares: list[float]) -> None:
    """The goal line: the form's two pages and the outcome at GOAL_PERCENT or more."""
    met = all(share >= GOAL_PERCENT for share in shares[1:])
    print(
        f"goal ({kind}): the form and the outcome at >= {GOAL_PERCENT}% of the constant "
        f"page: {'met' if met else 'not met'} (form {shares[1]:.0f}%, posted step "
        f"{shares[2]:.0f}%, outcome {shares[3]:.0f}%)"
    )


def in_process(pages: list[Page], requests: int, rounds: int, warmup: int) -> None:
    """CPU time per request of each page in this process (Django's test client, the
    server's settings), measured alternately: the same rounds, the order rotating."""
    from django.template import base as template_base
    from django.test import Client

    client = Client(SERVER_NAME=HOST)

    def send(page: Page):
        if page.form is None:
            return client.get(page.path)
        return client.post(page.path, page.form)

    sizes, templates = {}, {}
    real_render = template_base.Template._render
    for page in pages:
        for _ in range(max(1, warmup)):  # counted as it runs from then on: warm
            send(page)
        rendered: list[str] = []

        def counted(self, context, rendered=rendered):
            rendered.append(self.name)
            return real_render(self, context)

        template_base.Template._render = counted
        try:
            response = send(page)
        finally:
            template_base.Template._render = real_render
        if response.status_code != 200:
            raise Failure(f"{page.path} answered {response.status_code} to the test client")
        sizes[page.label], templates[page.label] = len(response.content), len(rendered)
    cpu = dict.fromkeys((p.label for p in pages), 0.0)
    shares = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
    for number, share in enumerate(shares):
        for page in pages[number % len(pages) :] + pages[: number % len(pages)]:
            started = time.process_time()
            for _ in range(share):
                send(page)
            cpu[page.label] += time.process_time() - started
    width = max(len(p.label) for p in pages)
    print(f"\nin this process: {requests} requests per page in {rounds} rounds, alternating")
    print(f"{'page':<{width}}      KB  templates  CPU ms/req  of constant")
    base = cpu[pages[0].label]
    for page in pages:
        ms = cpu[page.label] * 1000 / requests
        print(
            f"{page.label:<{width}}  {sizes[page.label] / 1024:6.1f}  {templates[page.label]:9}"
            f"  {ms:10.2f}  {base / cpu[page.label] * 100:10.0f}%"
        )
    goal("in-process CPU", [base / cpu[p.label] * 100 for p in pages])


if __name__ == "__main__":
    raise SystemExit(main())
