#!/usr/bin/env bash
# Mutation testing of the lens engine: mutmut changes lens/rules one small edit at a time
# (a comparison flipped, a number changed, a call dropped) and runs tests/rules against
# each mutant; a mutant the tests do not notice "survives". Prints killed/survived/total
# and the score, in all and per file. Slow (an hour or more on a shared machine): a
# script, not part of the test suite.
#
#   scripts/mutation.sh              run every file afresh (one process: the machine is
#                                    shared) and report
#   scripts/mutation.sh FILE...      run only these files of lens/rules (e.g. `report
#                                    inputs`), keeping the results of earlier runs of the
#                                    others: a long run done file by file
#   scripts/mutation.sh --report     report the last run(s) again
#   .venv/bin/mutmut results         list the surviving mutants; `mutmut show NAME` shows one
#
# A file not (yet) run shows its mutants as "not checked"; the per-file lines say which.
# The last score and the survivors judged equivalent (with why): tests/rules/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT=.venv/bin/mutmut
# Few generated examples per property under mutation (tests/rules/conftest.py).
export RULES_HYPOTHESIS_PROFILE=rules-mutation
if [[ "${1:-}" != "--report" ]]; then
    if [[ $# -eq 0 ]]; then
        rm -rf mutants
        "$MUTMUT" run --max-children 1 || true
    else
        globs=()
        for f in "$@"; do globs+=("lens.rules.${f%.py}.*"); done
        "$MUTMUT" run --max-children 1 "${globs[@]}" || true
    fi
fi
"$MUTMUT" export-cicd-stats >/dev/null
.venv/bin/python - <<'PY'
import json
from pathlib import Path

from mutmut.stats import status_by_exit_code

KILLED = {"killed", "timeout", "segfault"}


def line(name, counts):
    killed = sum(counts.get(k, 0) for k in KILLED)
    # Judged: every mutant with a verdict; "no tests" (no test reaches it) counts as not
    # killed. Not judged: "not checked" (its file not run yet) and "skipped".
    judged = killed + sum(counts.get(k, 0) for k in ("survived", "no tests", "suspicious"))
    score = f"{100 * killed / judged:.1f}%" if judged else "-"
    rest = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()) if k not in KILLED)
    return f"{name:12} killed {killed:4}/{judged:4} judged = {score:6}  {rest}"


every = {}
for meta in sorted(Path("mutants/lens/rules").glob("*.py.meta")):
    counts = {}
    for code in json.loads(meta.read_text())["exit_code_by_key"].values():
        status = status_by_exit_code[code]
        counts[status] = counts.get(status, 0) + 1
        every[status] = every.get(status, 0) + 1
    print(line(meta.name.removesuffix(".py.meta"), counts))
print(line("all", every))
PY
