"""A read of person data waits for the write lock (its access-log entry is written in the
read's transaction). When another connection holds that lock past the timeout, the page
answers 503 with Retry-After and a Dutch message, the API 503 with a JSON reason; nothing
is written, and the same request succeeds once the lock is free. Through the real
URLconf; the other connection is real (SQLite: BEGIN IMMEDIATE on the same file;
PostgreSQL: a lock on the access log's table), the timeout on the test's own connection
short (SQLite's busy_timeout, PostgreSQL's lock_timeout) so the test waits 0.2 s, not the
configured SQLITE_BUSY_TIMEOUT."""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext

from lens.access.models import AccessLogEntry
from lens.data.registry import Role
from tests.api.conftest import Api, error
from tests.api.factories import make_client
from tests.concurrency import log_emptied_afterwards  # noqa: F401 - a fixture, used by name

from .test_views import text, url

pytestmark = pytest.mark.django_db(transaction=True)

BUSY = "Your request could not be handled in time because many people are using the lens at once. Nothing was saved. Wait a few seconds and try again."  # noqa: E501


@contextmanager
def write_lock_held_elsewhere():
    """Another connection holds the write lock; this one waits 0.2 s for it at most."""
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout=200")
        other = sqlite3.connect(connection.settings_dict["NAME"], isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            other.execute("ROLLBACK")
            other.close()
        return
    import psycopg

    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = '200ms'")
    params = connection.get_connection_params()
    with psycopg.connect(**params) as other:  # a transaction until the block ends
        other.execute(f"LOCK TABLE {AccessLogEntry._meta.db_table} IN EXCLUSIVE MODE")
        yield
        other.rollback()
    with connection.cursor() as cursor:
        cursor.execute("SET lock_timeout = 0")


def test_a_read_that_waits_in_vain_for_the_lock_is_a_503_and_writes_nothing(
    world,
    login,
    log_emptied_afterwards,  # noqa: F811 - the fixture imported above
):
    professional = login(world.members[Role.PROFESSIONAL])
    page = url("registry:person", pseudonym=world.own_person.pseudonym)
    api = Api(make_client(world.own)[1])
    logged = AccessLogEntry.objects.count()
    with write_lock_held_elsewhere():
        response = professional.get(page)
        answered = api.get(f"/persons/{world.own_person.pseudonym}")
    assert response.status_code == 503 and response["Retry-After"] == "5"
    with translation.override("nl"):
        assert gettext(BUSY) in text(response) and gettext(BUSY) != BUSY
    assert answered.status_code == 503 and answered["Retry-After"] == "5"
    assert error(answered)["code"] == "busy"
    assert AccessLogEntry.objects.count() == logged  # nothing half-written
    assert professional.get(page).status_code == 200  # sent again: it works
    assert AccessLogEntry.objects.count() > logged
