#!/usr/bin/env bash
# Runs the MLflow-client compatibility suite against `mixbit serve`: on SQLite, and again on PostgreSQL
# when MIXBIT_TEST_POSTGRES_URL is set. Exits non-zero if any run fails.
#
#   Tests/compat/run.sh [extra pytest args]      # MIXBIT_BIN overrides .build/debug/mixbit
#   COMPAT_SERVER=mlflow Tests/compat/run.sh     # validates the suite against the official server
set -uo pipefail
cd "$(dirname "$0")/../.."

python=$(scripts/setup-python.sh | tail -n 1) || { echo "compat: venv set-up failed" >&2; exit 2; }
export COMPAT_SERVER=${COMPAT_SERVER:-mixbit}

backends=(sqlite)
if [ "$COMPAT_SERVER" = mixbit ] && [ -n "${MIXBIT_TEST_POSTGRES_URL:-}" ]; then
    backends+=(postgres)
fi

status=0
for backend in "${backends[@]}"; do
    echo "== compat: $COMPAT_SERVER on $backend"
    if [ "$backend" = postgres ]; then
        COMPAT_BACKEND=postgres "$python" -m pytest Tests/compat -q -rfE "$@" || status=1
    else
        # COMPAT_BACKEND unset: the fixture uses a throwaway SQLite file.
        env -u COMPAT_BACKEND "$python" -m pytest Tests/compat -q -rfE "$@" || status=1
    fi
done
exit $status
