"""The writing half of the bulk recompute (lens.registry.recompute): the changed outcomes,
computed in DuckDB, back into the database in short transactions of BATCH persons (or
combined groups), so that the access log's lock and SQLite's write lock stay free for
people at work.

A batch travels as one JSON array that DuckDB spells and the database takes apart itself
(`json_each` on SQLite, `jsonb_array_elements` on PostgreSQL) in one INSERT ... SELECT:
no Python object per row, one statement per batch. An outcome that the per-person path
stored since the run began (a new registration) is newer than what the export saw: its
person is left out of the batch (asked in the batch's transaction, one range read).
An anti-join in the INSERT itself cost a third of its time and closes no gap that the
read leaves open: under READ COMMITTED it would not see an uncommitted row either."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date

import duckdb
from django.db import connection, transaction
from django.utils import timezone

from lens.coordination import notify
from lens.coordination.combined import COORDINATION_LEVEL
from lens.data import aggregates
from lens.data.coordination import CombinedOutcome
from lens.data.registry import OutcomeRun, Person, PersonOutcome
from lens.rules.model import Catalogue, Ruleset

# Persons (or combined groups) written per transaction: about 50 ms of the write lock
# each on SQLite; a commit each (fewer and the lock is held longer; more and the commits
# cost more than the rows).
BATCH = 5_000

# The changed outcomes, numbered in batches of BATCH in the order of their key, so that a
# batch's first and last key bound it.
CHANGED_PERSONS = """
CREATE OR REPLACE TABLE changed_persons AS
SELECT (row_number() OVER (ORDER BY r.grp) - 1) // {batch} AS batch, r.grp AS person,
       r.level, r.blind_spots, r.acute_signal, md5(r.content) AS digest, p.level AS before
FROM by_person r JOIN persons p ON p.person = r.grp
WHERE p.digest IS DISTINCT FROM md5(r.content)"""

CHANGED_GROUPS = """
CREATE OR REPLACE TABLE changed_groups AS
SELECT (row_number() OVER (ORDER BY g.cluster, g.region) - 1) // {batch} AS batch,
       g.cluster, g.region, g.members, r.level, md5(r.content) AS digest, r.blind_spots,
       c.level AS before
FROM by_group r JOIN groups g ON g.grp = r.grp
LEFT JOIN combined c ON c.cluster = g.cluster AND c.region = g.region
WHERE c.digest IS DISTINCT FROM md5(r.content)"""

# Every batch (or the one `batch` IS NOT DISTINCT FROM) as a JSON array of arrays, in one
# pass: keys, codes and digests need no escaping (a region is a catalogue code).
PERSONS_JSON = """
SELECT batch, min(person), max(person), '[' || string_agg('[' || person || ',' || level
       || ',' || blind_spots || ',' || CASE WHEN acute_signal THEN 'true' ELSE 'false' END
       || ',"' || digest || '"]', ',') || ']'
FROM changed_persons WHERE ? IS NULL OR batch = ? GROUP BY batch ORDER BY batch"""

GROUPS_JSON = """
SELECT batch, min(cluster), max(cluster), '[' || string_agg('[' || cluster || ',"' || region
       || '",' || CAST(to_json(members) AS VARCHAR) || ',' || level || ',"' || digest || '",'
       || blind_spots || ']', ',') || ']',
       '[' || coalesce(string_agg('[' || cluster || ',"' || region || '"]', ',')
                       FILTER (WHERE before IS NOT NULL), '') || ']'
FROM changed_groups WHERE ? IS NULL OR batch = ? GROUP BY batch ORDER BY batch"""


@contextlib.contextmanager
def batch_commits() -> Iterator[None]:
    """Batches committed without waiting for the disk (SQLite's synchronous=NORMAL for the
    run, PostgreSQL's synchronous_commit=off in each batch's transaction; see `_relaxed`):
    a commit that waits cost more than its 5,000 rows. Safe because the outcomes are
    derived data and the run is recorded as finished (OutcomeRun.finished_at) only in a
    commit that waits, which makes everything written before it durable too (the log is
    written in order); a crash before that loses at most the last batches of a run that
    then shows as unfinished, and the next run computes them again."""
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        yield  # inside a caller's transaction (a test's) no batch commits on its own
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA synchronous")
        (before,) = cursor.fetchone()
        cursor.execute("PRAGMA synchronous = NORMAL")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA synchronous = {int(before)}")


def _relaxed(cursor) -> None:
    """In a batch's transaction (see batch_commits)."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL synchronous_commit = off")


def _elements(*types: str) -> str:
    """SELECT the fields of each element of a JSON array parameter, cast to `types`
    (PostgreSQL names; "jsonb" keeps a field as JSON)."""
    if connection.vendor == "postgresql":
        fields = ", ".join(
            (f"j -> {n}" if kind == "jsonb" else f"(j ->> {n})::{kind}") + f" AS c{n}"
            for n, kind in enumerate(types)
        )
        return f"SELECT {fields} FROM jsonb_array_elements(%s::jsonb) j"
    fields = ", ".join(
        (f"j.value -> {n}" if kind == "jsonb" else f"j.value ->> {n}") + f" AS c{n}"
        for n, kind in enumerate(types)
    )
    return f"SELECT {fields} FROM json_each(%s) j"


def write_persons(
    db: duckdb.DuckDBPyConnection,
    run: OutcomeRun,
    catalogue: Catalogue,
    ruleset: Ruleset,
    as_of: date,
    *,
    rebuild_picture_over: int,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[int, bool]:
    """Store the changed person outcomes; returns how many were stored and whether the
    local picture is to be rebuilt (more than `rebuild_picture_over` levels moved) rather
    than kept up to date batch by batch."""
    db.execute(CHANGED_PERSONS.format(batch=BATCH))
    moved_total = db.execute(
        "SELECT count(*) FROM changed_persons WHERE level IS DISTINCT FROM before"
    ).fetchone()[0]
    one_by_one = moved_total <= rebuild_picture_over
    table = PersonOutcome._meta.db_table
    statement = (
        f"INSERT INTO {table} (person_id, level, blind_spots, acute_signal, digest, as_of, "
        "catalogue_version, ruleset_version, computed_at) SELECT e.*, %s, %s, %s, %s FROM ("
        f"{_elements('bigint', 'smallint', 'smallint', 'boolean', 'text')}) e"
    )
    day = connection.ops.adapt_datefield_value(as_of)
    stored = 0
    for batch, first, last, rows in db.execute(PERSONS_JSON, [None, None]).fetchall():
        with transaction.atomic():
            # Written by the per-person path since the run began: newer than the export.
            newer = list(
                PersonOutcome.objects.filter(
                    person_id__gte=first, person_id__lte=last, computed_at__gte=run.started_at
                ).values_list("person_id", flat=True)
            )
            if newer:
                db.execute(
                    "DELETE FROM changed_persons WHERE batch = ? AND list_contains(?, person)",
                    [batch, newer],
                )
                found = db.execute(PERSONS_JSON, [batch, batch]).fetchall()
                rows = found[0][3] if found else "[]"
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                _relaxed(cursor)
                cursor.execute(
                    statement,
                    [day, catalogue.version, ruleset.version, now, rows],
                )
                stored += cursor.rowcount
            if one_by_one:
                moved = db.execute(
                    "SELECT person FROM changed_persons WHERE batch = ? "
                    "AND level IS DISTINCT FROM before",
                    [batch],
                ).fetchall()
                if moved:  # the local picture counts persons by their latest level
                    aggregates.changed([pk for (pk,) in moved], catalogue)
        if progress:
            progress("persons", stored)
    return stored, not one_by_one


def write_groups(
    db: duckdb.DuckDBPyConnection, run: OutcomeRun, catalogue: Catalogue, ruleset: Ruleset
) -> None:
    """Store the changed combined outcomes: one row per cluster and region, replaced (a
    Django upsert of 2,000 rows costs a second on SQLite; a delete and an insert of plain
    rows a few milliseconds)."""
    db.execute(CHANGED_GROUPS.format(batch=BATCH))
    table = CombinedOutcome._meta.db_table
    delete = (
        f"DELETE FROM {table} WHERE id IN (SELECT t.id FROM ({_elements('bigint', 'text')}) e "
        f"JOIN {table} t ON t.cluster_id = e.c0 AND t.region = e.c1)"
    )
    insert = (
        f"INSERT INTO {table} (cluster_id, region, members, level, digest, blind_spots, "
        "catalogue_version, ruleset_version, computed_at) SELECT e.*, %s, %s, %s FROM ("
        f"{_elements('bigint', 'text', 'jsonb', 'smallint', 'text', 'smallint')}) e"
    )
    # As lens.coordination.combined.refresh: the zorgcoördinator hears when a linked
    # cluster's combined level reaches the threshold.
    crossing: dict[int, list[tuple]] = {}
    for batch, cluster, region, members in db.execute(
        "SELECT batch, cluster, region, members FROM changed_groups "
        "WHERE len(members) > 1 AND before < ? AND level >= ?",
        [COORDINATION_LEVEL, COORDINATION_LEVEL],
    ).fetchall():
        crossing.setdefault(batch, []).append((cluster, region, members))
    for batch, first, last, rows, stored in db.execute(GROUPS_JSON, [None, None]).fetchall():
        with transaction.atomic():
            newer = list(
                CombinedOutcome.objects.filter(
                    cluster_id__gte=first, cluster_id__lte=last, computed_at__gte=run.started_at
                ).values_list("cluster_id", "region")
            )
            if newer:
                for cluster, region in newer:
                    db.execute(
                        "DELETE FROM changed_groups WHERE batch = ? AND cluster = ? AND region = ?",
                        [batch, cluster, region],
                    )
                found = db.execute(GROUPS_JSON, [batch, batch]).fetchall()
                _, _, _, rows, stored = found[0] if found else (0, 0, 0, "[]", "[]")
            now = connection.ops.adapt_datetimefield_value(timezone.now())
            with connection.cursor() as cursor:
                _relaxed(cursor)
                if stored != "[]":  # where a row was stored before (not one since: newer)
                    cursor.execute(delete, [stored])
                cursor.execute(insert, [catalogue.version, ruleset.version, now, rows])
            for cluster, region, members in crossing.get(batch, []):
                if (cluster, region) in newer:
                    continue
                in_region = list(Person.objects.filter(pk__in=members).order_by("pk"))
                notify.threshold(in_region, region)
