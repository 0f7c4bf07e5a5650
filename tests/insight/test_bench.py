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
            "300",
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
        # view, p50 / p95 on SQLite, DuckDB raw p95, the ratio, DuckDB picture p95
        pattern = rf"^{re.escape(view)}.*?[\d.]+ /\s+[\d.]+\s+[\d.]+\s+[\d.]+x\s+[\d.]+$"
        assert re.search(pattern, out, re.M), (view, out)
    assert re.search(r"^maintenance: 5 registrations upserted .* p95 [\d.]+ ms$", out, re.M)
    assert "answers agree across sqlite, DuckDB raw and DuckDB picture: yes" in out
