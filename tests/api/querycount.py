"""Counting an API request's queries without the throttle's housekeeping.

The API's rate limit counts in the database (lens.api.throttling): the first request of a
new window also deletes every ended window, and the database cache (lens_cache) deletes an
expired entry when it reads it. Whether a request is that first one depends on the clock,
not on the code under test: a fresh-clone run under load counted [24, 23] for two equal
reports. These deletes are left out; every other query, the throttle's own count included,
is counted.
"""

from __future__ import annotations

import re
from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from lens.api.models import ThrottleCount

THROTTLE_TABLE = re.escape(ThrottleCount._meta.db_table)
HOUSEKEEPING = re.compile(rf'^\s*DELETE\s+FROM\s+"?(lens_cache|{THROTTLE_TABLE})"?', re.IGNORECASE)


def counted(queries: CaptureQueriesContext) -> int:
    """The number of queries captured, the clock's housekeeping deletes left out."""
    return sum(not HOUSEKEEPING.match(q["sql"]) for q in queries.captured_queries)


@contextmanager
def at_most(bound: int):
    """Fails if the block ran more than `bound` queries (housekeeping deletes left out)."""
    with CaptureQueriesContext(connection) as queries:
        yield queries
    n = counted(queries)
    assert n <= bound, f"{n} queries, at most {bound} expected:\n" + "\n".join(
        q["sql"] for q in queries.captured_queries
    )
