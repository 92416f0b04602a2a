#!/usr/bin/env bash
# `make loadtest`: a fresh archive in a temporary FICARCHIVE_HOME (or DATABASE_URL, when set),
# demo-sized content, 200 users, `ficarchive serve` with several workers, then the check.
#   DURATION=300 USERS=200 WORKERS=4 bash deploy/loadtest.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
PY=${PY:-$root/.venv/bin/python}
DURATION=${DURATION:-300}
USERS=${USERS:-200}
WORKERS=${WORKERS:-4}
PORT=${PORT:-18080}
export FICARCHIVE_HOME=${FICARCHIVE_HOME:-$(mktemp -d)}
export DJANGO_SETTINGS_MODULE=config.settings.base
# Every writer is one account; limits meant for abuse would cap the test itself.
export FICARCHIVE_RATELIMIT_ENABLED=0
cli() { "$PY" -m ficarchive.cli "$@"; }
cli migrate -v0
pw=$FICARCHIVE_HOME/loadtest-password
echo "load-test-password-$RANDOM$RANDOM" > "$pw"
"$PY" - "$USERS" "$(cat "$pw")" <<'PYEOF'
import os, sys, django
django.setup()
from ficarchive.accounts.models import User
from ficarchive.core.testing import make_work
from ficarchive.tags.vocabulary import Rating
users, password = int(sys.argv[1]), sys.argv[2]
for n in range(users):
    if not User.objects.filter(username=f"loaduser{n}").exists():
        u = User.objects.create_user(username=f"loaduser{n}", password=password, email=f"l{n}@example.org")
        u.default_pseud()
author = User.objects.get(username="loaduser1")
ratings = [Rating.GENERAL, Rating.TEEN, Rating.MATURE]
para = "The fog lay thick upon the moor and Holmes took his tea by the fire. " * 30
for i in range(60 - author.pseuds.first().creatorships.count()):
    make_work(author, title=f"Load work {i}", chapters=[para] * (1 + i % 3), rating=ratings[i % 3])
PYEOF
cli serve --port "$PORT" --workers "$WORKERS" > "$FICARCHIVE_HOME/serve.log" 2>&1 &
server=$!
trap 'kill -TERM $server 2>/dev/null; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done
"$PY" deploy/loadtest.py --base "http://127.0.0.1:$PORT" --users "$USERS" --duration "$DURATION" \
  --password-file "$pw" --check-db
