"""Backups that restore (`lens backup`, `lens restore`).

SQLite: a copy made with SQLite's online backup API (consistent while the application
writes). PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore`. A backup
holds the database only: the identity master keys, the match key and the access-log key
live in the environment (or a key file), never in the database, so a stolen backup
holds no readable identity (README, "Backups").

A restore goes into an empty database only; after it, the schema is brought up to date,
every record a tombstone names is deleted again (lens.retention.reapply) and the id
counters pass every tombstoned id, all before the application serves.
"""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import time
from collections import Counter
from pathlib import Path

from django.core.management import call_command
from django.db import connection, models

from lens.retention import journal, reapply
from lens.retention.models import Tombstone

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"


class BackupError(Exception):
    """A backup or restore that cannot go ahead; the message says why in one line."""


def engine() -> str:
    return "sqlite" if connection.vendor == "sqlite" else "postgresql"


def format_of(path: Path) -> str | None:
    """ "sqlite", "postgresql" or None, from the file's first bytes."""
    try:
        with path.open("rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except (FileNotFoundError, IsADirectoryError):
        return None
    if head.startswith(SQLITE_MAGIC):
        return "sqlite"
    if head.startswith(PG_MAGIC):
        return "postgresql"
    return None


def _pg_env() -> dict[str, str]:
    db = connection.settings_dict
    env = dict(os.environ)
    for name, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER")):
        if db.get(key):
            env[name] = str(db[key])
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _output(command: list[str], failed: str = "") -> str:
    """Run a PostgreSQL client program; its standard output, or BackupError with the first
    line of its complaint (after `failed` when given)."""
    try:
        done = subprocess.run(command, env=_pg_env(), capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{command[0]} is not installed (Debian: apt-get install postgresql-client)."
        ) from None
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit {done.returncode}"]
        raise BackupError(f"{failed or command[0] + ' failed'}: {lines[0]}")
    return done.stdout


def _run(command: list[str]) -> None:
    _output(command)


def backup(output: Path) -> None:
    """Write a backup of the database to `output` (a new file)."""
    if output.exists():
        raise BackupError(f"{output} exists already; a backup never overwrites a file.")
    if not output.parent.is_dir():
        raise BackupError(f"{output.parent} is not a directory; the backup needs one.")
    partial = output.with_name(output.name + ".partial")
    try:
        _write(output, partial)
    except (OSError, sqlite3.Error) as exc:
        raise BackupError(f"could not write {output}: {exc}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _write(output: Path, partial: Path) -> None:
    if engine() == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(partial)
        try:
            connection.connection.backup(target)
            # One self-contained file (no write-ahead log beside it).
            target.execute("PRAGMA journal_mode=DELETE")
        finally:
            target.close()
    else:
        name = connection.settings_dict["NAME"]
        _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", name])
    os.chmod(partial, 0o600)  # person data, if pseudonymised and sealed
    partial.rename(output)


# A table every backup of this application holds: a file without it is another database.
MARK_TABLE = "registry_person"


def check_source(source: Path) -> str:
    """The backup's engine ("sqlite" or "postgresql") once `source` is a whole backup of
    this application; BackupError with the reason otherwise. Reads only."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist (or is not a file).")
    kind = format_of(source)
    if kind is None:
        raise BackupError(f"{source} is not a backup made by `lens backup`.")
    if kind == "sqlite":
        try:
            found = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
            try:
                damage = found.execute("PRAGMA quick_check").fetchone()[0]
                names = {r[0] for r in found.execute("SELECT name FROM sqlite_master")}
            finally:
                found.close()
        except sqlite3.Error as exc:
            raise BackupError(f"{source} is damaged: {exc}.") from None
        if damage != "ok":
            raise BackupError(f"{source} is damaged: {damage}.")
    else:
        # The whole file read once (to no database): a truncated dump fails here.
        _output(["pg_restore", "--file=/dev/null", str(source)], f"{source} is damaged")
        listing = _output(["pg_restore", "--list", str(source)], f"{source} is damaged")
        # "215; 1259 16390 TABLE public registry_person postgres"
        names = set(re.findall(r"; \d+ \d+ TABLE \S+ (\S+)", listing))
    if MARK_TABLE not in names:
        raise BackupError(
            f"{source} is not a backup made by `lens backup` (it holds no {MARK_TABLE} table)."
        )
    return kind


def tables() -> list[str]:
    with connection.cursor() as cursor:
        return connection.introspection.table_names(cursor)


def restore(source: Path, journals: list[Path]) -> Counter:
    """Restore `source` into the (empty) database, then apply the tombstones of the
    restored database and of `journals`. Returns {kind: records deleted again}."""
    kind = check_source(source)
    try:  # before anything is written: a journal that cannot be read stops the restore
        entries = journal.entries(journals)
    except journal.JournalError as exc:
        raise BackupError(str(exc)) from None
    if kind != engine():
        raise BackupError(f"{source} is a {kind} backup; this database is {engine()}.")
    present = tables()
    if present:
        raise BackupError(
            f"the database is not empty ({len(present)} tables): restore only into a new, "
            "empty database (e.g. createdb, or a new SQLite file)."
        )
    if kind == "sqlite":
        connection.ensure_connection()
        backup_file = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
        try:
            backup_file.backup(connection.connection)
        finally:
            backup_file.close()
        connection.close()  # the next connection sets WAL and the pragmas again
    else:
        connection.close()
        name = connection.settings_dict["NAME"]
        _run(
            [
                "pg_restore",
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                "--single-transaction",
                f"--dbname={name}",
                str(source),
            ]
        )
    # A backup of an older version: the tables as this version has them.
    call_command("migrate", interactive=False, verbosity=0)
    entries += [
        {"kind": k, "record_id": pk, "rule": rule, "deleted_at": at.isoformat()}
        for k, pk, rule, at in Tombstone.objects.values_list(
            "kind", "record_id", "rule", "deleted_at"
        )
    ]
    move_counters_past(reapply.highest_ids(entries))
    return reapply.reapply(entries)


def move_counters_past(highest: dict[type[models.Model], int]) -> None:
    """Let each table's next id be past its highest tombstoned id, so a new record never
    gets the id of a deleted one (which a later restore would delete again)."""
    with connection.cursor() as cursor:
        for model, top in highest.items():
            table = model._meta.db_table
            column = model._meta.pk.column
            if engine() == "sqlite":
                cursor.execute(
                    "UPDATE sqlite_sequence SET seq = MAX(seq, %s) WHERE name = %s", [top, table]
                )
                if cursor.rowcount == 0:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top]
                    )
            else:
                quoted = connection.ops.quote_name(table)
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                    f"GREATEST(%s, (SELECT COALESCE(MAX({connection.ops.quote_name(column)}), 0) "
                    f"FROM {quoted})))",
                    [table, column, top],
                )


def prune(directory: Path, days: int, now: float | None = None) -> list[Path]:
    """Delete the backups in `directory` older than `days` (by modification time); other
    files stay. Returns the deleted paths."""
    if not directory.is_dir():
        raise BackupError(f"{directory} is not a directory.")
    cutoff = (now or time.time()) - days * 86400
    gone = []
    for path in sorted(directory.iterdir()):
        if path.is_file() and format_of(path) and path.stat().st_mtime < cutoff:
            path.unlink()
            gone.append(path)
    return gone
