#!/usr/bin/env bash
# Runs a command against PostgreSQL: the one in DATABASE_URL when it is a postgres URL,
# else a throwaway server started here on a free loopback port and stopped afterwards.
set -euo pipefail
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  exec "$@"
fi
root=$(cd "$(dirname "$0")/.." && pwd)
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
data="$root/.pgtest/data"
# A free loopback port, unless one is given: two checkouts may test at the same time.
port=${FICARCHIVE_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
run_pg() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
mkdir -p "$root/.pgtest"
if [ "$(id -u)" = 0 ]; then chown postgres "$root/.pgtest"; fi
if [ ! -f "$data/PG_VERSION" ]; then
  run_pg "$bindir/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
fi
run_pg "$bindir/pg_ctl" -D "$data" -w -l "$root/.pgtest/log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k /tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
trap 'run_pg "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null' EXIT
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/ficarchive"
export FICARCHIVE_HOME=$(mktemp -d)
"$@"
