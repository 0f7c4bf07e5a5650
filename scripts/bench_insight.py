#!/usr/bin/env python3
"""Benchmark: the local picture's views on maintained per-person aggregates (issue 11).
A script, not a test: it prints figures, each beside DuckDB answering the same question
over the same data exported to Parquet in the same run, and asserts nothing but that the
answers agree.

    .venv/bin/python scripts/bench_insight.py --persons 100000 [--database postgres|sqlite]

Data: N synthetic persons living in the real municipalities and wijken of
catalogue/areas/, about 20 signals each (one indicator, leefgebied and phenomenon per
signal row) over 2024-2026, in registrations by 19 organisation types; 5% of the
registrations place the person in another wijk of the same municipality (a move).

Design measured (see docs/design/insight.md): the table `picture` holds one row per
person per period (month, quarter, year) per area (each wijk, and the municipality as a
whole, district -1), for all organisations together (org_type 0) and per organisation
type, with bitmasks of the indicators, leefgebieden and phenomena seen, the highest level
and the record key (summed into the cell key). A wijk or municipality view then counts
rows (one per person per cell, so a person is counted once however many organisations
registered them); a region view counts distinct persons over the municipality rows. It is
built here in one go; in the app each registration upserts its rows ("maintenance").

Baselines: DuckDB over the raw signal rows in Parquet (no aggregates: count distinct) and
DuckDB over the `picture` table in Parquet. PostgreSQL: a scratch database
wt_insight_bench_<pid> on --pg-url, dropped afterwards. SQLite: a file in --workdir.
"""

from __future__ import annotations

import argparse
import csv
import platform
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

INDICATORS, LEEFGEBIEDEN, PHENOMENA, ORG_TYPES, LEVELS = 14, 4, 12, 19, 5
MONTHS = [y * 100 + m for y in (2024, 2025, 2026) for m in range(1, 13)]
YEAR = 2026
RAW_COLUMNS = (
    "person_id", "record_key", "month", "municipality", "district", "org_type",
    "indicator", "leefgebied", "phenomenon", "level",
)  # fmt: skip
PICTURE_COLUMNS = (
    "grain", "period", "org_type", "municipality", "district", "person_id", "record_key",
    "ind_mask", "lg_mask", "ph_mask", "max_level", "signals",
)  # fmt: skip

# The aggregate, built from the raw rows (DuckDB SQL; PostgreSQL and SQLite load its CSV).
BUILD_PICTURE = """
CREATE TABLE picture AS
WITH periods AS (
    SELECT *, 'm' AS grain, month AS period FROM raw
    UNION ALL SELECT *, 'q', (month // 100) * 10 + ((month % 100) + 2) // 3 FROM raw
    UNION ALL SELECT *, 'y', month // 100 FROM raw
), orgs AS (
    SELECT * REPLACE (0 AS org_type) FROM periods UNION ALL SELECT * FROM periods
), areas AS (
    SELECT * REPLACE (-1 AS district) FROM orgs UNION ALL SELECT * FROM orgs
)
SELECT grain, period, org_type, municipality, district, person_id,
       any_value(record_key) AS record_key,
       bit_or(1 << indicator) AS ind_mask, bit_or(1 << leefgebied) AS lg_mask,
       bit_or(1 << phenomenon) AS ph_mask, max(level) AS max_level, count(*) AS signals
FROM areas GROUP BY ALL
"""


def views(municipality: int, region: tuple[int, ...], org_type: int) -> dict[str, dict]:
    """Each view: `picture` SQL (PostgreSQL, SQLite, DuckDB alike) and raw-rows SQL."""
    year = f"BETWEEN {YEAR * 100 + 1} AND {YEAR * 100 + 12}"
    region_list = ", ".join(map(str, region))
    bit = "(p.ind_mask & (1 << i.i)) <> 0"
    return {
        "wijk x indicator x month, 1 municipality, 1 year": {
            "picture": f"""SELECT p.district, p.period, i.i, count(*), sum(p.record_key)
                FROM picture p JOIN ind i ON {bit}
                WHERE p.grain = 'm' AND p.org_type = 0 AND p.municipality = {municipality}
                AND p.district >= 0 AND p.period {year} GROUP BY 1, 2, 3""",
            "raw": f"""SELECT district, month, indicator, count(DISTINCT person_id),
                sum(DISTINCT record_key) FROM raw WHERE municipality = {municipality}
                AND month {year} GROUP BY 1, 2, 3""",
        },
        "the same, one organisation type": {
            "picture": f"""SELECT p.district, p.period, i.i, count(*), sum(p.record_key)
                FROM picture p JOIN ind i ON {bit}
                WHERE p.grain = 'm' AND p.org_type = {org_type} AND p.district >= 0
                AND p.municipality = {municipality} AND p.period {year} GROUP BY 1, 2, 3""",
            "raw": f"""SELECT district, month, indicator, count(DISTINCT person_id),
                sum(DISTINCT record_key) FROM raw WHERE municipality = {municipality}
                AND org_type = {org_type} AND month {year} GROUP BY 1, 2, 3""",
        },
        "level per quarter (highest in the quarter), 1 municipality": {
            "picture": f"""SELECT period, max_level, count(*) FROM picture
                WHERE grain = 'q' AND org_type = 0 AND municipality = {municipality}
                AND district = -1 AND period BETWEEN {YEAR * 10 + 1} AND {YEAR * 10 + 4}
                GROUP BY 1, 2""",
            "raw": f"""SELECT q, lvl, count(*) FROM (
                SELECT (month // 100) * 10 + ((month % 100) + 2) // 3 AS q, person_id,
                max(level) AS lvl FROM raw WHERE municipality = {municipality}
                AND month {year} GROUP BY 1, 2) t GROUP BY 1, 2""",
        },
        "indicator co-occurrence, 1 municipality, 1 year": {
            "picture": f"""SELECT a.i, b.i, count(*) FROM picture p
                JOIN ind a ON (p.ind_mask & (1 << a.i)) <> 0
                JOIN ind b ON b.i > a.i AND (p.ind_mask & (1 << b.i)) <> 0
                WHERE p.grain = 'y' AND p.org_type = 0 AND p.municipality = {municipality}
                AND p.district = -1 AND p.period = {YEAR} GROUP BY 1, 2""",
            "raw": f"""WITH pi AS (SELECT DISTINCT person_id, indicator FROM raw
                WHERE municipality = {municipality} AND month {year})
                SELECT a.indicator, b.indicator, count(DISTINCT a.person_id) FROM pi a
                JOIN pi b ON a.person_id = b.person_id AND b.indicator > a.indicator
                GROUP BY 1, 2""",
        },
        "trend: persons per month, whole region, 3 years": {
            "picture": f"""SELECT period, count(DISTINCT person_id) FROM picture
                WHERE grain = 'm' AND org_type = 0 AND municipality IN ({region_list})
                AND district = -1 GROUP BY 1""",
            "raw": f"""SELECT month, count(DISTINCT person_id) FROM raw
                WHERE municipality IN ({region_list}) GROUP BY 1""",
        },
    }


def load_areas() -> tuple[list[tuple[int, list[int], str]], dict[str, tuple[int, ...]]]:
    """(municipality number, its wijk numbers, region) from catalogue/areas/."""
    folder = ROOT / "catalogue" / "areas"
    with (folder / "municipalities.csv").open(encoding="utf-8") as handle:
        municipalities = list(csv.DictReader(handle))
    with (folder / "districts.csv").open(encoding="utf-8") as handle:
        districts = list(csv.DictReader(handle))
    areas, regions = [], {}
    for row in municipalities:
        number = int(row["gemeente_code"][2:])
        wijken = [i for i, d in enumerate(districts) if d["gemeente_code"] == row["gemeente_code"]]
        areas.append((number, wijken, row["region"]))
        regions.setdefault(row["region"], []).append(number)
    return areas, {k: tuple(v) for k, v in regions.items()}


def generate(path: Path, persons: int, per_person: int, seed: int) -> int:
    """Write the raw signal rows as CSV; return how many."""
    rng = random.Random(seed)
    areas, _ = load_areas()
    weights = [len(wijken) for _, wijken, _ in areas]  # bigger places have more wijken
    rows = 0
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        for person in range(persons):
            municipality, wijken, _ = rng.choices(areas, weights)[0]
            home = rng.choice(wijken)
            key = rng.getrandbits(32)
            registrations = 1 + min(int(rng.expovariate(1 / 2.5)), 11)
            left = max(1, int(rng.expovariate(1 / per_person)))
            for r in range(registrations):
                month = rng.choice(MONTHS)
                district = rng.choice(wijken) if rng.random() < 0.05 else home
                org, level = rng.randrange(1, ORG_TYPES + 1), rng.randrange(LEVELS)
                count = left if r == registrations - 1 else rng.randint(1, max(1, left))
                left = max(1, left - count)
                for _ in range(count):
                    writer.writerow(
                        (person, key, month, municipality, district, org,
                         rng.randrange(INDICATORS), rng.randrange(LEEFGEBIEDEN),
                         rng.randrange(PHENOMENA), level)
                    )  # fmt: skip
                    rows += 1
    return rows


def timed(function, repeat: int) -> tuple[list[float], object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return times, result


def p95(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def normalise(rows) -> list[tuple]:
    return sorted(tuple(int(v) for v in row) for row in rows)


class Target:
    """The database under test: PostgreSQL (COPY) or SQLite (executemany)."""

    def __init__(self, kind: str, workdir: Path, pg_url: str):
        self.kind = kind
        if kind == "sqlite":
            self.connection = sqlite3.connect(workdir / "bench-insight.sqlite3")
            self.connection.execute("PRAGMA journal_mode=WAL")
            return
        import psycopg

        self.admin_url = pg_url
        self.name = f"wt_insight_bench_{__import__('os').getpid()}"
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {self.name}")
        base = pg_url.rsplit("/", 1)[0]
        self.connection = psycopg.connect(f"{base}/{self.name}", autocommit=True)

    def load(self, table: str, columns: tuple[str, ...], types: str, csv_path: Path) -> None:
        self.execute(f"CREATE TABLE {table} ({types})")
        if self.kind == "sqlite":
            with csv_path.open(encoding="utf-8") as handle:
                reader = csv.reader(handle)
                next(reader)
                marks = ", ".join("?" * len(columns))
                self.connection.executemany(f"INSERT INTO {table} VALUES ({marks})", reader)
            self.connection.commit()
            return
        with self.connection.cursor() as cursor:
            copy_sql = f"COPY {table} FROM STDIN WITH (FORMAT csv, HEADER true)"
            with cursor.copy(copy_sql) as copy, csv_path.open("rb") as handle:
                while chunk := handle.read(1 << 20):
                    copy.write(chunk)

    def execute(self, sql: str, params=()) -> list:
        cursor = self.connection.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        if self.kind == "sqlite":
            self.connection.commit()
        return rows

    def close(self) -> None:
        self.connection.close()
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self.name}")


def upsert_sql(kind: str) -> str:
    greatest = "greatest" if kind == "postgres" else "max"
    marks = ", ".join(["%s" if kind == "postgres" else "?"] * len(PICTURE_COLUMNS))
    return f"""INSERT INTO picture VALUES ({marks})
        ON CONFLICT (grain, period, org_type, district, person_id) DO UPDATE SET
        ind_mask = picture.ind_mask | excluded.ind_mask,
        lg_mask = picture.lg_mask | excluded.lg_mask,
        ph_mask = picture.ph_mask | excluded.ph_mask,
        max_level = {greatest}(picture.max_level, excluded.max_level),
        signals = picture.signals + excluded.signals"""


def maintenance(target: Target, persons: int, registrations: int, seed: int) -> list[float]:
    """Apply new registrations as the app would: upsert 12 rows (month, quarter, year x all
    organisations and its own type x wijk and municipality) per registration, in one
    transaction each."""
    rng = random.Random(seed + 1)
    sql = upsert_sql(target.kind)
    times = []
    for _ in range(registrations):
        person = rng.randrange(persons)
        municipality, district = 855, 0
        found = target.execute(
            "SELECT municipality, district, record_key FROM picture WHERE person_id = "
            + ("%s" if target.kind == "postgres" else "?")
            + " AND district >= 0 LIMIT 1",
            (person,),
        )
        if found:
            municipality, district, key = found[0]
        else:
            key = 0
        month, org = 202612, rng.randrange(1, ORG_TYPES + 1)
        ind = sum(1 << rng.randrange(INDICATORS) for _ in range(7))
        row = dict(
            municipality=municipality, district=district, person_id=person, record_key=key,
            ind_mask=ind, lg_mask=1 << rng.randrange(LEEFGEBIEDEN),
            ph_mask=1 << rng.randrange(PHENOMENA), max_level=rng.randrange(LEVELS), signals=7,
        )  # fmt: skip
        rows = [
            tuple(
                {**row, "grain": g, "period": p, "org_type": o, "district": d}[c]
                for c in PICTURE_COLUMNS
            )
            for g, p in (("m", month), ("q", 20264), ("y", 2026))
            for o in (0, org)
            for d in (district, -1)
        ]
        start = time.perf_counter()
        if target.kind == "postgres":
            with target.connection.transaction(), target.connection.cursor() as cursor:
                cursor.executemany(sql, rows)
        else:
            with target.connection:
                target.connection.executemany(sql, rows)
        times.append(time.perf_counter() - start)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--signals-per-person", type=int, default=20)
    parser.add_argument("--database", choices=("postgres", "sqlite"), default="postgres")
    parser.add_argument("--pg-url", default="postgres://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--repeat", type=int, default=20, help="runs per view (p50, p95)")
    parser.add_argument("--upserts", type=int, default=300, help="registrations to maintain")
    parser.add_argument("--raw-baseline", action="store_true", help="also time a plain GROUP BY")
    parser.add_argument("--workdir", type=Path, default=None)
    parser.add_argument("--seed", type=int, default=11)
    args = parser.parse_args(argv)
    if args.persons < 1 or args.repeat < 1:
        parser.error("--persons and --repeat must be at least 1")
    import duckdb

    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="lens-bench-insight-"))
    workdir.mkdir(parents=True, exist_ok=True)
    print(
        f"machine: {platform.processor() or platform.machine()}, python {platform.python_version()}"
    )
    try:
        return run(args, workdir, duckdb)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


def run(args, workdir: Path, duckdb) -> int:
    start = time.perf_counter()
    raw_csv = workdir / "raw.csv"
    with raw_csv.open("w") as handle:
        handle.write(",".join(RAW_COLUMNS) + "\n")
    body = workdir / "raw-body.csv"
    count = generate(body, args.persons, args.signals_per_person, args.seed)
    with raw_csv.open("a") as out, body.open() as handle:
        shutil.copyfileobj(handle, out)
    body.unlink()
    print(f"data: {args.persons:,} persons, {count:,} signal rows "
          f"(generated in {time.perf_counter() - start:.1f} s)")  # fmt: skip

    duck = duckdb.connect()
    duck.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{raw_csv}', header = true)")
    start = time.perf_counter()
    duck.execute(BUILD_PICTURE)
    build = time.perf_counter() - start
    for table in ("raw", "picture"):
        duck.execute(f"COPY {table} TO '{workdir / table}.parquet' (FORMAT parquet)")
    picture_csv = workdir / "picture.csv"
    columns = ", ".join(PICTURE_COLUMNS)
    duck.execute(f"COPY (SELECT {columns} FROM picture) TO '{picture_csv}' (HEADER true)")
    picture_rows = duck.execute("SELECT count(*) FROM picture").fetchone()[0]
    duck.close()
    print(f"picture: {picture_rows:,} rows, built from scratch in {build:.1f} s (DuckDB)")

    parquet = duckdb.connect()
    for table in ("raw", "picture"):
        parquet.execute(f"CREATE VIEW {table} AS SELECT * FROM '{workdir / table}.parquet'")
    parquet.execute(f"CREATE TABLE ind AS SELECT range AS i FROM range({INDICATORS})")

    target = Target(args.database, workdir, args.pg_url)
    try:
        start = time.perf_counter()
        target.load(
            "picture", PICTURE_COLUMNS,
            "grain char(1), period integer, org_type smallint, municipality smallint, "
            "district smallint, person_id integer, record_key bigint, ind_mask integer, "
            "lg_mask integer, ph_mask integer, max_level smallint, signals integer, "
            "PRIMARY KEY (grain, period, org_type, district, person_id)",
            picture_csv,
        )  # fmt: skip
        target.execute(
            "CREATE INDEX picture_slice ON picture (municipality, grain, org_type, period)"
        )
        target.execute("CREATE INDEX picture_person ON picture (person_id)")
        target.execute("CREATE TABLE ind (i integer PRIMARY KEY)")
        for i in range(INDICATORS):
            target.execute(f"INSERT INTO ind VALUES ({i})")
        target.execute("ANALYZE")
        print(f"{args.database}: picture loaded and indexed in {time.perf_counter() - start:.1f} s")
        return measure(args, target, parquet, workdir)
    finally:
        target.close()


def measure(args, target: Target, parquet, workdir: Path) -> int:
    _, regions = load_areas()
    region = regions["midden_brabant"]
    name = f"{args.database} (picture)"
    print(f"\n{'view':58} {name:>22} {'DuckDB raw':>16} {'ratio':>7} {'DuckDB picture':>16}")
    print(f"{'':58} {'p50 / p95 ms':>22} {'p95 ms':>16} {'':>7} {'p95 ms':>16}")
    agree = True
    for title, sql in views(855, region, 3).items():
        ours, ours_rows = timed(lambda s=sql["picture"]: target.execute(s), args.repeat)
        raw, raw_rows = timed(lambda s=sql["raw"]: parquet.execute(s).fetchall(), args.repeat)
        agg, agg_rows = timed(lambda s=sql["picture"]: parquet.execute(s).fetchall(), args.repeat)
        same = normalise(ours_rows) == normalise(raw_rows) == normalise(agg_rows)
        agree = agree and same
        print(
            f"{title:58} {statistics.median(ours) * 1000:9.1f} / {p95(ours) * 1000:8.1f}"
            f" {p95(raw) * 1000:16.1f} {p95(ours) / p95(raw):6.2f}x {p95(agg) * 1000:16.1f}"
            f"{'' if same else '  ANSWERS DIFFER'}"
        )
    if args.raw_baseline:
        target.load(
            "raw", RAW_COLUMNS,
            "person_id integer, record_key bigint, month integer, municipality smallint, "
            "district smallint, org_type smallint, indicator smallint, leefgebied smallint, "
            "phenomenon smallint, level smallint",
            workdir / "raw.csv",
        )  # fmt: skip
        first = views(855, region, 3)["wijk x indicator x month, 1 municipality, 1 year"]
        times, _ = timed(lambda: target.execute(first["raw"]), 3)
        print(f"\nplain GROUP BY over the raw rows on {args.database} (first view): "
              f"{min(times) * 1000:.0f} ms (no index on municipality)")  # fmt: skip
    upserts = maintenance(target, args.persons, args.upserts, args.seed)
    print(
        f"\nmaintenance: {len(upserts)} registrations upserted (12 rows each), "
        f"p50 {statistics.median(upserts) * 1000:.2f} ms, p95 {p95(upserts) * 1000:.2f} ms"
    )
    print(f"answers agree across {args.database}, DuckDB raw and DuckDB picture: "
          f"{'yes' if agree else 'NO'}")  # fmt: skip
    return 0 if agree else 1


if __name__ == "__main__":
    sys.exit(main())
