#!/usr/bin/env python3
"""Fuzz the catalogue loader for longer than the suite does (tests/catalogue/test_fuzz.py).

    .venv/bin/python scripts/fuzz_catalogue.py [--examples N] [--seed S]

Tries N examples of each kind (arbitrary YAML in one file of the minimal catalogue;
mutations of the minimal catalogue; mutations of the real catalogue files) and prints,
per kind, how many examples were tried, how many loaded, how many were refused with the
loader's own errors, and every failure (an exception other than CatalogueInvalid, or an
error without file and line) with the shrunk example. Exit 1 when anything failed.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from hypothesis import HealthCheck, given, seed, settings

from tests.catalogue.fuzzing import (
    arbitrary_files,
    check_directory,
    mutated_files,
    real_files,
    write_files,
)
from tests.catalogue.minimal import FILES


def run(name: str, strategy, examples: int, chosen_seed: int | None) -> bool:
    outcomes: Counter[str] = Counter()

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def fuzz(files):
        with tempfile.TemporaryDirectory(prefix="lens-fuzz-") as directory:
            try:
                outcomes[check_directory(write_files(Path(directory) / "c", files))] += 1
            except Exception:
                outcomes["failed"] += 1
                raise

    if chosen_seed is not None:
        fuzz = seed(chosen_seed)(fuzz)
    failed = False
    try:
        fuzz()
    except Exception:
        failed = True
        traceback.print_exc()
    tried = sum(outcomes.values())
    print(
        f"{name}: {tried} examples tried, {outcomes['loaded']} loaded, "
        f"{outcomes['invalid']} refused with file:line errors, "
        f"{outcomes['failed']} failed (while shrinking too)"
    )
    return not failed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--examples", type=int, default=500, help="examples per kind")
    parser.add_argument("--seed", type=int, default=None)
    args = parser.parse_args()
    kinds = [
        ("arbitrary YAML", arbitrary_files(FILES)),
        ("mutated minimal catalogue", mutated_files(FILES)),
        ("mutated real catalogue", mutated_files(real_files())),
    ]
    ok = [run(name, strategy, args.examples, args.seed) for name, strategy in kinds]
    print("failures: none" if all(ok) else "failures: see the tracebacks above")
    return 0 if all(ok) else 1


if __name__ == "__main__":
    sys.exit(main())
