#!/usr/bin/env bash
# Mutation testing of the lens engine: mutmut changes lens/rules one small edit at a time
# (a comparison flipped, a number changed, a call dropped) and runs tests/rules against
# each mutant; a mutant the tests do not notice "survives". Prints killed/survived/total
# and the score. Slow (tens of minutes): a script, not part of the test suite.
#
#   scripts/mutation.sh            run (one process: the machine is shared) and report
#   scripts/mutation.sh --report   report the last run again
#   .venv/bin/mutmut results       list the surviving mutants; `mutmut show NAME` shows one
#
# The last score and the survivors judged equivalent (with why): tests/rules/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
MUTMUT=.venv/bin/mutmut
# Few generated examples per property under mutation (tests/rules/conftest.py).
export RULES_HYPOTHESIS_PROFILE=rules-mutation
if [[ "${1:-}" != "--report" ]]; then
    rm -rf mutants
    "$MUTMUT" run --max-children 1 || true
fi
"$MUTMUT" export-cicd-stats >/dev/null
.venv/bin/python - <<'PY'
import json

s = json.load(open("mutants/mutmut-cicd-stats.json"))
killed = s["killed"] + s["timeout"] + s["segfault"]
judged = s["total"] - s["skipped"]
print(f"killed {killed}  survived {s['survived']}  no tests {s['no_tests']}  "
      f"suspicious {s['suspicious']}  total {s['total']}")
print(f"mutation score: {killed}/{judged} = {100 * killed / max(judged, 1):.1f}% killed")
PY
