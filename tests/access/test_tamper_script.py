"""The tampering trial (scripts/tamper_accesslog.py), briefly: 30 random single-row
tamperings of a small demo log, on the database the suite runs on. The long run (1,000
and more) is the script itself."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_tampering_is_found_and_nothing_crashes():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "tamper_accesslog.py"),
            "--count",
            "30",
            "--persons",
            "2",
            "--seed",
            "7",
        ],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    out = result.stdout
    without = re.search(
        r"^without --expect-head: tried 30, found (\d+), missed (\d+)(.*), crashed 0$", out, re.M
    )
    assert without, out
    found, missed, kinds = int(without[1]), int(without[2]), without[3]
    assert found + missed == 30
    # Only the newest entries removed can go unnoticed without the noted hash.
    assert missed == 0 or kinds == f" (delete newest: {missed})", out
    assert re.search(r"^with --expect-head: +tried 30, found 30, missed 0, crashed 0$", out, re.M)
    assert "copy intact after the trial: yes" in out
    assert "result: as expected" in out
