#!/usr/bin/env bash
# Runs CMD... with a throwaway PostgreSQL cluster: initdb in a temporary directory, pg_ctl start on a free
# 127.0.0.1 port (socket in the same directory), one database, MIXBIT_TEST_POSTGRES_URL exported. The cluster is
# stopped and deleted when CMD exits, whether it succeeded or not. CMD's exit status is returned.
#   scripts/with-postgres.sh swift test
set -euo pipefail

if [ "$#" -eq 0 ]; then
    echo "usage: $0 CMD [ARGS...]" >&2
    exit 2
fi

pg_bin=""
for candidate in /usr/lib/postgresql/*/bin; do
    [ -x "$candidate/initdb" ] && pg_bin="$candidate"
done
if [ -z "$pg_bin" ]; then
    echo "with-postgres: initdb not found; installing postgresql" >&2
    "$(dirname "$0")/install-deps.sh"
    for candidate in /usr/lib/postgresql/*/bin; do
        [ -x "$candidate/initdb" ] && pg_bin="$candidate"
    done
fi
[ -n "$pg_bin" ] || { echo "with-postgres: no PostgreSQL server binaries" >&2; exit 1; }

workdir="$(mktemp -d /tmp/mixbit-pg.XXXXXX)"
chmod 755 "$workdir"

# initdb and the server refuse to run as root, so as root they run as an unprivileged user.
as_owner=()
if [ "$(id -u)" -eq 0 ]; then
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$owner"
    chown "$owner" "$workdir"
    as_owner=(runuser -u "$owner" --)
fi

cleanup() {
    "${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$workdir"
}
trap cleanup EXIT INT TERM

port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
"${as_owner[@]}" "$pg_bin/initdb" -D "$workdir/data" -U mixbit --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
    >"$workdir/initdb.log" 2>&1 || { cat "$workdir/initdb.log" >&2; exit 1; }
# Durability is not under test here; fsync=off keeps the throwaway cluster fast.
"${as_owner[@]}" "$pg_bin/pg_ctl" -D "$workdir/data" -l "$workdir/server.log" -w -t 60 start \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $workdir -c fsync=off -c max_connections=200" >/dev/null \
    || { cat "$workdir/server.log" >&2; exit 1; }
"${as_owner[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U mixbit mixbit_test

export MIXBIT_TEST_POSTGRES_URL="postgresql://mixbit@127.0.0.1:$port/mixbit_test"
export MIXBIT_TEST_POSTGRES_BIN="$pg_bin"
status=0
"$@" || status=$?
exit "$status"
