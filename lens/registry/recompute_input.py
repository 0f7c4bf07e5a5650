"""The input of the bulk recompute (lens.registry.recompute): the registry's tables that
an outcome depends on, exported from the database as they are (plain scans, no joins: a
join per registration row costs the database more than the whole computation costs
DuckDB), and loaded into DuckDB, where the current registrations are picked, joined with
their record's cluster, region and organisation type (what lens.data.queries.records_input
reads) and unnested into one row per signal and per risk factor, beside the catalogue's
tables that the compiled query reads.

The files are tab-separated text, `\\N` for NULL: COPY's text format on PostgreSQL,
written byte for byte; on SQLite each block of rows is one string that SQLite itself
concatenates (group_concat), so that no Python object is made per row. No value holds a
tab, a newline or a backslash: ids, dates, digests, catalogue codes and JSON lists of
them. The export holds person ids, dates and codes, no identities: nobody reads these
files but DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb
from django.db import connection

from lens.data.coordination import ClusterMember, CombinedOutcome
from lens.data.registry import (
    Organisation,
    Person,
    PersonOutcome,
    Registration,
    Withdrawal,
)
from lens.rules import compiled
from lens.rules.model import Catalogue

BLOCK = 50_000  # rows concatenated by SQLite into one string


def _table(model) -> str:
    return model._meta.db_table


def _latest_sql() -> str:
    """Each person's latest outcome: person, digest, level."""
    outcome = _table(PersonOutcome)
    if connection.vendor == "postgresql":  # one ordered scan of the latest-outcome index
        return (
            f"SELECT DISTINCT ON (person_id) person_id, digest, level FROM {outcome} "
            "ORDER BY person_id, computed_at DESC, id DESC"
        )
    # SQLite: one seek of the same index per person (its id as the rowid the export
    # pages by).
    return (
        f"SELECT p.id AS rowid, p.id AS person_id, x.digest, x.level FROM {_table(Person)} p "
        f"JOIN {outcome} x ON x.id = (SELECT y.id FROM {outcome} y WHERE y.person_id = p.id "
        "ORDER BY y.computed_at DESC, y.id DESC LIMIT 1)"
    )


REGISTRATION_COLUMNS = (
    "id", "person_id", "organisation_id", "observed_on", "signals", "risk_factors",
    "supersedes_id",
)  # fmt: skip


# file: (the columns selected, in the file's order; the table or query read)
def _exports() -> dict[str, tuple[tuple[str, ...], str]]:
    return {
        "registration": (REGISTRATION_COLUMNS, _table(Registration)),
        "withdrawal": (("registration_id",), _table(Withdrawal)),
        "person": (("id", "organisation_id"), _table(Person)),
        "organisation": (("id", "region", "organisation_type"), _table(Organisation)),
        "member": (("person_id", "cluster_id"), _table(ClusterMember)),
        "latest": (("person_id", "digest", "level"), f"({_latest_sql()}) AS latest"),
        "combined": (("cluster_id", "region", "digest", "level"), _table(CombinedOutcome)),
    }


def _export(columns: tuple[str, ...], source: str, path: Path) -> None:
    with path.open("wb") as handle, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            query = f"SELECT {', '.join(columns)} FROM {source}"
            with cursor.cursor.copy(f"COPY ({query}) TO STDOUT") as copy:
                for block in copy:
                    handle.write(block)
            return
        # SQLite: blocks of BLOCK rows, each one string, in rowid order.
        line = " || char(9) || ".join(f"coalesce({c}, '\\N')" for c in columns)
        statement = (
            f"SELECT group_concat(line, char(10)) || char(10), count(*), max(rowid) FROM ("
            f"SELECT rowid, {line} AS line FROM {source} WHERE rowid > %s "
            f"ORDER BY rowid LIMIT {BLOCK})"
        )
        last = -1
        while True:
            cursor.execute(statement, [last])
            text, count, last = cursor.fetchone()
            if text:
                handle.write(text.encode())
            if count < BLOCK:
                return


def export(workdir: Path) -> None:
    """Write one file per table of `_exports` to `workdir`."""
    for name, (columns, source) in _exports().items():
        _export(columns, source, workdir / f"{name}.tsv")


def prepare(db: duckdb.DuckDBPyConnection, catalogue: Catalogue) -> None:
    """The catalogue tables the compiled query joins against, and `retired`: each retired
    signal code with what it is read as (Catalogue.resolve_signal: a signal or a risk
    factor), so that stored registrations mean here what they mean to the engine
    (Catalogue.current_codes)."""
    for name, rows in compiled.catalogue_rows(catalogue).items():
        db.execute(f"CREATE OR REPLACE TABLE {name} ({compiled.CATALOGUE_TABLES[name]})")
        insert(db, name, rows)
    db.execute("CREATE OR REPLACE TABLE retired (code VARCHAR, kind VARCHAR, target VARCHAR)")
    insert(
        db,
        "retired",
        [
            (code, *resolved)
            for code in sorted(catalogue.retired_signals)
            if (resolved := catalogue.resolve_signal(code)) is not None
        ],
    )


def insert(db: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Rows into a DuckDB table in one statement (executemany runs one per row)."""
    if rows:
        marks = "(" + ", ".join("?" * len(rows[0])) + ")"
        flat = [value for row in rows for value in row]
        db.execute(f"INSERT INTO {table} VALUES {', '.join([marks] * len(rows))}", flat)


# The exported files' columns, in their order (see _exports).
FILES = {
    "registration": "id BIGINT, person BIGINT, org BIGINT, day DATE, signals VARCHAR, "
    "risk VARCHAR, supersedes BIGINT",
    "withdrawal": "registration BIGINT",
    "person": "id BIGINT, org BIGINT",
    "organisation": "id BIGINT, region VARCHAR, kind VARCHAR",
    "member": "person BIGINT, cluster BIGINT",
    "latest": "person BIGINT, digest VARCHAR, level INTEGER",
    "combined": "cluster BIGINT, region VARCHAR, digest VARCHAR, level INTEGER",
}


def _read(db: duckdb.DuckDBPyConnection, table: str, path: Path, columns: str) -> None:
    if path.stat().st_size == 0:  # nothing exported (read_csv needs a row to read)
        db.execute(f"CREATE TABLE {table} ({columns})")
        return
    spec = ", ".join(
        f"'{name}': '{kind}'" for name, kind in (c.split() for c in columns.split(", "))
    )
    db.execute(
        f"CREATE TABLE {table} AS SELECT * FROM read_csv(?, header = false, delim = '\t', "
        f"quote = '', escape = '', nullstr = '\\N', columns = {{{spec}}})",
        [str(path)],
    )


def load(db: duckdb.DuckDBPyConnection, workdir: Path) -> None:
    """The exported files as the tables the recompute reads: `persons` (every person with
    a registration or an outcome: cluster, region, latest digest and level), `combined`
    (the stored combined outcomes), `reg_signals` and `reg_risks` (the current
    registrations' signals and risk factors, one row each, with the record's cluster,
    region and organisation type) and `groups` (a cluster's records in one region)."""
    for name, columns in FILES.items():
        _read(db, f"x_{name}", workdir / f"{name}.tsv", columns)
    db.execute(
        "CREATE TABLE persons AS SELECT p.id AS person, coalesce(m.cluster, p.id) AS cluster, "
        "o.region, l.digest, l.level FROM x_person p JOIN x_organisation o ON o.id = p.org "
        "LEFT JOIN x_member m ON m.person = p.id LEFT JOIN x_latest l ON l.person = p.id "
        "WHERE l.person IS NOT NULL OR p.id IN (SELECT person FROM x_registration)"
    )
    db.execute("ALTER TABLE x_combined RENAME TO combined")
    # Current: neither superseded by a correction nor withdrawn; of the record's own
    # organisation (as lens.data.queries.records_input reads them).
    db.execute(
        "CREATE TABLE reg AS SELECT r.person, coalesce(m.cluster, r.person) AS cluster, "
        "o.region, o.kind AS org, r.day, r.signals, r.risk "
        "FROM x_registration r JOIN x_person p ON p.id = r.person AND p.org = r.org "
        "JOIN x_organisation o ON o.id = p.org LEFT JOIN x_member m ON m.person = r.person "
        "WHERE NOT EXISTS (SELECT 1 FROM x_registration s WHERE s.supersedes = r.id) "
        "AND NOT EXISTS (SELECT 1 FROM x_withdrawal w WHERE w.registration = r.id)"
    )
    for name in FILES:
        db.execute(f"DROP TABLE IF EXISTS x_{name}")
    # A retired code read as its replacement (`retired`, see prepare): a signal, or a risk
    # factor of the same registration. No DISTINCT: two old codes merged into one count
    # once (Catalogue.current_codes) because every aggregate the compiled query takes over
    # a group's rows of one code (max, bool_or, min, count DISTINCT) is the same over a
    # repeated row.
    db.execute(
        "CREATE TABLE reg_signals AS SELECT s.person, s.cluster, s.region, s.org, s.day, "
        "coalesce(r.target, s.code) AS code, r.kind = 'risk_factor' AS as_risk FROM ("
        "SELECT person, cluster, region, org, day, "
        "unnest(from_json(signals, '[\"VARCHAR\"]')) AS code FROM reg) s "
        "LEFT JOIN retired r ON r.code = s.code"
    )
    db.execute(
        "CREATE TABLE reg_risks AS SELECT person, cluster, region, "
        "unnest(from_json(risk, '[\"VARCHAR\"]')) AS code FROM reg "
        "UNION ALL SELECT person, cluster, region, code FROM reg_signals WHERE as_risk"
    )
    db.execute("DELETE FROM reg_signals WHERE as_risk")
    db.execute("DROP TABLE reg")
    # A combined group: a cluster's records in one region, numbered.
    db.execute(
        "CREATE TABLE groups AS SELECT row_number() OVER (ORDER BY cluster, region) AS grp, "
        "cluster, region, list(person ORDER BY person) AS members "
        "FROM persons GROUP BY cluster, region"
    )
