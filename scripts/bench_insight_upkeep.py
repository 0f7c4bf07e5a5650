"""The maintenance measured by scripts/bench_insight.py: one registration applied to the
per-person rows and the count cells as the app would (read, upsert, add the persons that
enter a cell), on PostgreSQL or SQLite (`target`: bench_insight.Target)."""

from __future__ import annotations

import random
import time

from bench_insight_sql import (  # beside this file (scripts/ is on the path)
    CELL_EXTRA,
    CELL_KEYS,
    INDICATORS,
    KEY_MODULUS,
    LEEFGEBIEDEN,
    LEVELS,
    ORG_TYPES,
    PHENOMENA,
    PICTURE_COLUMNS,
)


def placeholder(kind: str) -> str:
    return "%s" if kind == "postgres" else "?"


def cell_upsert(kind: str, table: str) -> str:
    columns = [*CELL_KEYS.split(", "), *CELL_EXTRA[table], "persons", "key_sum"]
    marks = ", ".join([placeholder(kind)] * len(columns))
    conflict = ", ".join(c for c in columns if c not in ("persons", "key_sum"))
    modulo = "%%" if kind == "postgres" else "%"  # psycopg reads a single % as a placeholder
    return f"""INSERT INTO {table} ({", ".join(columns)}) VALUES ({marks})
        ON CONFLICT ({conflict}) DO UPDATE SET persons = {table}.persons + excluded.persons,
        key_sum = (({table}.key_sum + excluded.key_sum) {modulo} {KEY_MODULUS} + {KEY_MODULUS})
        {modulo} {KEY_MODULUS}"""


def picture_upsert(kind: str) -> str:
    greatest = "greatest" if kind == "postgres" else "max"
    marks = ", ".join([placeholder(kind)] * len(PICTURE_COLUMNS))
    return f"""INSERT INTO picture VALUES ({marks})
        ON CONFLICT (municipality, grain, org_type, district, period, person_id) DO UPDATE SET
        ind_mask = picture.ind_mask | excluded.ind_mask,
        lg_mask = picture.lg_mask | excluded.lg_mask,
        ph_mask = picture.ph_mask | excluded.ph_mask,
        max_level = {greatest}(picture.max_level, excluded.max_level),
        signals = picture.signals + excluded.signals"""


def register(target, rng: random.Random, persons: int, regions: dict) -> None:
    """One new registration (7 signals) of an existing person, as the app would apply it:
    per period (month, quarter, year) x organisations (all, its type) x area (wijk,
    municipality, region), read the person's row, upsert it, and add the person to the
    count cells they enter for the first time (a higher level moves them)."""
    kind, mark = target.kind, placeholder(target.kind)
    person = rng.randrange(persons)
    lock = " FOR UPDATE" if kind == "postgres" else ""
    found = target.execute(
        f"SELECT municipality, district, record_key FROM picture WHERE person_id = {mark} "
        "AND district >= 0 LIMIT 1",
        (person,),
    )
    municipality, district, key = found[0] if found else (855, 0, rng.getrandbits(32))
    region = regions[municipality]
    org, level = rng.randrange(1, ORG_TYPES + 1), rng.randrange(LEVELS)
    mask = 0
    for _ in range(7):
        mask |= 1 << rng.randrange(INDICATORS)
    lg, ph = 1 << rng.randrange(LEEFGEBIEDEN), 1 << rng.randrange(PHENOMENA)
    pictures, cells = [], {table: [] for table in CELL_EXTRA}
    periods = (("m", 202612), ("q", 20264), ("y", 2026))
    stored = {
        tuple(row[:5]): row[5:]
        for row in target.execute(
            "SELECT grain, period, org_type, municipality, district, ind_mask, max_level"
            f" FROM picture WHERE person_id = {mark} AND period IN (202612, 20264, 2026){lock}",
            (person,),
        )
    }
    for grain, period in periods:
        for org_type in (0, org):
            for area, wijk in ((municipality, district), (municipality, -1), (region, -2)):
                cell = (grain, period, org_type, area, wijk)
                old = stored.get(cell)
                old_mask, old_level = old if old else (0, None)
                pictures.append((*cell, person, key, mask, lg, ph, level, 7))
                if old_level is None:
                    cells["cell_total"].append((*cell, 1, key))
                    cells["cell_level"].append((*cell, level, 1, key))
                elif level > old_level:
                    cells["cell_level"].append((*cell, old_level, -1, -key))
                    cells["cell_level"].append((*cell, level, 1, key))
                new_bits = mask & ~old_mask
                both = old_mask | mask
                for i in range(INDICATORS):
                    if new_bits >> i & 1:
                        cells["cell_indicator"].append((*cell, i, 1, key))
                if org_type == 0 and grain != "m":
                    for a in range(INDICATORS):
                        for b in range(a + 1, INDICATORS):
                            pair = (1 << a) | (1 << b)
                            if both & pair == pair and old_mask & pair != pair:
                                cells["cell_pair"].append((*cell, a, b, 1, key))
    cursor = target.connection.cursor()
    cursor.executemany(picture_upsert(kind), pictures)
    for table, rows in cells.items():
        if rows:
            cursor.executemany(cell_upsert(kind, table), rows)


def maintenance(target, persons: int, registrations: int, seed: int, regions: dict) -> list[float]:
    """Apply `registrations` registrations one transaction each; their times in seconds.
    `regions`: municipality number -> region number."""
    rng = random.Random(seed + 1)
    times = []
    for _ in range(registrations):
        start = time.perf_counter()
        if target.kind == "postgres":
            with target.connection.transaction():
                register(target, rng, persons, regions)
        else:
            target.connection.execute("BEGIN IMMEDIATE")
            register(target, rng, persons, regions)
            target.connection.execute("COMMIT")
        times.append(time.perf_counter() - start)
    return times
