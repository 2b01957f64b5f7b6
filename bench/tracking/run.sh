#!/usr/bin/env bash
# Tracking benchmark: MLflow's server, FastTrackML and mixbit under the same MLflow REST workloads
# (wrk, 2 threads, 8 connections), each on a fresh SQLite database, one after another in one run.
# Prints a markdown table of requests/s, memory and start-up time, with mixbit's ratios.
#
#   bench/tracking/run.sh [SECONDS_PER_WORKLOAD]        (default 5)
#
# Environment: BENCH_MLFLOW_WORKERS=N (uvicorn workers for mlflow server; default: its own default, 4),
# MIXBIT_BIN=path (skip the release build and use this binary), BENCH_OUTPUT=file (also write the table),
# BENCH_SERVERS=mlflow,fasttrackml,mixbit (a subset). Other MLFLOW_* variables reach mlflow server unchanged,
# e.g. MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false.
# Needs: python3 (venv), wrk (installed through apt when missing), swift (to build mixbit).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${1:-5}
command -v wrk >/dev/null || {
    sudo_cmd=(); [ "$(id -u)" -eq 0 ] || sudo_cmd=(sudo)
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq wrk
}
bench/tracking/setup-venv.sh

if [ -z "${MIXBIT_BIN:-}" ]; then
    # A failed build leaves mixbit's column n/a instead of aborting the other servers' numbers.
    swift build -c release --product mixbit >/dev/null || echo "bench/tracking: release build of mixbit failed" >&2
    MIXBIT_BIN="$PWD/.build/release/mixbit"  # absolute: bench.py starts servers from their work directory
fi

args=(--duration "$duration" --mixbit "$MIXBIT_BIN")
[ -n "${BENCH_MLFLOW_WORKERS:-}" ] && args+=(--mlflow-workers "$BENCH_MLFLOW_WORKERS")
[ -n "${BENCH_OUTPUT:-}" ] && args+=(--output "$BENCH_OUTPUT")
[ -n "${BENCH_SERVERS:-}" ] && args+=(--servers "$BENCH_SERVERS")
exec .venv-bench/bin/python bench/tracking/bench.py "${args[@]}"
