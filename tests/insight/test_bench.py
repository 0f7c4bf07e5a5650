"""The local-picture benchmark script runs (tiny size, on SQLite, seconds): it cannot rot.
The long run is scripts/bench_insight.py on PostgreSQL; see docs/design/insight.md."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
VIEWS = (
    "wijk x indicator x month",
    "the same, one organisation type",
    "level per quarter",
    "indicator co-occurrence",
    "trend: persons per month",
)


def test_bench_script_answers_every_view_beside_duckdb_and_agrees(tmp_path):
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_insight.py"),
            "--persons",
            "200",
            "--database",
            "sqlite",
            "--repeat",
            "2",
            "--upserts",
            "5",
            "--raw-baseline",
            "--workdir",
            str(tmp_path / "work"),
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for view in VIEWS:
        # view, counts p50 / p95, per-person rows p95, DuckDB raw p95, ratio, DuckDB counts p95
        number = r"\s+[\d.]+"
        pattern = rf"^{re.escape(view)}.*?[\d.]+ /{number * 3}\s+[\d.]+x{number}$"
        assert re.search(pattern, out, re.M), (view, out)
    assert re.search(r"^maintenance: 5 registrations applied .* p95 [\d.]+ ms$", out, re.M)
    assert "maintained indicator counts equal a recount from the per-person rows: yes" in out
    assert re.search(r"^plain GROUP BY over the raw rows on sqlite .*: \d+ ms", out, re.M)
    assert "answers agree across sqlite counts, sqlite per-person rows, DuckDB raw and " in out
    assert out.rstrip().endswith("DuckDB counts: yes")
