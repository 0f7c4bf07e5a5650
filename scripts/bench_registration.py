#!/usr/bin/env python3
"""Benchmark: registration throughput through the actions layer, and what the access log
costs (issue 4, section 7). A script, not a test: it prints figures and asserts nothing.

    .venv/bin/python scripts/bench_registration.py [--n 300] [--rounds 4]

One registration is what the registration page does for a new person:
`actions.register_person` + `actions.register_signals` (which also recomputes and
stores the outcome), each in its own transaction with its access-log record. The same
writes are then measured with `lens.access.log.record` replaced by a no-op, in the same
process and database, so the ratio is the cost of the log (hash chain, lock, insert).
The two modes alternate in rounds (ABBA order) so that a growing database or a warming
cache does not favour either.

Database: a fresh SQLite file in a temporary directory (the project's settings: WAL,
BEGIN IMMEDIATE), or, when DATABASE_URL is set, a fresh database next to it on that
server (named bench_<pid>_<name>, dropped afterwards). Secrets: taken from the
environment when set, otherwise DEBUG development secrets in the temporary directory.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIGNALS = ("truancy", "unexplained_money_or_possessions", "older_associates")
RISK_FACTORS = ("difficult_home_situation",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--n", type=int, default=300, help="registrations per mode (default 300)")
    parser.add_argument(
        "--rounds", type=int, default=4, help="alternating rounds per mode (default 4)"
    )
    parser.add_argument("--warmup", type=int, default=10, help="unmeasured registrations first")
    args = parser.parse_args()
    if args.n < 1 or args.rounds < 1:
        parser.error("--n and --rounds must be at least 1")

    var_dir = tempfile.mkdtemp(prefix="lens-bench-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lens.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DEMO_MODE"] = "0"
    os.environ["VAR_DIR"] = var_dir
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.db import connection

    creation = connection.creation
    test_settings = connection.settings_dict.setdefault("TEST", {})
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(var_dir) / "bench.sqlite3")
    else:
        test_settings["NAME"] = f"bench_{os.getpid()}_{connection.settings_dict['NAME']}"[:63]
    old_name = connection.settings_dict["NAME"]
    creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    try:
        return run(args, connection)
    finally:
        creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


def run(args, connection) -> int:
    import django
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from lens.access import log
    from lens.access.actor import Actor
    from lens.access.crypto import Identity
    from lens.access.models import AccessLogEntry
    from lens.access.verify import verify as verify_log
    from lens.catalogue import services
    from lens.data.registry import Membership, Organisation, Role
    from lens.demo.identities import synthetic_bsn, synthetic_bsn_count
    from lens.registry import actions

    needed = args.warmup + 2 * args.n
    if needed > synthetic_bsn_count():
        raise SystemExit(f"at most {(synthetic_bsn_count() - args.warmup) // 2} per mode")

    services.load_from_files(settings.CATALOGUE_DIR)
    organisation = Organisation.objects.create(
        name="Bench College",
        organisation_type="school",
        region="midden_brabant",
        municipality="Tilburg",
        contact_name="Bench Contact",
        contact_phone="013-000 00 00",
        contact_email="bench@example.nl",
    )
    user = get_user_model().objects.create_user(username="bench-professional")
    membership = Membership.objects.create(
        user=user, role=Role.PROFESSIONAL, organisation=organisation
    )
    actor = Actor(user=user, membership=membership, user_agent="bench_registration")
    today = date.today()
    counter = iter(range(needed))

    def register_one() -> float:
        i = next(counter)
        identity = Identity(
            given_names=f"Bench{i}",
            family_name="Synthetisch",
            birth_date=today - timedelta(days=15 * 365 + i),
            bsn=synthetic_bsn(i),
        )
        started = time.perf_counter()
        person, _created = actions.register_person(actor, identity, purpose="benchmark")
        actions.register_signals(
            actor,
            person,
            signals=SIGNALS,
            observed_on=today,
            how_learned="seen_myself",
            context_note="Synthetische registratie voor de benchmark.",
            risk_factors=RISK_FACTORS,
        )
        return time.perf_counter() - started

    real_record = log.record

    def no_log(*args, **kwargs):
        return None

    for _ in range(args.warmup):
        register_one()

    timings: dict[str, list[float]] = {"with log": [], "without log": []}
    elapsed: dict[str, float] = {"with log": 0.0, "without log": 0.0}
    per_round = [args.n // args.rounds + (r < args.n % args.rounds) for r in range(args.rounds)]
    for number, size in enumerate(per_round):
        # ABBA: with, without, without, with, ...
        order = ("with log", "without log") if number % 2 == 0 else ("without log", "with log")
        for mode in order:
            log.record = real_record if mode == "with log" else no_log
            try:
                started = time.perf_counter()
                for _ in range(size):
                    timings[mode].append(register_one())
                elapsed[mode] += time.perf_counter() - started
            finally:
                log.record = real_record

    entries = AccessLogEntry.objects.count()
    problems = verify_log()
    print(
        f"Registration benchmark: {args.n} registrations per mode "
        f"(register_person + register_signals, outcome recomputed), {args.rounds} rounds, "
        f"{args.warmup} warm-up"
    )
    print(
        f"database: {connection.vendor} {connection.Database.sqlite_version}"
        if connection.vendor == "sqlite"
        else f"database: {connection.vendor} {connection.pg_version // 10000}."
        f"{connection.pg_version % 10000}"
    )
    print(
        f"python {platform.python_version()}, django {django.get_version()}, {platform.machine()}"
    )
    rates = {}
    for mode in ("with log", "without log"):
        values = sorted(timings[mode])
        rates[mode] = len(values) / elapsed[mode]
        print(
            f"{mode:<12} {rates[mode]:8.1f} registrations/s   "
            f"p50 {_percentile(values, 50) * 1000:7.2f} ms   "
            f"p95 {_percentile(values, 95) * 1000:7.2f} ms   "
            f"mean {statistics.fmean(values) * 1000:7.2f} ms"
        )
    ratio = rates["without log"] / rates["with log"]
    print(
        f"ratio: {ratio:.2f} (time with the access log / time without; "
        f"the log adds {(ratio - 1) * 100:+.0f}%)"
    )
    print(
        f"access log: {entries} entries written, chain "
        f"{'intact' if not problems else 'NOT intact: ' + '; '.join(problems[:3])}"
    )
    return 0


def _percentile(sorted_values: list[float], percent: float) -> float:
    """Nearest-rank percentile of an ascending list."""
    rank = max(1, -(-len(sorted_values) * percent // 100))
    return sorted_values[int(rank) - 1]


if __name__ == "__main__":
    sys.exit(main())
