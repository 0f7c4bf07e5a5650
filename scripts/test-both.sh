#!/usr/bin/env bash
# Runs the whole test suite on SQLite and on PostgreSQL at the same time (one process
# each, so both cores work), then prints both reports, SQLite first. Fails if either does.
set -u
cd "$(dirname "$0")/.."
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
make --no-print-directory test-sqlite-half >"$logs/sqlite.log" 2>&1 &
sqlite=$!
make --no-print-directory test-postgres-half >"$logs/postgres.log" 2>&1 &
postgres=$!
wait $sqlite; sqlite_rc=$?
wait $postgres; postgres_rc=$?
cat "$logs/sqlite.log" "$logs/postgres.log"
echo "SQLite: exit $sqlite_rc; PostgreSQL: exit $postgres_rc"
# One closing line for both runs, in the plain "N passed, N failed" form.
summaries=$(grep -hE '^(=+ )?[0-9]+ [a-z]+.* in [0-9.]+s' "$logs"/*.log)
count() { grep -oE "[0-9]+ $1" <<<"$summaries" | awk '{n += $1} END {print n + 0}'; }
failed=$(( $(count failed) + $(count error) ))
[ $sqlite_rc -eq 0 ] && [ $postgres_rc -eq 0 ] || [ $failed -gt 0 ] || failed=1
echo "all: $(count passed) passed, $failed failed, $(count skipped) skipped"
[ $sqlite_rc -eq 0 ] && [ $postgres_rc -eq 0 ]
