"""Many plain rows into one table at once, for the set-based paths (the local picture's
rebuild, the bulk recompute): COPY on PostgreSQL, batched INSERTs elsewhere. No model
instances, no signals, no per-field preparation: the caller gives database values."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection, models

BATCH = 50_000  # rows per executemany outside PostgreSQL


def copy_rows(model: type[models.Model], fields: tuple[str, ...], rows: Iterable) -> None:
    """Insert `rows` (one value per name in `fields`: field names or column names) into
    `model`'s table; the other columns take their database defaults (NULL)."""
    table = model._meta.db_table
    columns = ", ".join(model._meta.get_field(name).column for name in fields)
    if connection.vendor == "postgresql":
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                copy.write_row(row)
        return
    statement = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        batch = []
        for row in rows:
            batch.append(row)
            if len(batch) == BATCH:
                cursor.executemany(statement, batch)
                batch = []
        if batch:
            cursor.executemany(statement, batch)
