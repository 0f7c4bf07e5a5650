"""The page benchmark (scripts/bench_pages.py) runs, briefly: tiny numbers, SQLite, no
timing asserted (the figures depend on the machine). The real run is the script itself,
see README.md ("Development")."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = r"\s+[\d.]+"


def test_bench_script_prints_the_three_pages_beside_the_baseline(tmp_path):
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # SQLite only: the PostgreSQL run is the script's own
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_pages.py"),
            *("--persons", "12", "--requests", "6", "--rounds", "2", "--warmup", "1"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    # page, queries, p50 ms, p95 ms, req/s, share of the baseline
    row = rf"\s+\d+{NUMBER}{NUMBER}{NUMBER}\s+\d+%$"
    assert re.search(rf"^baseline /readyz{row}", out, re.M), out
    assert re.search(r"^baseline /readyz .*\s100%$", out, re.M), out
    assert re.search(rf"^person list /registratie/{row}", out, re.M), out
    assert re.search(rf"^person page /registratie/P-[2-9A-Z]+/{row}", out, re.M), out
    assert re.search(
        r"^goal: the person list and the person page at >= 50% of the baseline's "
        r"requests/second: (met|not met) \(list \d+%, person page \d+%\)$",
        out,
        re.M,
    ), out
    assert "6 sequential requests per page in 2 rounds" in out
    assert list(tmp_path.iterdir()) == []  # the throw-away database is gone
