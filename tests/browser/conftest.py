"""Playwright (sync API) against pytest-django's live_server, with Debian's chromium.

Screenshots go to test-artifacts/ (gitignored) at the repository root: look at them after
a change to the templates or CSS, and after upgrading the vendored NL Design System CSS.
"""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest
from django.db import connection, transaction

# Playwright's sync API runs an event loop in this thread; Django refuses database
# access from a thread with a running loop unless told that it is safe (it is: the loop
# only drives the browser).
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (scripts/system-deps.sh).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def site(live_server, loaded_catalogue):
    """The live server's base URL, with the real catalogue loaded."""
    return live_server.url


# The migration that makes the access log append-only; its trigger helpers are reused here.
append_only = importlib.import_module("lens.access.migrations.0002_append_only")


class _Executor:
    """What the migration's trigger helpers need from a schema editor: a connection and
    execute(). (A real schema editor cannot be opened inside a transaction on SQLite.)"""

    connection = connection

    def execute(self, sql, params=()):
        with connection.cursor() as cursor:
            cursor.execute(sql, params)


def empty_access_log() -> None:
    """Remove every access-log entry: drop the append-only triggers, delete, recreate them.

    One transaction (both databases have transactional DDL): if anything fails, the
    triggers and the entries are back as they were.
    """
    from lens.access.models import AccessLogEntry

    table = AccessLogEntry._meta.db_table
    with transaction.atomic():
        append_only.drop_triggers(_Executor(), table)
        _Executor().execute(f"DELETE FROM {table}")
        append_only.create_triggers(_Executor(), table)
    present = _triggers(table)
    expected = set(
        append_only.SQLITE_TRIGGERS
        if connection.vendor == "sqlite"
        else append_only.POSTGRESQL_TRIGGERS
    )
    assert present == expected, f"append-only triggers after emptying the log: {present}"


def _triggers(table: str) -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
                [table],
            )
        else:
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal",
                [table],
            )
        return {row[0] for row in cursor.fetchall()}


@pytest.fixture
def access_log_emptied_afterwards(transactional_db):
    """For live_server tests whose pages write access-log entries (the registry).

    live_server runs on a transactional database that Django flushes after the test:
    DELETE per table on SQLite, one TRUNCATE on PostgreSQL. The append-only triggers
    refuse both while the log has rows, so the flush would fail and leave data behind.
    This empties the log first (it depends on transactional_db, so its teardown runs
    before the flush). Not autouse: the signal check writes no entries.
    """
    yield
    empty_access_log()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


def run_axe(page, incomplete: bool = True) -> list[dict]:
    """axe-core's WCAG 2.2 A/AA problems on the current page (re-inject per page).

    Returns the violations plus the "incomplete" results (what axe could not decide,
    e.g. contrast over a gradient): both need a person to look, so both fail the test.
    """
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    assert result["passes"], "axe checked nothing: is the page empty?"
    if not incomplete:
        return result["violations"]
    return result["violations"] + [
        {**item, "impact": f"needs review, {item.get('impact')}"} for item in result["incomplete"]
    ]


def describe(violations: list[dict]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(n["target"]) for n in v["nodes"][:5])
        for v in violations
    )
