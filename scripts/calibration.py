#!/usr/bin/env python
"""Run the lens engine over the calibration set (tests/calibration/vignettes.yaml) and
print, per vignette, the expected level range and the level the ruleset gives, then the
agreement score.

    .venv/bin/python scripts/calibration.py                       # the ruleset in force
    .venv/bin/python scripts/calibration.py --ruleset other.yaml  # a candidate ruleset
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lens.catalogue.loader import load_catalogue, load_ruleset  # noqa: E402
from tests.calibration import vignettes as v  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--catalogue", type=Path, default=ROOT / "catalogue")
    parser.add_argument("--ruleset", type=Path, default=None)
    args = parser.parse_args()
    catalogue = load_catalogue(args.catalogue)
    ruleset = load_ruleset(args.ruleset or args.catalogue / "ruleset.yaml", catalogue)
    _, vignettes, pairs = v.load()

    print(f"ruleset {ruleset.version}")
    print(f"{'':4} {'case':38} {'expected':>8} {'level':>5}")
    for case in v.all_cases(vignettes, pairs):
        level = v.level(case, catalogue, ruleset)
        low, high = case.expected
        mark = "ok" if low <= level <= high else ("HIGH" if level > high else "LOW")
        expected = f"{low}" if low == high else f"{low}-{high}"
        print(f"{mark:4} {case.id:38} {expected:>8} {level:>5}")
    print()
    for pair in pairs:
        a, b = v.level(pair.a, catalogue, ruleset), v.level(pair.b, catalogue, ruleset)
        mark = "ok" if b > a else "SAME" if a == b else "LOWER"
        print(f"{mark:5} pair {pair.id:32} a {a}  b {b}   ({pair.difference})")
    score = v.agreement(catalogue, ruleset)
    cases, pairs_n = score["cases"], score["pairs"]
    print()
    print(
        f"cases in their expected range: {score['cases_in_range']}/{cases} "
        f"= {100 * score['cases_in_range'] / cases:.1f}%"
    )
    print(
        f"pairs where the one difference raises the level: {score['pairs_ordered']}/{pairs_n} "
        f"= {100 * score['pairs_ordered'] / pairs_n:.1f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
