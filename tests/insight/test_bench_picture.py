"""The app's own read-path benchmark (scripts/bench_picture.py) runs at a tiny size on
SQLite, checks its cells against a recount and its views against the recount path, and
prints a ratio beside DuckDB for every view: it cannot rot. The long run is on PostgreSQL;
see docs/design/insight.md."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VIEWS = (
    "region, all periods by year",
    "municipality by wijk x month, 1 year",
    "the same, one organisation type",
    "region by municipality x month, 1 quarter",
    "one wijk, 1 month",
)


def test_bench_picture_measures_the_app_beside_duckdb_and_agrees():
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite, thrown away
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_picture.py"), "--persons", "120",
         "--repeat", "2", "--upserts", "3", "--check"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    for view in VIEWS:
        pattern = (
            rf"^{re.escape(view)}: app p50 [\d.]+ ms p95 [\d.]+ ms .* ratio [\d.]+x "
            r"\| published page p50 [\d.]+ ms p95 [\d.]+ ms$"
        )
        assert re.search(pattern, out, re.M), (view, out)
    # The page views (bench_picture_pages): the picture with the access-log entry and, on a
    # municipality page, the blind spots with the rest of the region recounted.
    pages = re.findall(
        r"^page: (.+): page p50 \d+ ms p95 \d+ ms \(Python CPU p50 \d+ ms\) \| DuckDB raw "
        r"p50 \d+ ms p95 \d+ ms \| ratio [\d.]+x \| (?:meets|MISSES) 1 s \| load [\d.]+$",
        out,
        re.M,
    )
    assert len(pages) == 8 and "municipality, all years" in pages, out
    assert any(p.startswith("municipality, indicator ") for p in pages), pages
    assert re.search(
        r"^maintenance: 3 registrations applied, p50 [\d.]+ ms p95 [\d.]+ ms$", out, re.M
    )
    assert "check: cells equal a recount: yes; views equal the recount path: yes" in out
