"""Adding a delta to the cells in bulk (lens.picture.maintain.apply): an upsert that adds
(`INSERT ... ON CONFLICT DO UPDATE SET persons = persons + excluded.persons, ...`).

On PostgreSQL the rows go as one JSON array a statement (`json_array_elements`): one
parameter instead of eight a row. (A catch-up of 200 fresh persons writes about 46,000
cell rows; as VALUES lists of 500 rows the driver spent 8 of 14 s splitting the
statements' 4,000 placeholders each, and as eight arrays through `unnest` still 2.6 s
adapting the lists: scripts/bench_recompute.py.) Elsewhere (SQLite) VALUES lists, bound by
the database itself.
"""

from __future__ import annotations

import json

from django.db import connection

from lens.insight import disclosure

from .models import PictureCell

MODULUS = disclosure.KEY_MODULUS
COLUMNS = "region, area, period, organisation_type, kind, persons, cell_key, signals"
TYPES = ("text", "text", "text", "text", "text", "integer", "bigint", "bigint")
JSON_BATCH = 20000  # rows a statement on PostgreSQL


def _adding(table: str) -> str:
    return (
        "ON CONFLICT (region, area, period, organisation_type, kind) DO UPDATE SET "
        f"persons = {table}.persons + excluded.persons, "
        f"cell_key = ({table}.cell_key + excluded.cell_key) %% {MODULUS}, "
        f"signals = {table}.signals + excluded.signals"
    )


def add(rows: list[tuple], batch: int = 500) -> None:
    """Add these (region, area, period, organisation type, kind, persons, cell key,
    signals) rows to the cells, each cell once in `rows`."""
    table = PictureCell._meta.db_table
    rows = sorted(rows)  # one order for every writer
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            fields = ", ".join(f"(r->>{i})::{kind}" for i, kind in enumerate(TYPES))
            for start in range(0, len(rows), JSON_BATCH):
                chunk = rows[start : start + JSON_BATCH]
                cursor.execute(
                    f"INSERT INTO {table} ({COLUMNS}) SELECT {fields} "
                    "FROM json_array_elements(%s::json) AS r " + _adding(table),
                    [json.dumps(chunk)],
                )
            return
        for start in range(0, len(rows), batch):
            chunk = rows[start : start + batch]
            values = ", ".join(["(%s, %s, %s, %s, %s, %s, %s, %s)"] * len(chunk))
            cursor.execute(
                f"INSERT INTO {table} ({COLUMNS}) VALUES {values} " + _adding(table),
                [value for row in chunk for value in row],
            )
