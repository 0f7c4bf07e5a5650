"""The restore drill: demo data -> backup -> an erasure after the backup -> restore into a
fresh database -> the same persons, registrations and outcomes as the live database, the
erased person gone, the access log's chain intact, an identity opened with the keys.
On SQLite and on PostgreSQL (whichever the suite runs on)."""

from __future__ import annotations

import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from lens.data.registry import Person
from lens.ops import backup
from tests.concurrency import log_emptied_afterwards  # noqa: F401 (a fixture)
from tests.ops import drill
from tests.ops.processes import LENS, database_url, lens_env

pytestmark = pytest.mark.django_db(transaction=True)
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def fresh_database(tmp_path):
    """The URL of a new, empty database beside the test database."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"h_serve_restore_{os.getpid()}"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {name}")
        cursor.execute(f"CREATE DATABASE {name}")
    try:
        yield database_url().rsplit("/", 1)[0] + f"/{name}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def demo_data(settings, tmp_path):
    settings.DEMO_MODE, settings.DEBUG = True, True
    settings.TOMBSTONE_JOURNAL = str(tmp_path / "tombstones.jsonl")
    call_command("demo", "--persons", "12", stdout=io.StringIO())
    settings.DEMO_MODE, settings.DEBUG = False, False
    return Path(settings.TOMBSTONE_JOURNAL)


def lens(*args: str, url: str, journal: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [LENS, *args],
        env=lens_env(DATABASE_URL=url, TOMBSTONE_JOURNAL=str(journal)),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.usefixtures("log_emptied_afterwards")
def test_restore_drill(demo_data, fresh_database, tmp_path):
    journal = demo_data
    kept, erased = Person.objects.order_by("pk").values_list("pseudonym", flat=True)[:2]
    before = drill.summary(kept)
    assert len(before["persons"]) >= 12 and before["registrations"] and before["outcomes"]

    call_command("backup", output=str(tmp_path / "lens.backup"), stdout=io.StringIO())
    call_command("retention", "erase", erased, "--reason", "verzoek 2026-17", stdout=io.StringIO())
    live = drill.summary(kept)
    assert len(live["persons"]) == len(before["persons"]) - 1
    assert journal.read_text().count('"kind": "person"') == 1

    restored = lens("restore", str(tmp_path / "lens.backup"), url=fresh_database, journal=journal)
    assert restored.returncode == 0, restored.stderr
    assert "person: 1" in restored.stdout  # the erased person, deleted again

    shown = subprocess.run(
        [sys.executable, "-m", "tests.ops.drill", kept],
        env=lens_env(DATABASE_URL=fresh_database),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    after = json.loads(shown.stdout)
    assert after == json.loads(json.dumps(live))  # persons, registrations, outcomes, identity
    assert any(erased in row for row in before["persons"])
    assert not any(erased in row for row in after["persons"])
    assert after["identity"] == before["identity"]  # opened with the keys, not the backup

    verified = lens("accesslog", "verify", url=fresh_database, journal=journal)
    assert verified.returncode == 0, verified.stdout + verified.stderr

    again = lens("restore", str(tmp_path / "lens.backup"), url=fresh_database, journal=journal)
    assert again.returncode == 1
    assert again.stderr.startswith("lens: the database is not empty (")
    assert again.stderr.count("\n") == 1


def test_a_backup_is_refused_into_a_database_with_tables(tmp_path, loaded_catalogue):
    call_command("backup", output=str(tmp_path / "b"), stdout=io.StringIO())
    assert backup.format_of(tmp_path / "b") == (
        "sqlite" if connection.vendor == "sqlite" else "postgresql"
    )
    with pytest.raises(CommandError, match=r"^the database is not empty \(\d+ tables\)"):
        call_command("restore", str(tmp_path / "b"), stdout=io.StringIO(), stderr=io.StringIO())
    with pytest.raises(CommandError, match="exists already"):
        call_command("backup", output=str(tmp_path / "b"), stdout=io.StringIO())
    (tmp_path / "notes.txt").write_text("not a backup")
    with pytest.raises(CommandError, match="is not a backup made by `lens backup`"):
        call_command("restore", str(tmp_path / "notes.txt"), stderr=io.StringIO())


def test_prune_deletes_only_backups_past_the_period(tmp_path, settings, loaded_catalogue):
    settings.BACKUP_RETENTION_DAYS = 30
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in ("old.backup", "new.backup"):
        call_command("backup", output=str(folder / name), stdout=io.StringIO())
    (folder / "old.txt").write_text("not a backup")
    month_ago = time.time() - 31 * 86400
    for name in ("old.backup", "old.txt"):
        os.utime(folder / name, (month_ago, month_ago))
    out = io.StringIO()
    call_command("backup", "prune", str(folder), stdout=out)
    assert sorted(p.name for p in folder.iterdir()) == ["new.backup", "old.txt"]
    assert "1 backup(s) older than 30 days deleted." in out.getvalue()


def restore_refused(*args: str) -> str:
    """The one line a refused restore says (and nothing before it on stderr)."""
    err = io.StringIO()
    with pytest.raises(CommandError) as refused:
        call_command("restore", *args, stdout=io.StringIO(), stderr=err)
    assert err.getvalue() == ""
    return str(refused.value)


def test_restore_refuses_what_is_not_a_whole_backup_before_anything_is_written(
    tmp_path, loaded_catalogue
):
    """A missing file, another application's database and a truncated backup are each
    refused in one line naming why, before the database is looked at (this one is not
    empty: that refusal would come next)."""
    assert restore_refused(str(tmp_path / "missing.backup")) == (
        f"{tmp_path / 'missing.backup'} does not exist (or is not a file)."
    )
    other = tmp_path / "other.sqlite3"
    with sqlite3.connect(other) as foreign:
        foreign.execute("CREATE TABLE t (x INTEGER)")
    assert "holds no registry_person table" in restore_refused(str(other))
    whole = tmp_path / "whole.backup"
    call_command("backup", output=str(whole), stdout=io.StringIO())
    cut = tmp_path / "cut.backup"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 3])
    message = restore_refused(str(cut))
    assert message.startswith(f"{cut} is damaged") and "\n" not in message


def test_a_journal_named_on_the_command_line_must_be_there_and_whole(tmp_path, loaded_catalogue):
    whole = tmp_path / "whole.backup"
    call_command("backup", output=str(whole), stdout=io.StringIO())
    missing = tmp_path / "tombstones.jsonl"
    assert restore_refused(str(whole), "--journal", str(missing)).startswith(
        f"{missing} does not exist (or is not a file): a tombstone journal named with --journal"
    )
    readme = tmp_path / "README.md"
    readme.write_text("# Not a journal\n\nSome text.\n")
    assert restore_refused(str(whole), "--journal", str(readme)) == (
        f"{readme}:1: not a tombstone entry (kind, record_id, rule, deleted_at)."
    )


def test_a_backup_into_a_missing_folder_says_so(tmp_path, loaded_catalogue):
    with pytest.raises(CommandError, match=r"is not a directory; the backup needs one\.$"):
        call_command("backup", output=str(tmp_path / "no" / "x.backup"), stdout=io.StringIO())
    assert not (tmp_path / "no").exists()
