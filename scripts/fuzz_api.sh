#!/usr/bin/env bash
# The long schemathesis run, for before a release: tests/api/test_fuzz.py with hundreds
# of examples per operation (random, not the suite's fixed few), on SQLite and then on
# PostgreSQL ($PG_URL). Prints, per operation and per database, the requests tried, the
# status codes, the 5xx answers, the response-schema violations and the schema-valid
# requests that were refused; fails when any of the last three is not zero.
#
#   scripts/fuzz_api.sh [EXAMPLES_PER_OPERATION]     (default 300)
#   PG_URL=postgres://postgres@127.0.0.1:5432/mydb scripts/fuzz_api.sh 500
set -u
cd "$(dirname "$0")/.."
examples=${1:-300}
pg_url=${PG_URL:-postgres://postgres@127.0.0.1:5432/test}
py=.venv/bin/python
status=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() {
    local name=$1 rc
    shift
    echo "== schemathesis, $examples examples per operation, on $name"
    env "$@" FUZZ_EXAMPLES="$examples" FUZZ_REPORT=1 \
        $py -m pytest -q -p no:cacheprovider -s tests/api/test_fuzz.py >"$log" 2>&1
    rc=$?
    # Django logs every 4xx as a warning; the figures are what counts here.
    grep -vE '^(Bad Request|Not Found|Conflict|Unsupported Media Type): ' "$log"
    return $rc
}
run SQLite -u DATABASE_URL || status=1
run "PostgreSQL ($pg_url)" DATABASE_URL="$pg_url" || status=1
exit $status
