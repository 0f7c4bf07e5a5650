"""The bulk recompute benchmark (scripts/bench_recompute.py) runs at a tiny size on
SQLite, checks its stored outcomes against the engine, and prints its figures and the
ratio beside DuckDB: it cannot rot. No timing is asserted (the figures depend on the
machine); the long runs are the script's own (see the issue's closing note)."""

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SECONDS = r"[\d.]+ s"


def test_bench_recompute_runs_checks_and_prints_the_ratio(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}  # SQLite, thrown away
    env["TMPDIR"] = str(tmp_path)
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "bench_recompute.py"), "--persons", "60",
         "--repeat", "1", "--rescores", "3", "--check"],
        capture_output=True, text=True, env=env, cwd=ROOT, timeout=600, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    out = result.stdout
    made = re.search(r"^data: 60 persons \((\d+) records\)", out, re.M)
    assert made, out
    records = int(made.group(1))
    assert re.search(
        rf"^bulk recompute, first run \(every outcome new\): {records} persons, {records} "
        rf"stored in {SECONDS} \(export [\d.]+, load [\d.]+, compute .* write [\d.]+\)",
        out,
        re.M,
    ), out
    assert re.search(r"^check: (\d+) of \1 outcomes equal the engine's: yes$", out, re.M), out
    assert re.search(
        rf"^bulk recompute, again \(nothing changed\): 0 stored in {SECONDS}$", out, re.M
    )
    assert re.search(
        r"^re-scoring one person after a new registration: p50 [\d.]+ ms p95 [\d.]+ ms .* "
        r"p95 ratio [\d.]+x$",
        out,
        re.M,
    ), out
    lines = out.strip().splitlines()
    assert re.fullmatch(r"computation ratio [\d.]+", lines[-2]), lines[-2]
    assert re.fullmatch(r"ratio [\d.]+", lines[-1]), lines[-1]
    assert list(tmp_path.iterdir()) == []  # the throw-away database is gone
