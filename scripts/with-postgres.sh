#!/usr/bin/env bash
# Runs a command against PostgreSQL: the one in DATABASE_URL when it is a postgres URL,
# else a throwaway server started here on a free loopback port and stopped afterwards.
#
# The server's data lives in a fresh directory under the temporary directory (TMPDIR or
# /tmp), removed at exit, never in the checkout: run as root, the server runs as the
# `postgres` user, which cannot enter a checkout under a private (0700) directory such as
# root's home. Each run (and each checkout) gets its own directory and port.
set -euo pipefail
if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
# A free loopback port, unless one is given: two checkouts may test at the same time.
port=${FICARCHIVE_TEST_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
run_pg() {
  # From a directory the server's user can enter: the caller's may be private.
  if [ "$(id -u)" = 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi
}
pgtmp=$(mktemp -d "${TMPDIR:-/tmp}/ficarchive-pg.XXXXXX")
data="$pgtmp/data"
started=0
cleanup() {
  if [ "$started" = 1 ]; then run_pg "$bindir/pg_ctl" -D "$data" -m fast stop >/dev/null || true; fi
  rm -rf "$pgtmp" "${home:-}"
}
trap cleanup EXIT
if [ "$(id -u)" = 0 ]; then chown postgres "$pgtmp"; fi
run_pg "$bindir/initdb" -D "$data" -U postgres -A trust --no-sync -E UTF8 >/dev/null
run_pg "$bindir/pg_ctl" -D "$data" -w -l "$pgtmp/log" \
  -o "-p $port -c listen_addresses=127.0.0.1 -k $pgtmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
started=1
export DATABASE_URL="postgres://postgres@127.0.0.1:$port/ficarchive"
home=$(mktemp -d)
export FICARCHIVE_HOME="$home"
"$@"
