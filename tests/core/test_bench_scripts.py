"""The registration, matching and check benchmark scripts run, briefly (tiny numbers, no timing
asserted: the figures depend on the machine), so that they cannot rot. Each builds a
database of its own (SQLite, or one next to DATABASE_URL's): run once, on SQLite, by
`make test` (the Makefile's SQLITE_ONCE)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def printed(script: str, *args: str) -> str:
    """What `scripts/<script>` prints with `args`; fails with its errors if it fails."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_bench_script_prints_throughput_and_ratio():
    out = printed("bench_registration.py", "--n", "4", "--rounds", "2", "--warmup", "1")
    assert re.search(r"^with log\s+[\d.]+ registrations/s\s+p50\s+[\d.]+ ms\s+p95", out, re.M)
    assert re.search(r"^without log\s+[\d.]+ registrations/s\s+p50\s+[\d.]+ ms\s+p95", out, re.M)
    assert re.search(r"^ratio: \d+\.\d\d ", out, re.M)
    assert "chain intact" in out


def test_matching_bench_script_prints_figures_beside_their_baselines(tmp_path):
    database = str(tmp_path / "bench-matching.sqlite3")
    out = printed(
        "bench_matching.py", "--persons", "300", "--lookups", "20", "--database", database
    )
    assert re.search(r"^build: [\d.]+ s for 300 persons", out, re.M)
    assert re.search(r"^ {4}matching\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms", out, re.M)
    assert re.search(r"^ {4}baseline\s+p50\s+[\d.]+ ms\s+p95\s+[\d.]+ ms", out, re.M)
    assert re.search(r"^ {4}ratio: p50 \d+\.\d, p95 \d+\.\d \(matching / baseline\)$", out, re.M)
    run = re.search(
        r"^ {4}fuzzy_run\s+[\d.]+ s\s+blocks (\d+), identities opened (\d+), "
        r"comparisons (\d+), new candidates (\d+)$",
        out,
        re.M,
    )
    assert run, out
    baseline = re.search(
        r"^ {4}baseline\s+[\d.]+ s\s+blocks (\d+), comparisons (\d+), candidates (\d+)",
        out,
        re.M,
    )
    assert baseline, out
    # The baseline does the same work: the same blocks, comparisons and candidates.
    assert baseline.groups() == (run[1], run[3], run[4])
    assert re.search(r"^ {4}ratio: \d+\.\d \(fuzzy_run / baseline\)$", out, re.M)
    by_lookup = re.search(r"found by the look-up: (\d+) of (\d+) \(([\d.]+) identities opened", out)
    assert by_lookup and int(by_lookup[2]) == 6 and int(by_lookup[1]) >= 5, out
    assert float(by_lookup[3]) <= 3  # only the records sharing a narrow block are opened
    planted = re.search(r"planted near-duplicates found: (\d+) of (\d+)", out)
    assert planted and int(planted[2]) == 6 and int(planted[1]) >= 5, out
    assert not (tmp_path / "bench-matching.sqlite3").exists()  # removed afterwards


def test_check_bench_script_prints_served_and_in_process_shares_of_the_constant_page(tmp_path):
    """scripts/bench_check.py (issue 12 §5): gunicorn with 2 workers and this process's
    CPU time, each page beside the constant start page of the same run."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "TMPDIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)  # SQLite of its own
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "bench_check.py"),
            *("--requests", "4", "--cpu-requests", "4", "--rounds", "2", "--warmup", "1"),
        ],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    assert "2 sync workers, DEBUG off; one client, 4 sequential requests per page" in out
    number = r"\s+[\d.]+"
    for page in ("start page \\(constant\\)", "form, first page", "form, posted step", "outcome"):
        # served: p50, p95, req/s, share; in this process: KB, templates, CPU ms, share
        assert re.search(rf"^{page}{number}{number}{number}\s+\d+%$", out, re.M), out
        assert re.search(rf"^{page}{number}\s+\d+{number}\s+\d+%$", out, re.M), out
    assert re.search(r"^start page \(constant\) .*\s100%$", out, re.M), out
    for kind in ("served", "in-process CPU"):
        assert re.search(
            rf"^goal \({kind}\): the form and the outcome at >= 50% of the constant page: "
            r"(met|not met) \(form \d+%, posted step \d+%, outcome \d+%\)$",
            out,
            re.M,
        ), out
    assert re.search(
        r"^load average \(1, 5, 15 min\): [\d.]+, [\d.]+, [\d.]+ on \d+ CPUs$", out, re.M
    )
    assert list(tmp_path.iterdir()) == []  # the throw-away database is gone
