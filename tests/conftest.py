import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from lens.catalogue import loader, services


@pytest.fixture
def catalogue_dir():
    """The real catalogue folder (settings.CATALOGUE_DIR)."""
    return settings.CATALOGUE_DIR


@pytest.fixture(scope="session")
def parsed_catalogue():
    """The real catalogue files, read and validated once per test run (reading the YAML
    is most of what loading costs; tests/catalogue covers the reading itself)."""
    return loader.load_directory(settings.CATALOGUE_DIR)


@pytest.fixture
def loaded_catalogue(db, parsed_catalogue):
    """The real catalogue stored in the test database and active, as `lens catalogue
    load` leaves it; returns (Catalogue, Ruleset)."""
    services.store(parsed_catalogue)
    return services.active()


@pytest.fixture(scope="session", autouse=True)
def fast_passwords_everywhere():
    """Every test hashes passwords with MD5: only the hashing cost changes (middleware,
    apps and URLs stay lens/settings.py's own). With the production hasher, each
    user a factory made cost ~0.1 s: the retention tests took 112 s, 12 s with this.
    Set on the settings object itself, with the signal that empties the hasher cache
    (override_settings().enable() at session scope would leave DJANGO_SETTINGS_MODULE
    unset for tests/test_wiring.py)."""
    from django.test.signals import setting_changed

    before = settings.PASSWORD_HASHERS
    fast = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.PASSWORD_HASHERS = fast
    setting_changed.send(sender=None, setting="PASSWORD_HASHERS", value=fast, enter=True)
    yield
    settings.PASSWORD_HASHERS = before
    setting_changed.send(sender=None, setting="PASSWORD_HASHERS", value=before, enter=False)


@pytest.fixture(autouse=True)
def site_language():
    """Every test starts in the site's language (Dutch) and leaves no other behind: a
    test (or a request the test client made) that activated English must not change
    what the next test renders."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """SQLite: the test database in a file of its own, not in memory.

    When the database is set up before live_server starts (test_registry.py), pytest-django
    hands the in-memory database's one connection to live_server's threads: the test
    thread and every request thread then share one sqlite3 connection, and two using it at
    once fail with `sqlite3.InterfaceError: bad parameter or other API misuse` (seen: the
    browser asks for /favicon.ico after Django's plain 403 page while the test opens the
    next page). (When live_server starts first, its threads connect to the shared-cache
    in-memory database instead: which of the two depended on the fixture order of the
    first test.) A file gives each thread a connection of its own, with WAL and the busy
    timeout, as in production. It goes to /dev/shm (memory) where there is one: in /tmp
    on disk, tests/access and tests/registry took 27 s instead of 20 s.
    """
    database = settings.DATABASES["default"]
    if database["ENGINE"] == "django.db.backends.sqlite3":
        parent = _memory_folder()
        folder = Path(tempfile.mkdtemp(prefix=f"{TEST_DB_PREFIX}{os.getpid()}-", dir=parent))
        atexit.register(shutil.rmtree, folder, ignore_errors=True)
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")


TEST_DB_PREFIX = "lens-test-db-"


def _memory_folder() -> str | None:
    """/dev/shm, after removing what killed runs left there (atexit did not run)."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        return None
    for left in shm.glob(f"{TEST_DB_PREFIX}*-*"):
        pid = left.name.removeprefix(TEST_DB_PREFIX).split("-")[0]
        if pid.isdigit() and not Path(f"/proc/{pid}").exists():
            shutil.rmtree(left, ignore_errors=True)
    return str(shm)


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return "transactional_db" in request.fixturenames or bool(
        marker and marker.kwargs.get("transaction")
    )


@pytest.fixture(autouse=True)
def audit_records_emptied_after_transactional_tests(request):
    """Transactional tests (transaction=True, live_server, threads) end with Django's
    flush: DELETE per table on SQLite, TRUNCATE on PostgreSQL. The beheerder's audit
    record refuses both while it has rows (append-only triggers), and many such tests
    make audited writes in their setup (an API client, an authenticator). So empty it
    first: drop the triggers, delete, create them again, in one transaction. Requesting
    transactional_db here makes this teardown run before the flush."""
    if not _is_transactional(request):
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    import importlib

    from django.db import connection, transaction

    from lens.accounts.models import AuditRecord

    append_only = importlib.import_module("lens.accounts.migrations.0003_audit_append_only")

    class Executor:
        def __init__(self):
            self.connection = connection

        def execute(self, sql, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql, params)

    table = AuditRecord._meta.db_table
    if not AuditRecord.objects.exists():
        return
    with transaction.atomic():
        append_only.drop_triggers(Executor(), table)
        Executor().execute(f"DELETE FROM {table}")
        append_only.create_triggers(Executor(), table)
