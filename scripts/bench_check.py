#!/usr/bin/env python3
"""Benchmark of the anonymous check's pages, in-process (Django's test client): page
size, templates rendered and mean CPU time per request (template_rendered
instrumentation included), beside the start page as a
constant page measured in the same run. A script, not a test: it prints figures and
asserts nothing about them.

    .venv/bin/python scripts/bench_check.py [--requests 50]

It uses a throw-away SQLite database in a temporary directory (migrate, catalogue load).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    tmp = tempfile.mkdtemp(prefix="bench_check_")
    os.environ["DATABASE_URL"] = f"sqlite:///{tmp}/bench.sqlite3"
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lens.settings")
    import django

    django.setup()
    from django.test.utils import setup_test_environment

    setup_test_environment()  # testserver allowed; template_rendered sent
    from django.core.management import call_command
    from django.test import Client
    from django.test.signals import template_rendered

    call_command("migrate", verbosity=0)
    call_command("catalogue", "load", verbosity=0)
    from lens.catalogue import services

    catalogue, _ = services.active()
    codes = list(catalogue.signals)
    answers = {f"signal_{c}": "yes" for c in codes[:3]} | {f"signal_{codes[20]}": "no"}
    pages = [
        ("start page (constant)", "get", "/", {}),
        ("form, first page", "get", "/signalen/", {}),
        ("form, posted answers", "post", "/signalen/", answers | {"step": "2"}),
        ("outcome", "post", "/uitkomst/", answers),
    ]
    client = Client()
    rendered: list[str] = []
    template_rendered.connect(lambda sender, template, **kw: rendered.append(template.name))
    print(f"{'page':28} {'status':>6} {'KB':>7} {'templates':>9} {'CPU ms/req':>10}")
    base = None
    for name, method, url, data in pages:
        rendered.clear()
        response = getattr(client, method)(url, data)
        size = len(response.content) / 1024
        count = len(rendered)
        # CPU time of this process: on a shared machine wall time moves with the neighbours
        start = time.process_time()
        for _ in range(args.requests):
            getattr(client, method)(url, data)
        ms = (time.process_time() - start) * 1000 / args.requests
        base = base or ms
        print(
            f"{name:28} {response.status_code:>6} {size:>7.1f} {count:>9} {ms:>10.2f}"
            f"  ({base / ms:.0%} of the constant page's speed)"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
