"""Helpers for the concurrency tests: real threads against a real database.

These tests need `transaction=True` (each thread has its own connection and must see
what the others commit). At the end Django empties the tables; the access log refuses
that (append-only triggers), so `log_emptied_afterwards` lifts the triggers for a moment
and empties it first, as tests/access/test_log.py does.
"""

from __future__ import annotations

import importlib
import os
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connection

from lens.access.models import AccessLogEntry

append_only = importlib.import_module("lens.access.migrations.0002_append_only")

on_postgresql = pytest.mark.skipif(
    "postgres" not in os.environ.get("DATABASE_URL", ""),
    reason=(
        "PostgreSQL only: SQLite runs every write transaction under one lock (BEGIN "
        "IMMEDIATE), so two writers never overlap there, and its in-memory test database "
        "answers a second thread 'table is locked' instead of waiting"
    ),
)


class _Executor:
    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


@pytest.fixture
def log_emptied_afterwards(transactional_db):
    yield
    table = AccessLogEntry._meta.db_table
    append_only.drop_triggers(_Executor(), table)
    try:
        AccessLogEntry.objects.all().delete()
    finally:
        append_only.create_triggers(_Executor(), table)


def at_once(*calls: Callable[[], Any]) -> list[Any]:
    """Run the calls in threads that start together; each result, or the exception it
    raised. Every thread closes its own database connection."""
    start = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        try:
            start.wait()
            return call()
        except Exception as error:
            return error
        finally:
            connection.close()

    with ThreadPoolExecutor(len(calls)) as pool:
        return list(pool.map(run, calls))
