#!/usr/bin/env bash
# `make loadtest`: a fresh archive in a temporary FICARCHIVE_HOME (or the database in
# DATABASE_URL, when set: give it an empty database), 60 works, one account per writer,
# `ficarchive serve` with several workers, USERS concurrent users for DURATION seconds,
# then the check: zero 5xx, no "database is locked", every accepted kudos and comment
# stored exactly once. Exits non-zero when any of these fails.
#   DURATION=300 USERS=200 WORKERS=4 bash deploy/loadtest.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PY=${PY:-$root/.venv/bin/python}
DURATION=${DURATION:-300}
USERS=${USERS:-200}
WORKERS=${WORKERS:-4}
THREADS=${THREADS:-4}
THINK=${THINK:-0.5}
PORT=${PORT:-18080}
export FICARCHIVE_HOME=${FICARCHIVE_HOME:-$(mktemp -d)}
export DJANGO_SETTINGS_MODULE=config.settings.base
# Rate limiting and lock-out stay on (their cost is part of the figures), but all load users
# come from one address (loopback) and write faster than a person, so the limits meant for
# abuse are raised for the run. Failed log-ins would still lock accounts: the script checks
# that every writer signed in.
export FICARCHIVE_RATE_LIMITS=${FICARCHIVE_RATE_LIMITS:-login=100000/m,login_ip=100000/15m,comment=10000/m,kudos=10000/m}
cli() { "$PY" -m ficarchive.cli "$@"; }
cli migrate -v0
pw=$FICARCHIVE_HOME/loadtest-password
echo "load-test-password-$RANDOM$RANDOM" > "$pw"
chmod 600 "$pw"
# Writers (every fourth user) get accounts through the service `ficarchive user create
# --password-stdin` calls, in one process rather than one per account.
"$PY" deploy/loadtest_setup.py "$USERS" "$pw"
# Started directly, not through the `cli` function: a function run with & is a subshell,
# so $! would be that shell and the exit trap's TERM would leave gunicorn running.
"$PY" -m ficarchive.cli serve --port "$PORT" --workers "$WORKERS" --threads "$THREADS" > "$FICARCHIVE_HOME/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
"$PY" deploy/loadtest.py --base "http://127.0.0.1:$PORT" --users "$USERS" --duration "$DURATION" \
  --think "$THINK" --password-file "$pw" --check-db --server-log "$FICARCHIVE_HOME/serve.log" --strict
