"""The SQL of scripts/bench_insight.py: how the aggregates are built and each view asked.

`picture` holds one row per person per period per area (the state that says whether a
registration brings a person into a cell for the first time); the `cell_*` tables hold the
maintained counts the views read. Area: each wijk (district >= 0), the municipality as a
whole (district -1) and the region (district -2, municipality = region number).
"""

from __future__ import annotations

INDICATORS, LEEFGEBIEDEN, PHENOMENA, ORG_TYPES, LEVELS = 14, 4, 12, 19, 5
YEAR = 2026
KEY_MODULUS = 2**32
CELL_KEYS = "grain, period, org_type, municipality, district"
PICTURE_COLUMNS = (
    "grain", "period", "org_type", "municipality", "district", "person_id", "record_key",
    "ind_mask", "lg_mask", "ph_mask", "max_level", "signals",
)  # fmt: skip

# DuckDB SQL, from the raw rows and a table region(municipality, region).
BUILD_PICTURE = """
CREATE TABLE picture AS
WITH periods AS (
    SELECT *, 'm' AS grain, month AS period FROM raw
    UNION ALL SELECT *, 'q', (month // 100) * 10 + ((month % 100) + 2) // 3 FROM raw
    UNION ALL SELECT *, 'y', month // 100 FROM raw
), orgs AS (
    SELECT * REPLACE (0 AS org_type) FROM periods UNION ALL SELECT * FROM periods
), areas AS (
    SELECT * FROM orgs
    UNION ALL SELECT * REPLACE (-1 AS district) FROM orgs
    UNION ALL SELECT o.* REPLACE (r.region AS municipality, -2 AS district)
        FROM orgs o JOIN region r USING (municipality)
)
SELECT grain, period, org_type, municipality, district, person_id,
       any_value(record_key) AS record_key,
       bit_or(1 << indicator) AS ind_mask, bit_or(1 << leefgebied) AS lg_mask,
       bit_or(1 << phenomenon) AS ph_mask, max(level) AS max_level, count(*) AS signals
FROM areas GROUP BY ALL
"""

_KEY_SUM = f"sum(record_key) % {KEY_MODULUS} AS key_sum"
BUILD_CELLS = {
    "cell_total": f"SELECT {CELL_KEYS}, count(*) AS persons, {_KEY_SUM} FROM picture GROUP BY ALL",
    "cell_indicator": f"SELECT {CELL_KEYS}, i.range AS indicator, count(*) AS persons, "
    f"{_KEY_SUM} FROM picture, range({INDICATORS}) i WHERE (ind_mask >> i.range) & 1 = 1 "
    "GROUP BY ALL",
    "cell_level": f"SELECT {CELL_KEYS}, max_level AS level, count(*) AS persons, {_KEY_SUM} "
    "FROM picture GROUP BY ALL",
    # Pairs only for all organisations together and for quarters and years.
    "cell_pair": f"SELECT {CELL_KEYS}, a.range AS a, b.range AS b, count(*) AS persons, "
    f"{_KEY_SUM} FROM picture, range({INDICATORS}) a, range({INDICATORS}) b "
    "WHERE org_type = 0 AND grain <> 'm' AND b.range > a.range "
    "AND (ind_mask >> a.range) & 1 = 1 AND (ind_mask >> b.range) & 1 = 1 GROUP BY ALL",
}
CELL_EXTRA = {
    "cell_total": (),
    "cell_indicator": ("indicator",),
    "cell_level": ("level",),
    "cell_pair": ("a", "b"),
}


def views(municipality: int, region: tuple[int, ...], org_type: int) -> dict[str, dict]:
    """Each view three ways: from the maintained counts (`cells`), from the per-person
    rows (`picture`, counting rows), and from the raw signal rows (`raw`, DuckDB only)."""
    year = f"BETWEEN {YEAR * 100 + 1} AND {YEAR * 100 + 12}"
    quarters = f"BETWEEN {YEAR * 10 + 1} AND {YEAR * 10 + 4}"
    region_list = ", ".join(map(str, region))
    bit = "(p.ind_mask & (1 << i.i)) <> 0"
    here = f"municipality = {municipality}"

    def by_indicator(org: int) -> dict:
        org_filter = "" if org == 0 else f" AND org_type = {org}"
        return {
            "cells": f"""SELECT district, period, indicator, persons, key_sum
                FROM cell_indicator WHERE grain = 'm' AND org_type = {org} AND {here}
                AND district >= 0 AND period {year}""",
            "picture": f"""SELECT p.district, p.period, i.i, count(*),
                sum(p.record_key) % {KEY_MODULUS} FROM picture p JOIN ind i ON {bit}
                WHERE p.grain = 'm' AND p.org_type = {org} AND p.{here}
                AND p.district >= 0 AND p.period {year} GROUP BY 1, 2, 3""",
            "raw": f"""SELECT district, month, indicator, count(*), sum(record_key) % {KEY_MODULUS}
                FROM (SELECT DISTINCT district, month, indicator, person_id, record_key
                FROM raw WHERE {here} AND month {year}{org_filter}) t GROUP BY 1, 2, 3""",
        }

    return {
        "wijk x indicator x month, 1 municipality, 1 year": by_indicator(0),
        "the same, one organisation type": by_indicator(org_type),
        "level per quarter (highest in the quarter), 1 municipality": {
            "cells": f"""SELECT period, level, persons FROM cell_level WHERE grain = 'q'
                AND org_type = 0 AND {here} AND district = -1 AND period {quarters}""",
            "picture": f"""SELECT period, max_level, count(*) FROM picture WHERE grain = 'q'
                AND org_type = 0 AND {here} AND district = -1 AND period {quarters}
                GROUP BY 1, 2""",
            "raw": f"""SELECT q, lvl, count(*) FROM (
                SELECT (month // 100) * 10 + ((month % 100) + 2) // 3 AS q, person_id,
                max(level) AS lvl FROM raw WHERE {here} AND month {year} GROUP BY 1, 2) t
                GROUP BY 1, 2""",
        },
        "indicator co-occurrence, 1 municipality, 1 year": {
            "cells": f"""SELECT a, b, persons FROM cell_pair WHERE grain = 'y'
                AND org_type = 0 AND {here} AND district = -1 AND period = {YEAR}""",
            "picture": f"""SELECT a.i, b.i, count(*) FROM picture p
                JOIN ind a ON (p.ind_mask & (1 << a.i)) <> 0
                JOIN ind b ON b.i > a.i AND (p.ind_mask & (1 << b.i)) <> 0
                WHERE p.grain = 'y' AND p.org_type = 0 AND p.{here}
                AND p.district = -1 AND p.period = {YEAR} GROUP BY 1, 2""",
            "raw": f"""WITH pi AS (SELECT DISTINCT person_id, indicator FROM raw
                WHERE {here} AND month {year})
                SELECT a.indicator, b.indicator, count(*) FROM pi a
                JOIN pi b ON a.person_id = b.person_id AND b.indicator > a.indicator
                GROUP BY 1, 2""",
        },
        "trend: persons per month, whole region, 3 years": {
            "cells": """SELECT period, persons FROM cell_total WHERE grain = 'm'
                AND org_type = 0 AND municipality = 1 AND district = -2""",
            "picture": """SELECT period, count(*) FROM picture WHERE grain = 'm'
                AND org_type = 0 AND municipality = 1 AND district = -2 GROUP BY 1""",
            "raw": f"""SELECT month, count(DISTINCT person_id) FROM raw
                WHERE municipality IN ({region_list}) GROUP BY 1""",
        },
    }
