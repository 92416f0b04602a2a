#!/usr/bin/env python3
"""Checks a running scale-out (deploy/scaleout.sh): log in on one app server and carry on
on the other; the cache is the shared Redis; nginx spreads requests over both app servers
(seen in their access logs); a download is built by the worker; the app servers read from
the streaming replica and write to the primary, and a browser reads its own writes at once
while the replica is held back (``recovery_min_apply_delay``). Run with the scale-out's
environment (DATABASE_URL, REDIS_URL ...); prints one JSON line; exits 1 when any check
fails or anything goes wrong on the way (the error is in the JSON)."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from ficarchive.core.tests.serverproc import Session  # noqa: E402


def session_for(base: str, cookies: dict[str, str] | None = None) -> Session:
    url = urllib.parse.urlparse(base)
    session = Session(url.hostname or "127.0.0.1", url.port or 80)
    if cookies:
        session.cookies.update(cookies)
    return session


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--nginx", required=True)
    parser.add_argument("--app1", required=True)
    parser.add_argument("--app2", required=True)
    parser.add_argument("--app-log", action="append", default=[],
                        help="an app server's access log (give both): nginx must reach each")
    parser.add_argument("--replica", default="",
                        help="the streaming replica's URL (postgres://...): check routing and read-your-writes")
    args = parser.parse_args()
    results: dict[str, object] = {}
    try:
        ok = run_checks(args, results)
    except Exception as exc:  # noqa: BLE001 - any failure is a failed check, reported in the JSON
        results["error"] = f"{exc.__class__.__name__}: {exc}"
        ok = False
    results["ok"] = bool(ok)
    print(json.dumps(results))
    return 0 if ok else 1


def run_checks(args: argparse.Namespace, results: dict[str, object]) -> bool:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import cache

    from ficarchive.accounts.models import User
    from ficarchive.testing import make_work
    from ficarchive.transfer.models import DownloadJob

    results["database"] = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    results["cache"] = settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]
    ok = results["database"] == "postgresql"
    password = "scale-out-check-" + os.urandom(6).hex()
    name = "scalecheck"
    user = User.objects.filter(username=name).first() or User.objects.create_user(username=name, email="s@example.org")
    user.set_password(password)
    user.save(update_fields=["password"])
    user.default_pseud()

    # 1. Log in on app server 1, continue on app server 2 with the same cookies.
    first = session_for(args.app1)
    results["login_app1"] = first.login(name, password)
    second = session_for(args.app2, first.cookies)
    status, _, body = second.request("GET", f"/users/{name}/preferences")
    results["continue_on_app2"] = status == 200 and name.encode() in body
    status, _, body = first.request("GET", f"/users/{name}/preferences")
    results["continue_on_app1"] = status == 200
    anonymous = session_for(args.app2)
    status, _, _ = anonymous.request("GET", f"/users/{name}/preferences")
    results["guest_refused_on_app2"] = status in (302, 403, 404)
    ok &= all(results[k] for k in ("login_app1", "continue_on_app2", "continue_on_app1", "guest_refused_on_app2"))

    # 2. The cache is shared: a key written here is seen by the app servers' cache (Redis).
    cache.set("scaleout-check", "seen", 60)
    results["cache_shared"] = settings.CACHES["default"]["BACKEND"].endswith("RedisCache") and cache.get("scaleout-check") == "seen"
    ok &= bool(results["cache_shared"])

    # 3. nginx round-robins: tagged requests through it reach both app servers.
    if len(args.app_log) != 2:
        raise SystemExit("give --app-log twice (one per app server)")
    token = "scaleout-" + os.urandom(4).hex()
    front = session_for(args.nginx)
    nginx_statuses = {front.request("GET", f"/healthz?{token}={i}")[0] for i in range(20)}
    time.sleep(0.5)
    reached = [open(log, errors="replace").read().count(token) for log in args.app_log]  # noqa: SIM115
    results["nginx_requests_per_app"] = reached
    results["nginx_spreads"] = nginx_statuses == {200} and sum(reached) == 20 and min(reached) > 0
    ok &= bool(results["nginx_spreads"])

    # 4. Through nginx, a download is queued by an app server and built by the worker.
    from ficarchive.transfer.downloads import BACKGROUND_WORDS

    # Long enough that an app server queues the build instead of making it in the request.
    words = "The fog lay thick upon the moor. " * 200
    chapters = [words] * (BACKGROUND_WORDS // 1400 + 2)
    work = make_work(user, title=f"Scale-out check {int(time.time())}", chapters=chapters)
    via_nginx = session_for(args.nginx, first.cookies)
    path = f"/downloads/{work.pk}/{work.slug}.epub"
    deadline = time.monotonic() + 120
    statuses = []
    while time.monotonic() < deadline:
        status, headers, body = via_nginx.request("GET", path)
        if status in (301, 302):
            path = urllib.parse.urlparse(headers["location"]).path
            continue
        statuses.append(status)
        if status == 200:
            break
        time.sleep(1)
    job = DownloadJob.objects.filter(work=work).order_by("-pk").first()
    results["download_statuses"] = sorted(set(statuses))
    results["download_built"] = statuses[-1:] == [200] and body[:2] == b"PK" and 202 in statuses and getattr(job, "status", "") == "done"
    results["download_job"] = {"status": getattr(job, "status", None), "queued_first": 202 in statuses}
    ok &= bool(results["download_built"])

    # 5. The replica: streaming from the primary, read by guests, and a writer's next read
    # sees its write while the replica lags.
    if args.replica:
        ok &= replica_checks(args, results, first, user)
    return bool(ok)


def replica_checks(args: argparse.Namespace, results: dict[str, object], browser: Session, user) -> bool:
    import psycopg
    from django.db import connections

    from ficarchive.testing import make_user, make_work

    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT state FROM pg_stat_replication")
        results["replication_states"] = [row[0] for row in cursor.fetchall()]
    replica = psycopg.connect(args.replica, autocommit=True)
    results["replica_in_recovery"] = replica.execute("SELECT pg_is_in_recovery()").fetchone()[0]
    author_name = "scaleauthor"
    from ficarchive.accounts.models import User

    author = User.objects.filter(username=author_name).first() or make_user(author_name)
    work = make_work(author, title=f"Replica check {int(time.time())}")
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if replica.execute("SELECT 1 FROM works_work WHERE id = %s", [work.pk]).fetchone():
            break
        time.sleep(0.2)
    # Hold the replica back: commits are applied DELAY seconds after the primary made them.
    delay = 4
    replica.execute(f"ALTER SYSTEM SET recovery_min_apply_delay = '{delay}s'")
    replica.execute("SELECT pg_reload_conf()")
    time.sleep(1)
    front = session_for(args.nginx, browser.cookies)
    marker = f">{user.username}</a>".encode()
    try:
        status, _, _ = front.post(f"/works/{work.pk}/kudos", {}, token_from=f"/works/{work.pk}")
        results["kudos_posted"] = status == 302
        results["pin_cookie_set"] = "fa_primary" in front.cookies
        status, _, body = front.request("GET", f"/works/{work.pk}")
        results["writer_reads_own_write"] = status == 200 and marker in body
        guest = session_for(args.nginx)
        status, _, body = guest.request("GET", f"/works/{work.pk}")
        # The replica has not applied the kudos yet: a guest (read from it) does not see it.
        results["guest_reads_replica"] = status == 200 and marker not in body
        started = time.monotonic()
        seen = False
        while time.monotonic() - started < delay + 20:
            status, _, body = session_for(args.nginx).request("GET", f"/works/{work.pk}")
            if marker in body:
                seen = True
                break
            time.sleep(0.5)
        results["guest_sees_it_after_replay_seconds"] = round(time.monotonic() - started, 1) if seen else None
    finally:
        replica.execute("ALTER SYSTEM RESET recovery_min_apply_delay")
        replica.execute("SELECT pg_reload_conf()")
        replica.close()
    keys = ("replica_in_recovery", "kudos_posted", "pin_cookie_set", "writer_reads_own_write", "guest_reads_replica")
    return "streaming" in results["replication_states"] and all(results[k] for k in keys) and seen


if __name__ == "__main__":
    sys.exit(main())
