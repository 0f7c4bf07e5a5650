"""Multi-row INSERTs for the batch match run's writes (lens.coordination.batch, notify).

The ORM's bulk_create prepares each value of each row field by field, and a cursor's
executemany makes one round trip per row on PostgreSQL: for the thousands of candidates
and work-list lines of one run, either cost more than the comparisons. Here one INSERT
carries as many rows as the database's limit of parameters allows. The values must be
ready for the database (connection.ops / Field.get_db_prep_save).
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import connection, models


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[tuple]) -> None:
    """INSERT `rows` (one value per name in `fields`) into `model`'s table."""
    if not rows:
        return
    meta = model._meta
    quote = connection.ops.quote_name
    columns = ", ".join(quote(meta.get_field(name).column) for name in fields)
    limit = connection.features.max_query_params or 65_535
    per_statement = max(1, min(1000, limit // len(fields)))
    one_row = f"({', '.join(['%s'] * len(fields))})"
    with connection.cursor() as cursor:
        for start in range(0, len(rows), per_statement):
            chunk = rows[start : start + per_statement]
            cursor.execute(
                f"INSERT INTO {quote(meta.db_table)} ({columns}) "
                f"VALUES {', '.join([one_row] * len(chunk))}",
                [value for row in chunk for value in row],
            )
