"""The page views of scripts/bench_picture.py: what one request of the analist's page
(lens.picture.views.overview) computes: the picture (cells, or the recount path for the
indicator filter and "Wat zie ik nog niet?"), `pending.catch_up`, the access-log entry and,
on a municipality page, the blind spots (lens.picture.blind_spots.of, which counts the
rest of the region); beside DuckDB answering the same tables (and the rest of the region's
tables, for a municipality) over the raw rows in Parquet, in the same run. Synthetic data."""

from __future__ import annotations

import os
import statistics
import time
from datetime import date

from bench_db import percentile


def views(catalogue) -> list[tuple]:
    from lens.picture.filters import Filters, Period, Scope

    year = str(date.today().year)
    town = Scope("midden_brabant", "GM0855")
    indicator = sorted(catalogue.indicators)[0]
    return [
        ("page: municipality, all years", town, Filters()),
        ("page: region, all years", Scope("midden_brabant"), Filters()),
        ("page: municipality, 1 year", town, Filters(period=Period(year))),
        ("page: municipality, 1 quarter", town, Filters(period=Period(f"{year}-Q1"))),
        ("page: municipality, 1 month", town, Filters(period=Period(f"{year}-01"))),
        (f"page: municipality, indicator {indicator}", town, Filters(indicator=indicator)),
        (
            f"page: municipality, 1 year, indicator {indicator}",
            town,
            Filters(period=Period(year), indicator=indicator),
        ),
        (
            f"page: region, indicator {indicator}",
            Scope("midden_brabant"),
            Filters(indicator=indicator),
        ),
    ]


def page(actor, scope, filters, catalogue):
    """What lens.picture.views.overview computes, without the template."""
    from lens.picture import blind_spots, selectors

    found = selectors.logged_picture(actor, scope, filters, catalogue)
    if scope.municipality or filters.area.startswith("GM"):
        return found, blind_spots.of(scope, filters, catalogue, "nl", found)
    return found, None


def duck(db, data, scope, filters):
    """DuckDB over the raw rows: the view's tables and, on a municipality page, the rest
    of the region's (the blind spots' comparison)."""
    from dataclasses import replace

    from lens.picture.filters import Scope

    answer = data.duckdb_view(db, scope, filters)
    if scope.municipality:
        rest = replace(filters, outside=scope.municipality)
        answer += data.duckdb_view(db, Scope(scope.region), rest)
    return answer


def measure(db, data, catalogue, repeat: int, only: str = "") -> None:
    import secrets

    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import translation

    from lens.access.actor import Actor

    if not settings.ACCESS_LOG_KEY:  # a throw-away database: a throw-away chain key
        settings.ACCESS_LOG_KEY = secrets.token_hex(32)
    actor = Actor(user=get_user_model().objects.get(username="bench"), membership=None)
    translation.activate("nl")
    for label, scope, filters in views(catalogue):
        if only and only not in label:
            continue
        wall, cpu, base = [], [], []
        for _ in range(repeat):
            t, c = time.perf_counter(), time.process_time()
            page(actor, scope, filters, catalogue)
            wall.append(1000 * (time.perf_counter() - t))
            cpu.append(1000 * (time.process_time() - c))
            t = time.perf_counter()
            duck(db, data, scope, filters)
            base.append(1000 * (time.perf_counter() - t))
        p95 = percentile(wall, 0.95)
        print(
            f"{label}: page p50 {statistics.median(wall):.0f} ms p95 {p95:.0f} ms "
            f"(Python CPU p50 {statistics.median(cpu):.0f} ms) | DuckDB raw p50 "
            f"{statistics.median(base):.0f} ms p95 {percentile(base, 0.95):.0f} ms | ratio "
            f"{p95 / max(percentile(base, 0.95), 1e-6):.2f}x | "
            f"{'meets' if p95 < 1000 else 'MISSES'} 1 s | load {os.getloadavg()[0]:.1f}",
            flush=True,
        )
