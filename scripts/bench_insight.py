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
bench_insight_<pid> on --pg-url, dropped afterwards. SQLite: a file in --workdir.
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

from bench_insight_sql import (  # noqa: E402 - beside this script
    BUILD_CELLS,
    BUILD_PICTURE,
    CELL_EXTRA,
    CELL_KEYS,
    INDICATORS,
    KEY_MODULUS,
    LEEFGEBIEDEN,
    LEVELS,
    ORG_TYPES,
    PHENOMENA,
    PICTURE_COLUMNS,
    views,
)
from bench_insight_upkeep import maintenance  # noqa: E402 - beside this script

MONTHS = [y * 100 + m for y in (2024, 2025, 2026) for m in range(1, 13)]
REGION_NUMBERS = {"midden_brabant": 1, "amsterdam_amstelland": 2}
RAW_COLUMNS = (
    "person_id", "record_key", "month", "municipality", "district", "org_type",
    "indicator", "leefgebied", "phenomenon", "level",
)  # fmt: skip
KEY_TYPES = (
    "grain char(1), period integer, org_type smallint, municipality smallint, district smallint"
)
PICTURE_TYPES = (
    f"{KEY_TYPES}, person_id integer, record_key bigint, ind_mask integer, lg_mask integer, "
    "ph_mask integer, max_level smallint, signals integer, "
    "PRIMARY KEY (municipality, grain, org_type, district, period, person_id)"
)


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
    return sorted(tuple(v if isinstance(v, str) else int(v) for v in row) for row in rows)


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
        self.name = f"bench_insight_{__import__('os').getpid()}"
        with psycopg.connect(pg_url, autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {self.name}")
        base = pg_url.rsplit("/", 1)[0]
        self.connection = psycopg.connect(f"{base}/{self.name}", autocommit=True)
        self.connection.execute("SET maintenance_work_mem = '1GB'")  # the key builds

    def load(self, table: str, columns: tuple[str, ...], types: str, csv_path: Path) -> None:
        # SQLite: a table keyed by its primary key (clustered), as PostgreSQL reads by index.
        clustered = " WITHOUT ROWID" if self.kind == "sqlite" and "PRIMARY KEY" in types else ""
        # PostgreSQL: the key is added after the COPY (one sorted build, not tens of
        # millions of random B-tree inserts: at 1 M persons that is the difference).
        columns_only, _, key = types.partition(", PRIMARY KEY ")
        created = columns_only if self.kind == "postgres" else types
        self.execute(f"CREATE TABLE {table} ({created}){clustered}")
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
        if key:
            self.execute(f"ALTER TABLE {table} ADD PRIMARY KEY {key}")

    def execute(self, sql: str, params=()) -> list:
        if not params and self.kind == "postgres":
            params = None  # so that '%' in the SQL is an operator, not a placeholder
        cursor = self.connection.execute(sql, params)
        rows = cursor.fetchall() if cursor.description else []
        if self.kind == "sqlite":
            self.connection.commit()
        return rows

    def sizes(self, tables: tuple[str, ...]) -> str:
        """The tables' size on disk with their keys and indexes (PostgreSQL), or the
        database file's (SQLite: one file, no size per table)."""
        if self.kind == "sqlite":
            pages, size = (self.execute(f"PRAGMA {p}")[0][0] for p in ("page_count", "page_size"))
            return f"the file {pages * size / 2**20:,.0f} MB"
        found = self.execute(
            "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relname = ANY(%s)",
            (list(tables),),
        )
        listed = ", ".join(f"{name} {size / 2**20:,.0f} MB" for name, size in sorted(found))
        return f"{listed}; total {sum(size for _, size in found) / 2**20:,.0f} MB (with keys)"

    def close(self) -> None:
        self.connection.close()
        if self.kind == "postgres":
            import psycopg

            with psycopg.connect(self.admin_url, autocommit=True) as admin:
                admin.execute(f"DROP DATABASE IF EXISTS {self.name}")


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
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return run(args, workdir, duckdb)
    finally:
        print(f"\nthis process: {time.perf_counter() - wall:.0f} s wall, "
              f"{time.process_time() - cpu:.0f} s CPU (DuckDB's threads counted, the "
              "database server's not)")  # fmt: skip
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

    areas, _ = load_areas()
    duck = duckdb.connect()
    duck.execute(f"CREATE TABLE raw AS SELECT * FROM read_csv('{raw_csv}', header = true)")
    duck.execute("CREATE TABLE region (municipality INTEGER, region INTEGER)")
    for number, _, region in areas:
        duck.execute(f"INSERT INTO region VALUES ({number}, {REGION_NUMBERS[region]})")
    start = time.perf_counter()
    duck.execute(BUILD_PICTURE)
    for table, sql in BUILD_CELLS.items():
        duck.execute(f"CREATE TABLE {table} AS {sql}")
    build = time.perf_counter() - start
    tables = ("picture", *BUILD_CELLS)
    for table in ("raw", *tables):
        duck.execute(f"COPY {table} TO '{workdir / table}.parquet' (FORMAT parquet)")
    sizes = {}
    for table in tables:
        duck.execute(f"COPY {table} TO '{workdir / table}.csv' (HEADER true)")
        sizes[table] = duck.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    duck.close()
    listed = ", ".join(f"{table} {rows:,}" for table, rows in sizes.items())
    print(f"aggregates built from scratch in {build:.1f} s (DuckDB): rows {listed}")

    parquet = duckdb.connect()
    for table in ("raw", *tables):
        parquet.execute(f"CREATE VIEW {table} AS SELECT * FROM '{workdir / table}.parquet'")
    parquet.execute(f"CREATE TABLE ind AS SELECT range AS i FROM range({INDICATORS})")

    target = Target(args.database, workdir, args.pg_url)
    try:
        start = time.perf_counter()
        target.load("picture", PICTURE_COLUMNS, PICTURE_TYPES, workdir / "picture.csv")
        target.execute("CREATE INDEX picture_person ON picture (person_id)")
        for table, extra in CELL_EXTRA.items():
            extra_types = "".join(f", {column} smallint" for column in extra)
            key = ", ".join(("municipality, grain, org_type, district, period", *extra))
            types = (
                f"{KEY_TYPES}{extra_types}, persons integer, key_sum bigint, PRIMARY KEY ({key})"
            )
            columns = (*CELL_KEYS.split(", "), *extra, "persons", "key_sum")
            target.load(table, columns, types, workdir / f"{table}.csv")
        target.execute("CREATE TABLE ind (i integer PRIMARY KEY)")
        for i in range(INDICATORS):
            target.execute(f"INSERT INTO ind VALUES ({i})")
        target.execute("ANALYZE")
        print(f"{args.database}: loaded and indexed in {time.perf_counter() - start:.1f} s")
        print(f"{args.database} size on disk: {target.sizes(tables)}")
        return measure(args, target, parquet, workdir)
    finally:
        target.close()


def measure(args, target: Target, parquet, workdir: Path) -> int:
    _, regions = load_areas()
    region = regions["midden_brabant"]
    print(
        f"\n{'view':58} {args.database + ' counts':>20} {'per-person':>11}"
        f" {'DuckDB raw':>11} {'ratio':>7} {'DuckDB counts':>14}"
    )
    print(f"{'':58} {'p50 / p95 ms':>20} {'p95 ms':>11} {'p95 ms':>11} {'':>7} {'p95 ms':>14}")
    agree = True
    for title, sql in views(855, region, 3).items():
        ours, ours_rows = timed(lambda s=sql["cells"]: target.execute(s), args.repeat)
        rows, rows_rows = timed(lambda s=sql["picture"]: target.execute(s), args.repeat)
        raw, raw_rows = timed(lambda s=sql["raw"]: parquet.execute(s).fetchall(), args.repeat)
        duck, duck_rows = timed(lambda s=sql["cells"]: parquet.execute(s).fetchall(), args.repeat)
        answers = [normalise(r) for r in (ours_rows, rows_rows, raw_rows, duck_rows)]
        same = all(answer == answers[0] for answer in answers)
        agree = agree and same
        print(
            f"{title:58} {statistics.median(ours) * 1000:8.1f} / {p95(ours) * 1000:8.1f}"
            f" {p95(rows) * 1000:11.1f} {p95(raw) * 1000:11.1f} {p95(ours) / p95(raw):6.2f}x"
            f" {p95(duck) * 1000:14.1f}{'' if same else '  ANSWERS DIFFER'}"
        )
    if args.raw_baseline:
        raw_types = (
            "person_id integer, record_key bigint, month integer, municipality smallint, "
            "district smallint, org_type smallint, indicator smallint, leefgebied smallint, "
            "phenomenon smallint, level smallint"
        )
        target.load("raw", RAW_COLUMNS, raw_types, workdir / "raw.csv")
        first = views(855, region, 3)["wijk x indicator x month, 1 municipality, 1 year"]
        times, _ = timed(lambda: target.execute(first["raw"]), 3)
        print(f"\nplain GROUP BY over the raw rows on {args.database} (first view): "
              f"{min(times) * 1000:.0f} ms (no index on municipality)")  # fmt: skip
    areas, _ = load_areas()
    regions = {number: REGION_NUMBERS[region] for number, _, region in areas}
    upserts = maintenance(target, args.persons, args.upserts, args.seed, regions)
    recount = normalise(
        target.execute(
            f"SELECT {CELL_KEYS}, i, count(*), sum(record_key) FROM picture JOIN ind"
            " ON (ind_mask & (1 << i)) <> 0 WHERE period IN (202612, 20264, 2026)"
            f" GROUP BY {CELL_KEYS}, i"
        )
    )
    maintained = normalise(
        target.execute(
            f"SELECT {CELL_KEYS}, indicator, persons, key_sum FROM cell_indicator"
            " WHERE period IN (202612, 20264, 2026)"
        )
    )
    recount = [(*row[:-1], row[-1] % KEY_MODULUS) for row in recount]
    print(
        f"\nmaintenance: {len(upserts)} registrations applied (18 per-person rows and their"
        f" count cells each), p50 {statistics.median(upserts) * 1000:.2f} ms,"
        f" p95 {p95(upserts) * 1000:.2f} ms"
    )
    consistent = recount == maintained
    print(f"maintained indicator counts equal a recount from the per-person rows: "
          f"{'yes' if consistent else 'NO'}")  # fmt: skip
    print(f"answers agree across {args.database} counts, {args.database} per-person rows, "
          f"DuckDB raw and DuckDB counts: {'yes' if agree else 'NO'}")  # fmt: skip
    return 0 if agree and consistent else 1


if __name__ == "__main__":
    sys.exit(main())
