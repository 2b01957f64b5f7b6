#!/usr/bin/env bash
# HTTP benchmark: `mixbit serve` and nginx answering GET /health with a fixed 2-byte body, driven by wrk at
# 64 connections, in the same run on the same machine. Prints a markdown table with requests/s, p50 and p99
# latency and mixbit's fraction of nginx's throughput.
#
#   bench/http/run.sh [DURATION_SECONDS] [ROUNDS]
#
# Needs: nginx-light and wrk (installed by this script through apt when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration=${1:-10}
rounds=${2:-3}
connections=64
threads=2
mixbit_port=18090
nginx_port=18091

for tool in nginx:nginx-light wrk:wrk; do
    command -v "${tool%%:*}" >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${tool##*:}"; }
done

swift build -c release --product mixbit >/dev/null
work=$(mktemp -d)
cleanup() {
    [ -n "${mixbit_pid:-}" ] && kill "$mixbit_pid" 2>/dev/null || true
    [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
    sleep 0.5
    rm -rf "$work"
}
trap cleanup EXIT

cores=$(nproc)
.build/release/mixbit serve --port "$mixbit_port" --no-access-log --log-level warning \
    --backend-store-uri "sqlite:///$work/mixbit.db" --artifacts-destination "$work/artifacts" &
mixbit_pid=$!

# nginx with as many workers as mixbit has event loops (one per core), no access log, keep-alive unlimited.
cat > "$work/nginx.conf" <<NGINX
worker_processes $cores;
pid $work/nginx.pid;
error_log $work/error.log warn;
events { worker_connections 4096; }
http {
    access_log off;
    keepalive_requests 100000000;
    client_body_temp_path $work;
    proxy_temp_path $work;
    fastcgi_temp_path $work;
    uwsgi_temp_path $work;
    scgi_temp_path $work;
    server {
        listen 127.0.0.1:$nginx_port;
        location = /health { default_type text/plain; return 200 "OK"; }
    }
}
NGINX
nginx -c "$work/nginx.conf"

for port in $mixbit_port $nginx_port; do
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.05; done
done

# wrk's "Requests/sec" and the 50% / 99% lines of --latency, converted to milliseconds.
measure() {
    local out
    out=$(wrk -t"$threads" -c"$connections" -d"${duration}s" --latency "http://127.0.0.1:$1/health")
    local rps p50 p99
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    echo "$rps $(to_ms "$p50") $(to_ms "$p99")"
}
to_ms() {
    awk -v v="$1" 'BEGIN {
        if (v ~ /us$/) { sub(/us$/, "", v); printf "%.3f", v / 1000 }
        else if (v ~ /ms$/) { sub(/ms$/, "", v); printf "%.3f", v }
        else if (v ~ /s$/) { sub(/s$/, "", v); printf "%.3f", v * 1000 }
        else print v }'
}

echo "| round | server | requests/s | p50 ms | p99 ms |"
echo "|---|---|---|---|---|"
sum_m=0; sum_n=0
for round in $(seq "$rounds"); do
    # Alternate the order so neither server always runs on a warmer or busier machine.
    if ((round % 2)); then order="mixbit nginx"; else order="nginx mixbit"; fi
    for server in $order; do
        port=$([ "$server" = mixbit ] && echo $mixbit_port || echo $nginx_port)
        read -r rps p50 p99 < <(measure "$port")
        echo "| $round | $server | $rps | $p50 | $p99 |"
        if [ "$server" = mixbit ]; then sum_m=$(awk -v a="$sum_m" -v b="$rps" 'BEGIN{print a+b}'); else sum_n=$(awk -v a="$sum_n" -v b="$rps" 'BEGIN{print a+b}'); fi
    done
done
awk -v m="$sum_m" -v n="$sum_n" -v r="$rounds" 'BEGIN {
    printf "\nmean requests/s: mixbit %.0f, nginx %.0f; mixbit / nginx = %.2f\n", m / r, n / r, m / n }'
echo "mixbit RSS after the run: $(awk '/VmRSS/ {print $2, $3}' /proc/$mixbit_pid/status)"
