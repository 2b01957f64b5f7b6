#!/usr/bin/env bash
# Every test suite, one after another, so one failure does not hide another: the Swift tests (all modules,
# both store backends when MIXBIT_TEST_POSTGRES_URL is set), then the MLflow-client compatibility suite against
# the debug `mixbit` binary on SQLite and PostgreSQL. Exits non-zero if any failed.
#   scripts/with-postgres.sh scripts/run-tests.sh      (what `make test` runs)
set -uo pipefail
cd "$(dirname "$0")/.."
swift=${SWIFT:-swift}

status=0
echo "== swift test"
"$swift" test --skip-build || status=1
echo "== MLflow client compatibility suite"
MIXBIT_BIN=${MIXBIT_BIN:-$PWD/.build/debug/mixbit} Tests/compat/run.sh || status=1
exit $status
