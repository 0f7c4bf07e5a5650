"""Recompute every stored outcome at once: the ruleset compiled to SQL, run in DuckDB over
an export of the current registrations (issue 14, "Bulk recompute compiled from the
ruleset").

The per-person path (lens.registry.actions.recompute_outcome) runs the lens engine for
one person and stays the path after a new registration. After `lens catalogue load`
every person needs the new versions: here the registry's tables are exported once, as
plain scans (COPY on PostgreSQL, blocks concatenated by SQLite), to files in a temporary
directory and loaded into DuckDB, which picks the current registrations
(lens.registry.recompute_input); there DuckDB evaluates `lens.rules.compiled.query` over
all persons and over all combined groups (a cluster's records in one region) together,
and only the outcomes whose content changed (`lens.rules.compiled.content`, compared by
digest with the latest stored one) are written, in short transactions of a few thousand
(lens.registry.recompute_write), so that the access log's lock and SQLite's write lock
stay free for people at work. An OutcomeRun records the versions and the time: for
everyone without a new row it says that their outcome held under them.

DuckDB was chosen by measurement (scripts/bench_recompute.py): the computation runs at
the speed of a hand-written DuckDB query; a Python loop over the engine is about 200
times slower. The export holds person ids, dates and codes, no identities.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import duckdb
from django.utils import timezone

from lens.catalogue import services
from lens.data import aggregates
from lens.data.registry import OutcomeRun
from lens.registry import recompute_input, recompute_write
from lens.rules import compiled
from lens.rules.model import Catalogue, Ruleset

# Above this many changed levels the local picture is rebuilt once, set-based, after the
# run (lens.picture.bulk.rebuild) instead of cluster by cluster in each batch (about 25 ms
# a person: 7 hours for a million).
REBUILD_PICTURE_OVER = 1_000
# DuckDB's memory (its default is 80% of the machine's, which the web workers and the
# database share); above it DuckDB spills to the run's temporary directory. A million
# persons (20 M signals) need about this much without spilling.
MEMORY_LIMIT = "6GB"


def evaluate(db: duckdb.DuckDBPyConnection, catalogue: Catalogue, ruleset: Ruleset, as_of: date):
    """Run the compiled ruleset over persons (table `by_person`) and over combined groups
    (`by_group`)."""
    sql = compiled.query(catalogue, ruleset, as_of)
    db.execute(
        "CREATE OR REPLACE VIEW obs AS SELECT person AS grp, code, org, day FROM reg_signals"
    )
    db.execute("CREATE OR REPLACE VIEW rf AS SELECT person AS grp, code FROM reg_risks")
    db.execute("CREATE OR REPLACE VIEW grps AS SELECT person AS grp FROM persons")
    db.execute(f"CREATE TABLE by_person AS {sql}")
    # Run over the groups of two records or more only: a group of one record has that
    # record's input (its signals, its risk factors, its region), so its outcome is the
    # record's own, taken from by_person (as lens.coordination.combined.refresh does).
    many = "len(g.members) > 1"
    db.execute(
        "CREATE OR REPLACE VIEW obs AS SELECT g.grp, s.code, s.org, s.day FROM reg_signals s "
        f"JOIN groups g ON g.cluster = s.cluster AND g.region = s.region AND {many}"
    )
    db.execute(
        "CREATE OR REPLACE VIEW rf AS SELECT g.grp, s.code FROM reg_risks s "
        f"JOIN groups g ON g.cluster = s.cluster AND g.region = s.region AND {many}"
    )
    db.execute(f"CREATE OR REPLACE VIEW grps AS SELECT grp FROM groups g WHERE {many}")
    db.execute(f"CREATE TABLE by_group AS {sql}")
    db.execute(
        "INSERT INTO by_group SELECT g.grp, p.* EXCLUDE (grp) FROM groups g "
        "JOIN by_person p ON p.grp = g.members[1] WHERE len(g.members) = 1"
    )


def recompute_all(
    *,
    today: date | None = None,
    versions: tuple[Catalogue, Ruleset] | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, float | int]:
    """Recompute every person's outcome and every combined outcome with the active (or
    given) versions; store those that changed. Returns counts and the seconds per phase."""
    catalogue, ruleset = versions or services.active()
    as_of = today or timezone.localdate()
    run = OutcomeRun.objects.create(
        catalogue_version=catalogue.version,
        ruleset_version=ruleset.version,
        started_at=timezone.now(),
    )
    timings: dict[str, float | int] = {}
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="lens-recompute-") as tmp:
        workdir = Path(tmp)
        recompute_input.export(workdir)
        timings["export"] = time.monotonic() - started
        db = duckdb.connect()
        try:
            spill = workdir / "duckdb"
            spill.mkdir()
            db.execute(f"SET temp_directory = '{spill}'")
            db.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")
            mark = time.monotonic()
            recompute_input.prepare(db, catalogue)
            recompute_input.load(db, workdir)
            timings["load"] = time.monotonic() - mark
            mark = time.monotonic()
            evaluate(db, catalogue, ruleset, as_of)
            timings["compute"] = time.monotonic() - mark
            mark = time.monotonic()
            persons = db.execute("SELECT count(*) FROM by_person").fetchone()[0]
            with recompute_write.batch_commits():
                changed, rebuild = recompute_write.write_persons(
                    db, run, catalogue, ruleset, as_of,
                    rebuild_picture_over=REBUILD_PICTURE_OVER, progress=progress,
                )  # fmt: skip
                recompute_write.write_groups(db, run, catalogue, ruleset)
            timings["write"] = time.monotonic() - mark
        finally:
            db.close()
    mark = time.monotonic()
    if rebuild:
        aggregates.rebuild()
    timings["picture"] = time.monotonic() - mark
    run.persons, run.changed, run.finished_at = persons, changed, timezone.now()
    run.save(update_fields=["persons", "changed", "finished_at"])
    return {"persons": persons, "changed": changed, **timings}
