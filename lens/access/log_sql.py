"""The access log's two hand-written statements (lens.access.log): the last entry's hash,
and the INSERT of a call's entries.

Written by hand because the ORM spent more time building them than the database spent
running them: a list page logs 25 entries of 17 columns, and the ORM compiled and adapted
each value on its own. Only the time and the address need the database's own form here;
the rest are text and numbers as the model holds them.
"""

from __future__ import annotations

import functools
from typing import Any

from django.db import DatabaseError, connection

from lens.access.models import AccessLogEntry


def last_hash() -> str | None:
    """The newest entry's hash (None for an empty log). Call under the chain's lock."""
    with connection.cursor() as cursor:
        cursor.execute(_last_hash_sql())
        found = cursor.fetchone()
    return found[0] if found else None


def insert(rows: list[list[Any]], fields: tuple[str, ...]) -> list[int]:
    """INSERT the rows (each the values of `fields`, in the database's form: see
    `adapted`) and return their ids: one statement, or as many as the database's limit
    of parameters asks (as `bulk_create` batches). Ids come back with RETURNING (SQLite
    3.35+, PostgreSQL), in the order of the rows, which `bulk_create` relies on too."""
    limit = connection.features.max_query_params  # None: no limit (PostgreSQL)
    size = max(1, limit // len(fields)) if limit else len(rows)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            batch = rows[start : start + size]
            cursor.execute(_insert_sql(fields, len(batch)), [v for row in batch for v in row])
            ids.extend(row[0] for row in cursor.fetchall())
    if len(ids) != len(rows):
        raise DatabaseError(f"the access log stored {len(ids)} of {len(rows)} entries")
    return ids


def adapted(name: str, value: Any) -> Any:
    """A value as the INSERT passes it: only the time and the address need the
    database's own form; the rest are text and numbers as the model holds them."""
    ops = connection.ops
    if name == "at":
        return ops.adapt_datetimefield_value(value)
    if name == "ip_address":
        return ops.adapt_ipaddressfield_value(value)
    return value


@functools.lru_cache(maxsize=64)
def _insert_sql(fields: tuple[str, ...], rows: int) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(AccessLogEntry._meta.get_field(name).column) for name in fields)
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    return (
        f"INSERT INTO {quote(AccessLogEntry._meta.db_table)} ({columns}) "
        f"VALUES {', '.join([row] * rows)} RETURNING {quote('id')}"
    )


@functools.cache
def _last_hash_sql() -> str:
    quote = connection.ops.quote_name
    return (
        f"SELECT {quote('entry_hash')} FROM {quote(AccessLogEntry._meta.db_table)} "
        f"ORDER BY {quote('id')} DESC LIMIT 1"
    )
