"""The local-picture benchmark script runs (tiny size, seconds): it cannot rot. It runs on
the database the suite runs on: SQLite, or PostgreSQL when DATABASE_URL names one (the
script then creates and drops a scratch database bench_insight_<pid> beside it). The long
run is scripts/bench_insight.py on PostgreSQL; see docs/design/insight.md."""

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
    url = os.environ.get("DATABASE_URL", "")
    database = "postgres" if url.startswith("postgres") else "sqlite"
    pg_url = ["--pg-url", url.rsplit("/", 1)[0] + "/postgres"] if database == "postgres" else []
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_insight.py"),
            "--persons",
            "200",
            "--database",
            database,
            *pg_url,
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
    assert re.search(rf"^plain GROUP BY over the raw rows on {database} .*: \d+ ms", out, re.M)
    if database == "sqlite":
        assert re.search(r"^sqlite size on disk: the file [\d,]+ MB$", out, re.M), out
    else:  # every table with its keys, and their total
        tables = r"cell_indicator [\d,]+ MB, cell_level [\d,]+ MB, cell_pair [\d,]+ MB, "
        tables += r"cell_total [\d,]+ MB, picture [\d,]+ MB; total [\d,]+ MB \(with keys\)$"
        assert re.search(rf"^postgres size on disk: {tables}", out, re.M), out
    agree = f"answers agree across {database} counts, {database} per-person rows, DuckDB raw "
    assert f"{agree}and DuckDB counts: yes" in out
    assert re.search(r"^this process: \d+ s wall, \d+ s CPU \(.*\)$", out.rstrip(), re.M), out
