#!/usr/bin/env bash
# `make scaleout`: PostgreSQL (a primary and a streaming replica) + Redis + two app servers +
# a background worker + nginx, all on loopback, in $SCALEOUT_DIR; then
# deploy/scaleout_check.py runs against it. The app servers read from the replica and write
# to the primary (DATABASE_REPLICA_URL, ficarchive/core/dbrouter.py).
#   bash deploy/scaleout.sh up      start everything (idempotent)
#   bash deploy/scaleout.sh check   run the check against a running set
#   bash deploy/scaleout.sh down    stop everything
#   bash deploy/scaleout.sh         up, check, down (exit status: the check's; `make scaleout`)
#   bash deploy/scaleout.sh all     the same
#   bash deploy/scaleout.sh loadtest   up (with the load test's raised abuse limits), USERS
#                                      users for DURATION s through nginx, database check, down
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
RUN=${SCALEOUT_DIR:-/tmp/ficarchive-scaleout}
PY=${PY:-$root/.venv/bin/python}
PG_PORT=${PG_PORT:-55434}
REPLICA_PORT=${REPLICA_PORT:-55435}
REDIS_PORT=${REDIS_PORT:-56379}
APP1=${APP1_PORT:-18001}
APP2=${APP2_PORT:-18002}
PORT=${NGINX_PORT:-18000}
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

export_env() {
  export DJANGO_SETTINGS_MODULE=config.settings.base
  export FICARCHIVE_HOME=$RUN/home                 # shared media and downloads (NFS on several machines)
  export DATABASE_URL=postgres://postgres@127.0.0.1:$PG_PORT/ficarchive
  export DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:$REPLICA_PORT/ficarchive
  export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
  export FICARCHIVE_TASK_MODE=worker
  export FICARCHIVE_SECRET_KEY=$(cat "$RUN/secret_key")
  export FICARCHIVE_ALLOWED_HOSTS=127.0.0.1,localhost
  export FICARCHIVE_SITE_URL=http://127.0.0.1:$PORT
  # nginx runs on loopback: its X-Forwarded-For is believed for kudos, hits and limits.
  export FICARCHIVE_TRUSTED_PROXIES=127.0.0.1/32,::1/128
}

up() {
  mkdir -p "$RUN/home" "$RUN/nginx-tmp" "$RUN/log"
  [ -f "$RUN/secret_key" ] || "$PY" -c "import secrets; print(secrets.token_urlsafe(60))" > "$RUN/secret_key"
  chmod 600 "$RUN/secret_key"
  # PostgreSQL
  if [ ! -f "$RUN/pg/PG_VERSION" ]; then
    mkdir -p "$RUN/pg" "$RUN/pglog"; if [ "$(id -u)" = 0 ]; then chown postgres "$RUN/pg" "$RUN/pglog"; fi
    as_pg "$bindir/initdb" -D "$RUN/pg" -U postgres -A trust -E UTF8 >/dev/null
  fi
  if ! as_pg "$bindir/pg_ctl" -D "$RUN/pg" status >/dev/null 2>&1; then
    as_pg "$bindir/pg_ctl" -D "$RUN/pg" -w -l "$RUN/pglog/postgres.log" -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k /tmp" start >/dev/null
  fi
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='ficarchive'" | grep -q 1 \
    || psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -qc "CREATE DATABASE ficarchive"
  # The streaming replica: a base backup of the primary over the replication protocol (initdb's
  # pg_hba.conf trusts replication from loopback), -R writes standby.signal and the
  # primary_conninfo, so the copy starts as a hot standby following the primary's WAL.
  if [ ! -f "$RUN/pg-replica/standby.signal" ]; then
    rm -rf "$RUN/pg-replica"; mkdir -p "$RUN/pg-replica"; chmod 700 "$RUN/pg-replica"
    if [ "$(id -u)" = 0 ]; then chown postgres "$RUN/pg-replica"; fi
    as_pg "$bindir/pg_basebackup" -h 127.0.0.1 -p "$PG_PORT" -U postgres -D "$RUN/pg-replica" -R -X stream -c fast
  fi
  if ! as_pg "$bindir/pg_ctl" -D "$RUN/pg-replica" status >/dev/null 2>&1; then
    as_pg "$bindir/pg_ctl" -D "$RUN/pg-replica" -w -l "$RUN/pglog/replica.log" \
      -o "-p $REPLICA_PORT -c listen_addresses=127.0.0.1 -k /tmp -c hot_standby=on -c hot_standby_feedback=on" start >/dev/null
  fi
  # Redis (no persistence needed: sessions are written through to the database)
  if ! redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir "$RUN" --pidfile "$RUN/redis.pid" --logfile "$RUN/redis.log"
  fi
  export_env
  cd "$root"
  "$PY" -m ficarchive.cli migrate -v0
  command -v nginx >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends nginx-light >/dev/null; }
  # Two app servers, one worker: each writes its pid so `down` stops exactly these.
  for port in "$APP1" "$APP2"; do
    if ! curl -sf "http://127.0.0.1:$port/healthz" >/dev/null; then
      setsid "$PY" -m ficarchive.cli serve --no-migrate --port "$port" --workers 2 > "$RUN/log/app-$port.log" 2>&1 &
      echo $! > "$RUN/app-$port.pid"
    fi
  done
  if [ ! -f "$RUN/worker.pid" ] || ! kill -0 "$(cat "$RUN/worker.pid")" 2>/dev/null; then
    setsid "$PY" -m ficarchive.cli worker > "$RUN/log/worker.log" 2>&1 &
    echo $! > "$RUN/worker.pid"
  fi
  sed -e "s|@RUN@|$RUN|g" -e "s|@APP1@|$APP1|g" -e "s|@APP2@|$APP2|g" -e "s|@PORT@|$PORT|g" \
    "$root/deploy/nginx.conf.template" > "$RUN/nginx.conf"
  if [ -f "$RUN/nginx.pid" ] && kill -0 "$(cat "$RUN/nginx.pid")" 2>/dev/null; then
    nginx -p "$RUN" -c "$RUN/nginx.conf" -s reload
  else
    nginx -p "$RUN" -c "$RUN/nginx.conf"
  fi
  for port in "$APP1" "$APP2" "$PORT"; do
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$port/healthz" >/dev/null || { echo "port $port did not come up" >&2; exit 1; }
  done
  echo "up: nginx http://127.0.0.1:$PORT  app servers :$APP1 :$APP2  worker  postgres :$PG_PORT (replica :$REPLICA_PORT)  redis :$REDIS_PORT  ($RUN)"
}

check() {
  export_env
  cd "$root"
  "$PY" deploy/scaleout_check.py --nginx "http://127.0.0.1:$PORT" --app1 "http://127.0.0.1:$APP1" --app2 "http://127.0.0.1:$APP2" \
    --app-log "$RUN/log/app-$APP1.log" --app-log "$RUN/log/app-$APP2.log" \
    --replica "postgres://postgres@127.0.0.1:$REPLICA_PORT/ficarchive"
}

down() {
  [ -f "$RUN/nginx.pid" ] && nginx -p "$RUN" -c "$RUN/nginx.conf" -s quit 2>/dev/null || true
  for f in "$RUN"/app-*.pid "$RUN/worker.pid"; do
    [ -f "$f" ] || continue
    pid=$(cat "$f"); kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    rm -f "$f"
  done
  [ -f "$RUN/redis.pid" ] && kill "$(cat "$RUN/redis.pid")" 2>/dev/null || true
  [ -f "$RUN/pg-replica/PG_VERSION" ] && as_pg "$bindir/pg_ctl" -D "$RUN/pg-replica" -m fast stop >/dev/null 2>&1 || true
  [ -f "$RUN/pg/PG_VERSION" ] && as_pg "$bindir/pg_ctl" -D "$RUN/pg" -m fast stop >/dev/null 2>&1 || true
  echo "down"
}

loadtest() {
  # As deploy/loadtest.sh: all load users come from loopback and write faster than people.
  export FICARCHIVE_RATE_LIMITS=${FICARCHIVE_RATE_LIMITS:-login=100000/m,login_ip=100000/15m,comment=10000/m,kudos=10000/m}
  up
  export_env
  cd "$root"
  pw=$RUN/loadtest-password
  [ -f "$pw" ] || { echo "load-test-password-$RANDOM$RANDOM" > "$pw"; chmod 600 "$pw"; }
  "$PY" deploy/loadtest_setup.py "${USERS:-200}" "$pw"
  "$PY" deploy/loadtest.py --base "http://127.0.0.1:$PORT" --users "${USERS:-200}" --duration "${DURATION:-300}" \
    --think "${THINK:-0.5}" --password-file "$pw" --check-db --strict \
    --server-log "$RUN/log/app-$APP1.log" --server-log "$RUN/log/app-$APP2.log"
}

case "${1:-all}" in
  up) up ;;
  check) check ;;
  down) down ;;
  all) trap down EXIT; up; check ;;
  loadtest) trap down EXIT; loadtest ;;
  *) echo "usage: $0 [up|check|down|loadtest]" >&2; exit 2 ;;
esac
