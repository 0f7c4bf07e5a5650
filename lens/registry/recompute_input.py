"""The input of the bulk recompute (lens.registry.recompute): the current registrations,
the persons with their latest outcome and the stored combined outcomes exported from the
database to CSV files (COPY on PostgreSQL, one streamed query on SQLite), and those files
loaded into DuckDB with the catalogue's tables, as the compiled query reads them. The
export holds person ids, dates and codes, no identities: nobody reads these files but
DuckDB."""

from __future__ import annotations

import csv
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

FETCH = 50_000  # rows fetched at a time by the streamed export (not PostgreSQL's COPY)


def _table(model) -> str:
    return model._meta.db_table


def _registrations_sql() -> str:
    """The current registrations with their record's cluster, region and organisation
    type (what lens.data.queries.records_input reads), one row each."""
    reg, person, org = _table(Registration), _table(Person), _table(Organisation)
    member, withdrawal = _table(ClusterMember), _table(Withdrawal)
    text = "::text" if connection.vendor == "postgresql" else ""
    return f"""
SELECT r.person_id, coalesce(c.cluster_id, r.person_id), o.region, r.observed_on,
       r.signals{text}, r.risk_factors{text}, o.organisation_type
FROM {reg} r
JOIN {person} p ON p.id = r.person_id AND p.organisation_id = r.organisation_id
JOIN {org} o ON o.id = p.organisation_id
LEFT JOIN {member} c ON c.person_id = r.person_id
WHERE NOT EXISTS (SELECT 1 FROM {reg} s WHERE s.supersedes_id = r.id)
  AND NOT EXISTS (SELECT 1 FROM {withdrawal} w WHERE w.registration_id = r.id)"""


def _persons_sql() -> str:
    """Every person with a registration or an outcome: its cluster, its organisation's
    region, and the digest and level of its latest outcome."""
    reg, person, org = _table(Registration), _table(Person), _table(Organisation)
    member, outcome = _table(ClusterMember), _table(PersonOutcome)
    return f"""
SELECT p.id, coalesce(c.cluster_id, p.id), o.region, lo.digest, lo.level
FROM {person} p
JOIN {org} o ON o.id = p.organisation_id
LEFT JOIN {member} c ON c.person_id = p.id
LEFT JOIN {outcome} lo ON lo.id = (
    SELECT x.id FROM {outcome} x WHERE x.person_id = p.id
    ORDER BY x.computed_at DESC, x.id DESC LIMIT 1)
WHERE lo.id IS NOT NULL OR EXISTS (SELECT 1 FROM {reg} r WHERE r.person_id = p.id)"""


def _combined_sql() -> str:
    return f"SELECT cluster_id, region, digest, level FROM {_table(CombinedOutcome)}"


def _export(sql: str, path: Path) -> None:
    """The rows of `sql` as CSV: COPY on PostgreSQL, a streamed cursor elsewhere."""
    with path.open("w", newline="", encoding="utf-8") as handle, connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)") as copy:
                for block in copy:
                    handle.write(bytes(block).decode("utf-8"))
            return
        out = csv.writer(handle)
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH):
            out.writerows(rows)


def export(workdir: Path) -> None:
    """Write registrations.csv, persons.csv and combined.csv to `workdir`."""
    _export(_registrations_sql(), workdir / "registrations.csv")
    _export(_persons_sql(), workdir / "persons.csv")
    _export(_combined_sql(), workdir / "combined.csv")


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


def _read_csv(
    db: duckdb.DuckDBPyConnection, table: str, path: Path, columns: str, numbered: str = ""
) -> None:
    """The CSV file as a table; `numbered`: the name of a column that numbers the rows."""
    spec = ", ".join(
        f"'{name}': '{kind}'" for name, kind in (c.split() for c in columns.split(", "))
    )
    if path.stat().st_size == 0:  # nothing exported (read_csv needs a row to read)
        db.execute(f"CREATE TABLE {table} ({f'{numbered} BIGINT, ' if numbered else ''}{columns})")
        return
    number = f"row_number() OVER () AS {numbered}, " if numbered else ""
    db.execute(
        f"CREATE TABLE {table} AS SELECT {number}* FROM read_csv(?, header = false, "
        f"delim = ',', columns = {{{spec}}}, quote = '\"', escape = '\"', nullstr = '')",
        [str(path)],
    )


def load(db: duckdb.DuckDBPyConnection, workdir: Path) -> None:
    """The exported files as tables, with the signals and risk factors unnested."""
    _read_csv(
        db,
        "reg",
        workdir / "registrations.csv",
        "person BIGINT, cluster BIGINT, region VARCHAR, day DATE, signals VARCHAR, "
        "risk VARCHAR, org VARCHAR",
        numbered="rid",
    )
    _read_csv(
        db,
        "persons",
        workdir / "persons.csv",
        "person BIGINT, cluster BIGINT, region VARCHAR, digest VARCHAR, level INTEGER",
    )
    _read_csv(
        db,
        "combined",
        workdir / "combined.csv",
        "cluster BIGINT, region VARCHAR, digest VARCHAR, level INTEGER",
    )
    # A retired code read as its replacement (`retired`, see prepare): a signal, or a risk
    # factor of the same registration; two old codes merged into one count once per
    # registration, as in Catalogue.current_codes.
    db.execute(
        "CREATE TABLE raw_signals AS SELECT rid, person, cluster, region, org, day, "
        "unnest(from_json(signals, '[\"VARCHAR\"]')) AS code FROM reg"
    )
    db.execute(
        "CREATE TABLE reg_signals AS SELECT DISTINCT ON (s.rid, coalesce(r.target, s.code)) "
        "s.person, s.cluster, s.region, s.org, s.day, coalesce(r.target, s.code) AS code "
        "FROM raw_signals s LEFT JOIN retired r ON r.code = s.code "
        "WHERE r.kind IS NULL OR r.kind = 'signal'"
    )
    db.execute(
        "CREATE TABLE reg_risks AS SELECT DISTINCT ON (rid, code) person, cluster, region, code "
        "FROM (SELECT rid, person, cluster, region, "
        "unnest(from_json(risk, '[\"VARCHAR\"]')) AS code FROM reg "
        "UNION ALL SELECT s.rid, s.person, s.cluster, s.region, r.target FROM raw_signals s "
        "JOIN retired r ON r.code = s.code AND r.kind = 'risk_factor')"
    )
    db.execute("DROP TABLE raw_signals")
    db.execute("DROP TABLE reg")
    # A combined group: a cluster's records in one region, numbered.
    db.execute(
        "CREATE TABLE groups AS SELECT row_number() OVER (ORDER BY cluster, region) AS grp, "
        "cluster, region, list(person ORDER BY person) AS members "
        "FROM persons GROUP BY cluster, region"
    )
