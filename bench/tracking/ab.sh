#!/usr/bin/env bash
# Side-by-side comparison of two mixbit builds on one tracking workload: PAIRS rounds of (A, B), each on a fresh
# server and SQLite database, with the same wrk load as bench.py (2 threads, 8 connections, 2 s untimed warm-up,
# then SECONDS timed). Prints requests/s and the server's CPU time per request (utime + stime from /proc, divided
# by the requests answered), which varies less than requests/s on a shared machine.
#
#   bench/tracking/ab.sh OLD_BINARY NEW_BINARY WORKLOAD [PAIRS] [SECONDS]
#   WORKLOAD: create_run | log_metric | log_batch | get_run | search_runs | get_history
#
# Uses the benchmark's venv (.venv-bench, made by run.sh / setup-venv.sh) for seeding, and wrk.
set -euo pipefail

if [ "$#" -lt 3 ]; then
    sed -n '2,9p' "$0" >&2
    exit 2
fi
here="$(cd "$(dirname "$0")" && pwd)"
python="$here/../../.venv-bench/bin/python"
[ -x "$python" ] || { echo "ab.sh: $python missing; run bench/tracking/setup-venv.sh first" >&2; exit 1; }
binaries=("$1" "$2")
workload=$3
pairs=${4:-3}
seconds=${5:-4}

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# Starts BINARY on a fresh database, seeds what WORKLOAD needs and prints "requests/s cpu-µs-per-request".
measure() {
    local binary=$1 port dir pid target args=()
    port=$(free_port)
    dir=$(mktemp -d)
    "$binary" serve --port "$port" --backend-store-uri "sqlite:///$dir/db.sqlite" \
        --artifacts-destination "$dir/artifacts" --no-access-log --log-level warning >"$dir/log" 2>&1 &
    pid=$!
    # Seeding goes through bench.py's own helpers, so the data is the benchmark's.
    target=$(cd "$here" && PORT=$port WORKLOAD=$workload "$python" - <<'PY'
import os, time
import bench
port, workload = int(os.environ["PORT"]), os.environ["WORKLOAD"]
for _ in range(200):
    try:
        api = bench.Api(port)
        exp = bench.create_experiment(api, "ab")
        break
    except Exception:
        time.sleep(0.05)
if workload == "create_run":
    print(exp)
elif workload in ("log_metric", "log_batch"):
    print(bench.create_run(api, exp))
elif workload == "get_run":
    print(bench.seed_get_run(api, exp))
elif workload == "search_runs":
    bench.seed_search_runs(port, exp)
    print(exp)
elif workload == "get_history":
    print(bench.seed_history(api, exp))
else:
    raise SystemExit(f"unknown workload {workload}")
PY
)
    local url="http://127.0.0.1:$port"
    case $workload in
        create_run) args=(-s "$here/create_run.lua" "$url" -- "$target") ;;
        log_metric) args=(-s "$here/log_metric.lua" "$url" -- "$target" 2) ;;
        log_batch) args=(-s "$here/log_batch.lua" "$url" -- "$target" 2 100) ;;
        get_run) args=("$url/api/2.0/mlflow/runs/get?run_id=$target") ;;
        search_runs) args=(-s "$here/search_runs.lua" "$url" -- "$target") ;;
        get_history) args=("$url/api/2.0/mlflow/metrics/get-history?run_id=$target&metric_key=loss&max_results=25000") ;;
    esac
    wrk -t2 -c8 -d2s "${args[@]}" >/dev/null
    local ticks0 ticks1 out requests
    ticks0=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    out=$(wrk -t2 -c8 -d"${seconds}s" "${args[@]}")
    ticks1=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    kill "$pid"
    wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    awk -v rps="$(awk '/Requests\/sec/ {print $2}' <<<"$out")" -v t="$((ticks1 - ticks0))" -v n="$requests" \
        -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.0f requests/s, %.1f µs CPU per request\n", rps, t / hz * 1e6 / n }'
}

for round in $(seq 1 "$pairs"); do
    for side in 0 1; do
        label=$([ "$side" -eq 0 ] && echo A || echo B)
        echo "round $round $label $(basename "${binaries[$side]}") $workload: $(measure "${binaries[$side]}")"
    done
done
