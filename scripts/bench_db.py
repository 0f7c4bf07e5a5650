"""What the benchmark scripts share: a throw-away database and settings for one run, and
the percentile they report. Imported by the scripts beside it (scripts/ is their path)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent


def run_throwaway(prefix: str, run: Callable[[object, Path], int], args) -> int:
    """`run(args, workdir)` with Django set up on a throw-away database: a SQLite file in a
    temporary directory, or the PostgreSQL database named in DATABASE_URL, dropped and
    created again (its name must contain "bench"); removed afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    url = os.environ.get("DATABASE_URL", "")
    if url:
        name = urlparse(url).path.lstrip("/")
        if "bench" not in name:
            print(f"refusing to drop {name!r}: the name must contain 'bench'", file=sys.stderr)
            return 2
        base = url.rsplit("/", 1)[0] + "/postgres"
        subprocess.run(["psql", base, "-qc", f"DROP DATABASE IF EXISTS {name}"], check=True)
        subprocess.run(["psql", base, "-qc", f"CREATE DATABASE {name}"], check=True)
    os.environ.update(
        {"DEBUG": "1", "VAR_DIR": str(workdir), "DJANGO_SETTINGS_MODULE": "lens.settings"}
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # no query log: it would hold every query of the run
    try:
        return run(args, workdir)
    finally:
        from django.db import connections

        connections.close_all()
        shutil.rmtree(workdir, ignore_errors=True)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def synthetic_person(pseudonym: str, organisation, user):
    """A Person row for a benchmark: no sealed identity (the benchmarks that need one,
    bench_matching.py, seal their own), a fixed birth year."""
    from lens.data.registry import Person

    return Person(
        pseudonym=pseudonym,
        organisation=organisation,
        created_by=user,
        identity_key_id="bench",
        identity_wrapped_key=b"",
        identity_nonce=b"",
        identity_ciphertext=b"",
        name_match_key="bench",
        birth_year=2008,
    )


def reset_sequence(model) -> None:
    """After rows were inserted with their ids given (COPY): the next id after the last
    (PostgreSQL; SQLite's AUTOINCREMENT follows the largest id by itself)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        table = model._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"(SELECT coalesce(max(id), 1) FROM {table}))"
            )
