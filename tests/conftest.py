import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from django.conf import settings

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
