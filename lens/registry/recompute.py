"""Recompute every stored outcome at once: the ruleset compiled to SQL, run in DuckDB over
an export of the current registrations (issue 14, "Bulk recompute compiled from the
ruleset").

The per-person path (lens.registry.actions.recompute_outcome) runs the lens engine for
one person and stays the path after a new registration. After `lens catalogue load`
every person needs the new versions: here the current registrations are exported once
(COPY on PostgreSQL, one streamed query on SQLite) to a file in a temporary directory
and loaded into DuckDB (lens.registry.recompute_input); there
DuckDB evaluates `lens.rules.compiled.query` over all persons and over all combined
groups (a cluster's records in one region) together, and only the outcomes whose content
changed (`lens.rules.compiled.content`, compared by digest with the latest stored one)
are written, in short transactions of BATCH persons, so that the access log's lock and
SQLite's write lock stay free for people at work. An OutcomeRun records the versions and
the time: for everyone without a new row it says that their outcome held under them.

DuckDB was chosen by measurement (scripts/bench_recompute.py): the computation runs at
the speed of a hand-written DuckDB query; a Python loop over the engine is about 200
times slower. The export holds person ids, dates and codes, no identities.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import duckdb
from django.db import connection, transaction
from django.utils import timezone

from lens.catalogue import services
from lens.coordination import notify
from lens.coordination.combined import COORDINATION_LEVEL
from lens.data import aggregates
from lens.data.coordination import CombinedOutcome
from lens.data.copy import copy_rows
from lens.data.registry import (
    OutcomeRun,
    Person,
    PersonOutcome,
)
from lens.registry import recompute_input
from lens.rules import compiled
from lens.rules.model import Catalogue, Ruleset

BATCH = 2_000  # persons (or combined groups) written per transaction
# Above this many changed levels the local picture is rebuilt once, set-based, after the
# run (lens.picture.bulk.rebuild) instead of cluster by cluster in each batch (about 25 ms
# a person: 7 hours for a million).
REBUILD_PICTURE_OVER = 1_000


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


CHANGED_PERSONS = """
SELECT r.grp, r.level, r.blind_spots, r.acute_signal, md5(r.content) AS digest,
       p.level AS before
FROM by_person r JOIN persons p ON p.person = r.grp
WHERE p.digest IS DISTINCT FROM md5(r.content)
ORDER BY r.grp"""

CHANGED_GROUPS = """
SELECT g.cluster, g.region, g.members, r.level, md5(r.content) AS digest, r.blind_spots,
       c.level AS before
FROM by_group r JOIN groups g ON g.grp = r.grp
LEFT JOIN combined c ON c.cluster = g.cluster AND c.region = g.region
WHERE c.digest IS DISTINCT FROM md5(r.content)
ORDER BY g.cluster, g.region"""


def _batches(result, size: int) -> Iterator[list[tuple]]:
    while rows := result.fetchmany(size):
        yield rows


OUTCOME_COLUMNS = (
    "person_id", "level", "blind_spots", "acute_signal", "digest", "as_of", "catalogue_version",
    "ruleset_version", "computed_at",
)  # fmt: skip


def _write_persons(
    batch: list[tuple],
    run: OutcomeRun,
    catalogue: Catalogue,
    ruleset: Ruleset,
    as_of: date,
    maintain_picture: bool,
) -> int:
    with transaction.atomic():
        # Written by the per-person path since the run began (a new registration): newer
        # than what the export saw. The batch is ordered by person: its first and last
        # id bound it, so that the statement is the same for every batch.
        newer = set(
            PersonOutcome.objects.filter(
                person_id__gte=batch[0][0],
                person_id__lte=batch[-1][0],
                computed_at__gte=run.started_at,
            ).values_list("person_id", flat=True)
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        day = connection.ops.adapt_datefield_value(as_of)
        rows = [
            (pk, level, blind, acute, digest, day, catalogue.version, ruleset.version, now)
            for pk, level, blind, acute, digest, _ in batch
            if pk not in newer
        ]
        copy_rows(PersonOutcome, OUTCOME_COLUMNS, rows)
        moved = [pk for pk, level, *_, before in batch if pk not in newer and level != before]
        if moved and maintain_picture:
            # The local picture counts persons by their latest level.
            aggregates.changed(moved, catalogue)
    return len(rows)


def _write_groups(batch: list[tuple], run: OutcomeRun, catalogue: Catalogue, ruleset: Ruleset):
    with transaction.atomic():
        # As in _write_persons: the batch is ordered by cluster (one statement for all).
        newer = set(
            CombinedOutcome.objects.filter(
                cluster_id__gte=batch[0][0],
                cluster_id__lte=batch[-1][0],
                computed_at__gte=run.started_at,
            ).values_list("cluster_id", "region")
        )
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        fresh = [row for row in batch if (row[0], row[1]) not in newer]
        # Replaced: one row per cluster and region (a Django upsert of 2,000 rows costs
        # a second on SQLite; a delete and an insert of plain rows a few milliseconds).
        table = CombinedOutcome._meta.db_table
        # Only where a row was stored before (one stored since is `newer`).
        stored = [(c, region) for c, region, *_, before in fresh if before is not None]
        if stored:
            with connection.cursor() as cursor:
                cursor.executemany(
                    f"DELETE FROM {table} WHERE cluster_id = %s AND region = %s", stored
                )
        copy_rows(
            CombinedOutcome,
            (
                "cluster_id", "region", "members", "level", "digest", "blind_spots",
                "catalogue_version", "ruleset_version", "computed_at",
            ),
            [
                (cluster, region, json.dumps(list(members)), level, digest, blind,
                 catalogue.version, ruleset.version, now)
                for cluster, region, members, level, digest, blind, _ in fresh
            ],
        )  # fmt: skip
        # As lens.coordination.combined.refresh: the zorgcoördinator hears when a linked
        # cluster's combined level reaches the threshold.
        for _, region, members, level, _, _, before in fresh:
            crossed = len(members) > 1 and before is not None and before < COORDINATION_LEVEL
            if crossed and level >= COORDINATION_LEVEL:
                in_region = list(Person.objects.filter(pk__in=members).order_by("pk"))
                notify.threshold(in_region, region)


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
            mark = time.monotonic()
            recompute_input.prepare(db, catalogue)
            recompute_input.load(db, workdir)
            timings["load"] = time.monotonic() - mark
            mark = time.monotonic()
            evaluate(db, catalogue, ruleset, as_of)
            timings["compute"] = time.monotonic() - mark
            mark = time.monotonic()
            persons = db.execute("SELECT count(*) FROM by_person").fetchone()[0]
            changed = 0
            moved = db.execute(
                f"SELECT count(*) FROM ({CHANGED_PERSONS}) WHERE level IS DISTINCT FROM before"
            ).fetchone()[0]
            one_by_one = moved <= REBUILD_PICTURE_OVER
            for batch in _batches(db.execute(CHANGED_PERSONS), BATCH):
                changed += _write_persons(batch, run, catalogue, ruleset, as_of, one_by_one)
                if progress:
                    progress("persons", changed)
            for batch in _batches(db.execute(CHANGED_GROUPS), BATCH):
                _write_groups(batch, run, catalogue, ruleset)
            timings["write"] = time.monotonic() - mark
        finally:
            db.close()
    mark = time.monotonic()
    if not one_by_one:
        aggregates.rebuild()
    timings["picture"] = time.monotonic() - mark
    run.persons, run.changed, run.finished_at = persons, changed, timezone.now()
    run.save(update_fields=["persons", "changed", "finished_at"])
    return {"persons": persons, "changed": changed, **timings}
