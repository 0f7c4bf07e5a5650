#!/usr/bin/env python3
"""Tampering trial: how many random single-row tamperings of the access log does
`verify` find? A script, not a test: it prints figures (tests/core runs it briefly).

    .venv/bin/python scripts/tamper_accesslog.py [--count 1000] [--seed 1] [--persons 8]

It builds a demo database (`lens demo`), copies it (SQLite: a file copy through SQLite's
backup; PostgreSQL, when DATABASE_URL is set: CREATE DATABASE ... TEMPLATE, into
databases named tamper_<pid>_...) and on the copy applies each tampering the way an
attacker with database access would: drop the append-only triggers, change one row
with SQL. Then it runs verify() twice: without and with the hash of the newest entry
noted before (`lens accesslog verify --expect-head`). Each tampering runs in its own
transaction that is rolled back afterwards, so every one starts from the same intact
copy (checked at the start and the end).

Kinds: change (each column, a value of its own type), malformed (a value record()
cannot write: text in an integer column, 1.5, a blob, an address that is none, a time
in another spelling, NULL where the column has none, ...), delete (a row in the middle,
the oldest, the newest), insert (a forged row in the middle or at the end, hashed with a
guessed key), reorder (two rows swap ids, a row moves elsewhere).

Expected: every tampering found, except the removal of the newest entries without the
noted hash (an intact shorter chain; the README explains it): those are found with it.
Exit status 1 if verify crashed or missed anything else.
"""

from __future__ import annotations

import argparse
import collections
import importlib
import os
import random
import shutil
import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Removing the newest entries leaves an intact chain: only the noted head shows it.
ONLY_WITH_HEAD = {"delete newest"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1000, help="tamperings (default 1000)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--persons", type=int, default=8, help="demo persons (default 8)")
    args = parser.parse_args()
    if args.count < 1:
        parser.error("--count must be at least 1")

    var_dir = tempfile.mkdtemp(prefix="lens-tamper-")
    os.environ["DJANGO_SETTINGS_MODULE"] = "lens.settings"
    os.environ["DEBUG"] = "1"
    os.environ["DEMO_MODE"] = "1"
    os.environ["VAR_DIR"] = var_dir
    os.environ["LOG_LEVEL"] = "WARNING"

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    creation = connection.creation
    test_settings = connection.settings_dict.setdefault("TEST", {})
    prefix = f"tamper_{os.getpid()}"
    if connection.vendor == "sqlite":
        test_settings["NAME"] = str(Path(var_dir) / "demo.sqlite3")
    else:
        test_settings["NAME"] = f"{prefix}_demo"
    old_name = connection.settings_dict["NAME"]
    source = creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    copy = None
    try:
        with open(os.devnull, "w") as quiet:
            call_command("demo", persons=args.persons, verbosity=0, stdout=quiet)
        copy = _copy(connection, source, var_dir, prefix)
        return run(args, connection)
    finally:
        connection.close()
        if copy is not None and connection.vendor == "postgresql":
            _drop_database(connection, copy)
        connection.settings_dict["NAME"] = source
        creation.destroy_test_db(old_name, verbosity=0)
        shutil.rmtree(var_dir, ignore_errors=True)


def _copy(connection, source: str, var_dir: str, prefix: str) -> str:
    """Copy the demo database and point the connection at the copy; returns its name."""
    connection.close()
    if connection.vendor == "sqlite":
        copy = str(Path(var_dir) / "copy.sqlite3")
        with sqlite3.connect(source) as original, sqlite3.connect(copy) as target:
            original.backup(target)
    else:
        copy = f"{prefix}_copy"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{source}"')
    connection.settings_dict["NAME"] = copy
    return copy


def _drop_database(connection, name: str) -> None:
    connection.close()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


def run(args, connection) -> int:
    from django.db import transaction

    from lens.access.models import AccessLogEntry
    from lens.access.verify import head
    from lens.access.verify import verify as verify_log

    rows = AccessLogEntry.objects.count()
    first = verify_log()
    newest = head()
    if first or newest is None:
        print(f"The demo's access log is not intact or empty: {first[:3]}")
        return 1
    noted = newest[1]
    tamperer = Tamperer(connection, random.Random(args.seed))
    tried = collections.Counter()
    found = collections.Counter()
    found_with_head = collections.Counter()
    crashed: list[str] = []
    for _ in range(args.count):
        with transaction.atomic():
            kind = tamperer.apply()
            tried[kind] += 1
            for expect_head, tally in ((None, found), (noted, found_with_head)):
                try:
                    problems = verify_log(expect_head)
                except Exception as error:  # a crash is what this trial looks for
                    crashed.append(f"{kind}: {type(error).__name__}: {error}")
                    break
                if problems:
                    tally[kind] += 1
            transaction.set_rollback(True)
    last = verify_log(noted)

    total = sum(tried.values())
    missed = {kind: tried[kind] - found[kind] for kind in tried if found[kind] < tried[kind]}
    missed_with_head = {
        kind: tried[kind] - found_with_head[kind]
        for kind in tried
        if found_with_head[kind] < tried[kind]
    }
    print(
        f"Tampering trial on {connection.vendor}: a demo access log of {rows} entries, "
        f"{total} single-row tamperings (seed {args.seed})"
    )
    print(f"kinds: {len(tried)}; per group: {dict(sorted(_groups(tried).items()))}")
    print(
        f"without --expect-head: tried {total}, found {sum(found.values())}, "
        f"missed {sum(missed.values())}{_listed(missed)}, crashed {len(crashed)}"
    )
    print(
        f"with --expect-head:    tried {total}, found {sum(found_with_head.values())}, "
        f"missed {sum(missed_with_head.values())}{_listed(missed_with_head)}, "
        f"crashed {len(crashed)}"
    )
    for line in crashed[:10]:
        print(f"  crash: {line}")
    print(f"copy intact after the trial: {'yes' if not last else 'NO: ' + last[0]}")
    unexpected = {kind for kind in missed if kind not in ONLY_WITH_HEAD} | set(missed_with_head)
    ok = not crashed and not unexpected and not last
    print("result: " + ("as expected" if ok else f"NOT as expected: {sorted(unexpected)}"))
    return 0 if ok else 1


def _groups(counter) -> dict[str, int]:
    groups: dict[str, int] = collections.Counter()
    for kind, number in counter.items():
        groups[kind.split()[0]] += number
    return groups


def _listed(missed: dict[str, int]) -> str:
    return " (" + ", ".join(f"{k}: {n}" for k, n in sorted(missed.items())) + ")" if missed else ""


class Tamperer:
    """Applies one random single-row tampering inside the caller's transaction."""

    def __init__(self, connection, rng: random.Random) -> None:
        from lens.access.log import HASHED_FIELDS
        from lens.access.models import AccessLogEntry

        self.connection = connection
        self.rng = rng
        self.table = AccessLogEntry._meta.db_table
        self.columns = ("id", *HASHED_FIELDS, "entry_hash")
        self.append_only = importlib.import_module("lens.access.migrations.0002_append_only")
        self.sqlite = connection.vendor == "sqlite"
        # Each group about as often as its kinds deserve, then a kind within it.
        self.groups = {
            "change": [f"change {name}" for name in self.columns[1:]],
            "malformed": [f"malformed {name}" for name in self.columns[1:]],
            "delete": ["delete middle", "delete oldest", "delete newest"],
            "insert": ["insert middle", "insert end"],
            "reorder": ["reorder swap", "reorder move"],
        }
        self.weights = {"change": 3, "malformed": 3, "delete": 2, "insert": 1, "reorder": 1}

    def apply(self) -> str:
        from django.db import DatabaseError, transaction

        self.append_only.drop_triggers(self, self.table)
        while True:
            group = self.rng.choices(list(self.weights), list(self.weights.values()))[0]
            kind = self.rng.choice(self.groups[group])
            try:
                with transaction.atomic():  # a savepoint: a refused statement is undone
                    if self._tamper(kind):
                        return kind
            except DatabaseError:
                pass  # the database refused this value (its own type check): another

    # What the migration's trigger helpers need from a schema editor.
    def execute(self, sql, params=()) -> None:
        with self.connection.cursor() as cursor:
            cursor.execute(sql, params)

    def _rows(self) -> list[tuple]:
        """The rows as stored (as verify reads them: past the sqlite3 module's converter,
        which would read two spellings of one time alike)."""
        names = list(self.columns)
        names[1] = (
            "CASE typeof(at) WHEN 'text' THEN at ELSE CAST(at AS BLOB) END"
            if self.sqlite
            else "at::text"
        )
        with self.connection.cursor() as cursor:
            cursor.execute(f"SELECT {', '.join(names)} FROM {self.table} ORDER BY id")
            return cursor.fetchall()

    def _tamper(self, kind: str) -> bool:
        """Apply `kind` to a random row; False when it would change nothing."""
        rows = self._rows()
        ids = [row[0] for row in rows]
        action, _, column = kind.partition(" ")
        if action in ("change", "malformed"):
            row = self.rng.choice(rows)
            old = row[self.columns.index(column)]
            new = (self._changed if action == "change" else self._malformed)(column, old)
            if new is _SKIP:
                return False
            value, sql = new
            if sql is None:
                self.execute(
                    f"UPDATE {self.table} SET {column} = %s WHERE id = %s", [value, row[0]]
                )
            else:
                self.execute(f"UPDATE {self.table} SET {column} = {sql} WHERE id = %s", [row[0]])
            return self._rows() != rows
        if kind == "delete middle":
            self.execute(f"DELETE FROM {self.table} WHERE id = %s", [self.rng.choice(ids[1:-1])])
        elif kind == "delete oldest":
            self.execute(f"DELETE FROM {self.table} WHERE id <= %s", [ids[self.rng.randrange(3)]])
        elif kind == "delete newest":
            self.execute(f"DELETE FROM {self.table} WHERE id >= %s", [ids[-self.rng.randint(1, 3)]])
        elif kind.startswith("insert"):
            self._insert(rows, at_end=kind == "insert end")
        elif kind == "reorder swap":
            first, second = sorted(self.rng.sample(ids, 2))
            parked = max(ids) + 10
            self.execute(f"UPDATE {self.table} SET id = %s WHERE id = %s", [parked, first])
            self.execute(f"UPDATE {self.table} SET id = %s WHERE id = %s", [first, second])
            self.execute(f"UPDATE {self.table} SET id = %s WHERE id = %s", [second, parked])
        elif kind == "reorder move":
            # A row moved behind another one (ids are not hashed: a new id that keeps the
            # order changes nothing the log asserts, so the move always passes a neighbour).
            moved = self.rng.choice(ids[:-1])
            target = self.rng.choice([i for i in ids if i > moved])
            self.execute(f"UPDATE {self.table} SET id = id + 100000 WHERE id > %s", [target])
            self.execute(f"UPDATE {self.table} SET id = %s WHERE id = %s", [target + 1, moved])
        return True

    def _insert(self, rows: list[tuple], at_end: bool) -> None:
        from types import SimpleNamespace

        from django.db.models.fields import DateTimeField

        from lens.access import log
        from lens.access.verify import _typed

        index = len(rows) - 1 if at_end else self.rng.randrange(len(rows) - 1)
        _id, model, _reasons = _typed(dict(zip(self.columns, rows[index], strict=True)))
        forged = SimpleNamespace(**vars(model))
        forged.purpose = self.rng.choice(["nooit gebeurd", "controle", model.purpose + "."])
        forged.prev_hash = model.entry_hash
        forged.entry_hash = log.entry_hash(forged, b"guessed key %d" % self.rng.randrange(99))
        new_id = rows[index][0] + 1
        if not at_end:
            self.execute(f"UPDATE {self.table} SET id = id + 100000 WHERE id > %s", [_id])
        values = [new_id] + [
            DateTimeField().get_db_prep_value(forged.at, self.connection)
            if name == "at"
            else getattr(forged, name)
            for name in self.columns[1:]
        ]
        placeholders = ", ".join(["%s"] * len(self.columns))
        self.execute(
            f"INSERT INTO {self.table} ({', '.join(self.columns)}) VALUES ({placeholders})",
            values,
        )

    def _changed(self, column: str, old):
        """Another value of the column's own type."""
        rng = self.rng
        if column in ("user_id", "organisation_id", "person_id"):
            choices = [None, 0, 1, 2, 999] if old is not None else [1, 2, 3]
            choices += [old + 1, old - 1] if old is not None else []
            return rng.choice([c for c in choices if c != old] or [1]), None
        if column == "at":
            return self._shifted_time(old)
        if column == "ip_address":
            return rng.choice([None, "192.0.2.99", "2001:db8::99", "127.0.0.1"]), None
        if column in ("prev_hash", "entry_hash"):
            position = rng.randrange(64)
            digit = "0123456789abcdef".replace(old[position], "")[rng.randrange(15)]
            return old[:position] + digit + old[position + 1 :], None
        text = old or ""
        return rng.choice(
            [
                text + " ",
                text[:-1],
                text.upper() if text != text.upper() else text.lower() + "x",
                "iemand anders",
                "",
                text + "\u200b",  # an invisible character
            ]
        ), None

    def _shifted_time(self, old: str):
        from datetime import datetime, timedelta

        delta = self.rng.choice([1, -1, 86400, 0.000001])
        if self.sqlite:
            # As Django writes it: the text of the naive UTC time.
            return str(datetime.fromisoformat(old) + timedelta(seconds=delta)), None
        return None, f"at + interval '{delta} seconds'"

    def _malformed(self, column: str, old):
        """A value record() cannot have written (None: this database refuses them all)."""
        rng = self.rng
        if self.sqlite:
            options = {
                "user_id": ["'abc'", "1.5", "x'31'", "'1'", "' 1'", "''"],
                "organisation_id": ["'abc'", "1.5", "x'31'", "'x'"],
                "person_id": ["'x'", "2.5", "x'32'", "'P-K7QX'"],
                "ip_address": [
                    "'not-an-ip'",
                    "upper(ip_address)",
                    "' ' || ip_address",
                    "'192.0.2.10/24'",
                    "'192.0.2.010'",
                    "x'31'",
                    "42",
                ],
                "at": [
                    "'gisteren'",
                    "'2026-13-45 10:00:00'",
                    "12345",
                    "1.5",
                    "replace(at, ' ', 'T')",
                    "at || '+00:00'",
                    "x'31'",
                ],
                "prev_hash": ["upper(prev_hash)", "'zz'", "x'31'", "prev_hash || ' '"],
                "entry_hash": ["upper(entry_hash)", "'zz'", "x'31'", "substr(entry_hash, 2)"],
            }.get(column, ["x'41'", "12", "1.5"])
        else:
            not_null = ["NULL"]
            options = {
                "user_id": [],
                "organisation_id": [],
                "person_id": [],
                "ip_address": ["'192.0.2.10/24'::inet", "'2001:db8::1/64'::inet"],
                "at": [
                    "'infinity'::timestamptz",
                    "'-infinity'::timestamptz",
                    "'10000-01-01 00:00:00+00'::timestamptz",
                    "NULL",
                ],
                "prev_hash": ["upper(prev_hash)", "'zz'", *not_null],
                "entry_hash": ["upper(entry_hash)", "'zz'"],
            }.get(column, [*not_null, "E'\\u0001'"])
        if not options:
            return _SKIP
        value = rng.choice(options)
        if value == "NULL" and not self.sqlite:
            self.execute(f"ALTER TABLE {self.table} ALTER COLUMN {column} DROP NOT NULL")
        return None, value


_SKIP = object()


if __name__ == "__main__":
    raise SystemExit(main())
