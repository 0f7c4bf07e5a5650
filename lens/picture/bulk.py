"""Rebuilding the local picture's cells set-based: the path of `lens picture rebuild` at
scale (docs/design/insight.md, "Maintained aggregates").

The per-person path (lens.picture.maintain) turns a person's facts into the cells they
are in, in Python: right for one registration, but a rebuild of a million persons makes
about 400 cell memberships each, which takes hours in a Python loop. Here the facts are
made by the same function (`maintain.facts_of`, one pass over the current registrations
in cluster order), written to a file, and DuckDB expands them into slices and cell kinds
and counts the cells, as `maintain.contributions` and `maintain.kinds` define them. The
result equals `maintain.recount()` cell for cell (tests/picture/test_bulk_rebuild.py);
`maintain.recount` stays the reference.

DuckDB runs in this process on a file in a temporary directory that is removed
afterwards; the facts hold cluster ids and codes, no person data.
"""

from __future__ import annotations

import csv
import json
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
from django.db import connection, transaction

from lens.accounts import audit
from lens.accounts.models import AuditKind
from lens.catalogue import services
from lens.data.coordination import cluster_key
from lens.data.copy import copy_rows
from lens.data.registry import Person, Registration
from lens.insight import disclosure
from lens.rules.model import Catalogue

from . import maintain, pending
from .keys import secret
from .models import PictureCell, PictureMember, PictureState

FACT_COLUMNS = {
    "cluster": "BIGINT",
    "rk": "BIGINT",
    "region": "VARCHAR",
    "areas": "VARCHAR",
    "month": "VARCHAR",
    "org": "VARCHAR",
    "signals": "BIGINT",
    "level": "INTEGER",
    "placed": "INTEGER",
    "inds": "VARCHAR",
    "doms": "VARCHAR",
    "phs": "VARCHAR",
}
SEP = "|"  # between the codes of one list in the facts file (codes hold no "|")
BATCH = 50_000


def _split(column: str) -> str:
    """A SEP-joined column as a list; an empty field (read as NULL) as the empty list."""
    return (
        f"CASE WHEN coalesce({column}, '') = '' THEN []::VARCHAR[] "
        f"ELSE string_split({column}, '{SEP}') END"
    )


# A person's slices (region, area, period, organisation type) from their facts, as
# maintain.contributions makes them: signals summed, the highest level, placed if any
# fact is, and the union of the codes.
SLICES = f"""
CREATE TABLE slices AS
SELECT cluster, any_value(rk) AS rk, region, area, period, org_type,
       sum(signals) AS signals, max(level) AS level, max(placed) AS placed,
       list_sort(list_distinct(flatten(list(inds)))) AS inds,
       list_sort(list_distinct(flatten(list(doms)))) AS doms,
       list_sort(list_distinct(flatten(list(phs)))) AS phs
FROM (
    SELECT cluster, rk, coalesce(region, '') AS region, coalesce(org, '') AS org, month,
           signals, level, placed,
           {_split("areas")} AS area_list, {_split("inds")} AS inds,
           {_split("doms")} AS doms, {_split("phs")} AS phs
    FROM facts
) f,
unnest(f.area_list) AS a(area),
unnest([
    '', substr(f.month, 1, 4),
    substr(f.month, 1, 4) || '-Q' || ((CAST(substr(f.month, 6, 2) AS INTEGER) - 1) // 3 + 1),
    f.month
]) AS p(period),
unnest(['', f.org]) AS o(org_type)
GROUP BY cluster, region, area, period, org_type
"""

# The cells: one row per slice and kind (maintain.kinds), counted; the pair and phenomenon
# kinds only in the slices lens.picture.cooccurrence.answered covers (TOGETHER).
_KEY = "region, area, period, org_type"
TOGETHER = "org_type = '' AND length(period) <= 4"
CELLS = f"""
SELECT {_KEY}, kind, count(*) AS persons, sum(rk) % {disclosure.KEY_MODULUS} AS cell_key,
       sum(s) AS signals
FROM (
    SELECT {_KEY}, 'n' AS kind, rk, signals AS s FROM slices
    UNION ALL SELECT {_KEY}, 'l:' || level, rk, 0 FROM slices
    UNION ALL SELECT {_KEY}, 'p', rk, 0 FROM slices WHERE placed > 0
    UNION ALL SELECT {_KEY}, 'i*', rk, 0 FROM slices WHERE len(inds) > 0
    UNION ALL SELECT {_KEY}, 'i:' || i, rk, 0 FROM slices, unnest(slices.inds) AS t(i)
    UNION ALL SELECT {_KEY}, 'd*', rk, 0 FROM slices WHERE len(doms) > 0
    UNION ALL SELECT {_KEY}, 'd:' || d, rk, 0 FROM slices, unnest(slices.doms) AS t(d)
    UNION ALL SELECT {_KEY}, 'pp*', rk, 0 FROM slices WHERE len(inds) > 1 AND {TOGETHER}
    UNION ALL SELECT {_KEY}, 'pp:' || a || '+' || b, rk, 0
        FROM slices, unnest(slices.inds) AS t1(a), unnest(slices.inds) AS t2(b)
        WHERE a < b AND {TOGETHER}
    UNION ALL SELECT {_KEY}, 'f**', rk, 0 FROM slices
        WHERE len(inds) > 0 AND len(phs) > 0 AND {TOGETHER}
    UNION ALL SELECT {_KEY}, 'f*:' || p, rk, 0
        FROM slices, unnest(slices.phs) AS t(p) WHERE len(inds) > 0 AND {TOGETHER}
    UNION ALL SELECT {_KEY}, 'fi:' || i, rk, 0
        FROM slices, unnest(slices.inds) AS t(i) WHERE len(phs) > 0 AND {TOGETHER}
    UNION ALL SELECT {_KEY}, 'f:' || p || '/' || i, rk, 0
        FROM slices, unnest(slices.phs) AS t1(p), unnest(slices.inds) AS t2(i)
        WHERE {TOGETHER}
)
GROUP BY {_KEY}, kind
"""


def _rows_by_cluster() -> Iterator[tuple[int, list[dict]]]:
    """The current registrations (the columns maintain.facts_of reads), grouped by the
    cluster of their record, streamed in cluster order."""
    rows = (
        Registration.objects.current()
        .annotate(cluster=cluster_key("person__"))
        .values("cluster", *maintain.FACT_FIELDS)
        .order_by("cluster", "person_id", "pk")
    )
    current, group = None, []
    for row in rows.iterator(chunk_size=BATCH):
        if row["cluster"] != current and group:
            yield current, group
            group = []
        current = row["cluster"]
        group.append(row)
    if group:
        yield current, group


def export(
    catalogue: Catalogue, workdir: Path, progress: Callable[[int, int], None] | None = None
) -> dict[str, int]:
    """Write the facts (for DuckDB), the states (PictureState) and the members
    (PictureMember) of every cluster with a current registration to files in `workdir`."""
    found = maintain.latest_levels(
        Person.objects.filter(pk__in=Registration.objects.current().values("person_id"))
    )
    total = len(found)
    key = secret()
    clusters = records = 0
    with (
        (workdir / "facts.csv").open("w", newline="", encoding="utf-8") as f_facts,
        (workdir / "states.csv").open("w", newline="", encoding="utf-8") as f_states,
        (workdir / "members.csv").open("w", newline="", encoding="utf-8") as f_members,
    ):
        facts_out, states_out = csv.writer(f_facts), csv.writer(f_states)
        members_out = csv.writer(f_members)
        for cluster, rows in _rows_by_cluster():
            facts = maintain.facts_of(rows, found, catalogue)  # [] when no registration is placed
            clusters += 1
            record = disclosure.record_key(cluster, key)
            for region, where, month, kind, signals, level, placed, inds, doms, phs in facts:
                facts_out.writerow(
                    [cluster, record, region, SEP.join(where), month, kind, signals, level,
                     placed, SEP.join(inds), SEP.join(doms), SEP.join(phs)]
                )  # fmt: skip
            states_out.writerow([cluster, json.dumps(facts, separators=(",", ":"))])
            for pk in sorted({row["person_id"] for row in rows}):
                members_out.writerow([pk, cluster])
                records += 1
            if progress and clusters % BATCH == 0:
                progress(records, total)
    if progress:
        progress(records, total)
    return {"persons": clusters, "records": records}


def cells(workdir: Path, closed: set[str]) -> Iterator[tuple]:
    """The cells of the facts in `workdir`, except those of closed periods: (region, area,
    period, organisation type, kind, persons, cell key, signals), in batches from DuckDB."""
    db = duckdb.connect()
    try:
        spill = workdir / "duckdb"
        spill.mkdir(exist_ok=True)
        db.execute(f"SET temp_directory = '{spill}'")
        db.execute("SET preserve_insertion_order = false")
        columns = ", ".join(f"'{name}': '{kind}'" for name, kind in FACT_COLUMNS.items())
        db.execute(
            "CREATE TABLE facts AS SELECT * FROM read_csv(?, header = false, "
            f"columns = {{{columns}}}, quote = '\"', escape = '\"')",
            [str(workdir / "facts.csv")],
        )
        db.execute(SLICES)
        db.execute("DROP TABLE facts")
        result = db.execute(CELLS)
        while batch := result.fetchmany(BATCH):
            for row in batch:
                if row[2] not in closed:
                    yield (*row[:5], int(row[5]), int(row[6]), int(row[7]))
    finally:
        db.close()


def write(workdir: Path, rows: Iterator[tuple]) -> int:
    """Insert the states, the members (files in `workdir`) and the cells (`rows`) into
    their emptied tables: COPY on PostgreSQL, batched INSERTs elsewhere. Returns the
    number of cells."""
    copy_rows(PictureState, ("cluster_id", "slices"), _csv_rows(workdir / "states.csv"))
    copy_rows(PictureMember, ("person_id", "cluster_id"), _csv_rows(workdir / "members.csv"))
    counted = [0]

    def counting() -> Iterator[tuple]:
        for row in rows:
            counted[0] += 1
            yield row

    copy_rows(
        PictureCell,
        ("region", "area", "period", "organisation_type", "kind", "persons", "cell_key",
         "signals"),
        counting(),
    )  # fmt: skip
    return counted[0]


def _csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        yield from csv.reader(handle)


def rebuild(
    include_closed: bool = False,
    progress: Callable[[int, int], None] | None = None,
    *,
    by: audit.Operator | None = None,
) -> dict[str, int | float]:
    """Recompute every state and every cell from the current registrations, set-based
    (equal to `maintain.recount`). The cells of closed periods are left as they
    are unless `include_closed` (they stay closed): that changes published figures, so
    it writes an audit record (`by`, default the command line) in the same transaction."""
    started = time.monotonic()
    closed = set() if include_closed else maintain.closed_periods()
    catalogue = services.active()[0]
    with tempfile.TemporaryDirectory(prefix="lens-picture-") as tmp, transaction.atomic():
        workdir = Path(tmp)
        # Under the catch-up's lock: the marks committed before the export reads the
        # registrations are counted by it, and cleared with the rebuild.
        marks = pending.taken()
        found = export(catalogue, workdir, progress=progress)
        PictureState.objects.all().delete()
        PictureMember.objects.all().delete()
        PictureCell.objects.exclude(period__in=closed).delete()
        written = write(workdir, cells(workdir, closed))
        pending.clear(marks)
        if include_closed:
            audit.record(
                by,
                AuditKind.CLOSED_PERIODS_REBUILT,
                "picture",
                "",
                " ".join(sorted(maintain.closed_periods())),
            )
    # Fresh statistics for the planner: without them PostgreSQL reads a view's cells by
    # skipping through the whole region's index (measured: 400 ms instead of 10 ms).
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PictureCell._meta.db_table}")
    return {
        "persons": found["persons"],
        "cells": written,
        "closed": len(closed),
        "seconds": time.monotonic() - started,
    }
