#!/usr/bin/env bash
# bench/store: metric points ingested per second through the Store's logBatch — batches of 100 and 1000,
# 1 and 8 concurrent writers, on SQLite and PostgreSQL — beside Python's sqlite3 executemany into the same schema
# (the raw-SQLite reference), all in the same run. Results: one JSON line per configuration, then a table.
#   bench/store/run.sh [SECONDS_PER_CONFIGURATION]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-5}"
lock=/tmp/mixbit-swift.lock
flock "$lock" swift build -c release --product mixbit-store-bench >&2
bench="$(swift build -c release --show-bin-path)/mixbit-store-bench"
work="$(mktemp -d /tmp/mixbit-bench-store.XXXXXX)"
trap 'rm -rf "$work"' EXIT
results="$work/results.jsonl"

run_all() {
    for batch in 100 1000; do
        for writers in 1 8; do
            rm -f "$work"/*.db*
            python3 bench/store/raw_sqlite.py "$work/raw.db" "$batch" "$writers" "$seconds" | tee -a "$results"
            rm -f "$work"/*.db*
            "$bench" "sqlite:///$work/mixbit.db" "$batch" "$writers" "$seconds" | tee -a "$results"
            "$bench" "$MIXBIT_TEST_POSTGRES_URL" "$batch" "$writers" "$seconds" | tee -a "$results"
        done
    done
}
export -f run_all
export work seconds bench results
# The benchmark holds the shared lock while it runs so that no build competes with it for the cores.
flock "$lock" scripts/with-postgres.sh bash -c run_all

python3 - "$results" <<'PY'
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
print()
print("| implementation | backend | batch | writers | points/s | vs raw sqlite3 |")
print("|---|---|---:|---:|---:|---:|")
ref = {(r["batch"], r["writers"]): r["points_per_s"] for r in rows if r["impl"] != "mixbit"}
for r in rows:
    ratio = r["points_per_s"] / ref[(r["batch"], r["writers"])]
    print(f"| {r['impl']} | {r['backend']} | {r['batch']} | {r['writers']} | {r['points_per_s']:,} | {ratio:.2f}x |")
PY
