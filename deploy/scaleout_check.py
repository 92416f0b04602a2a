#!/usr/bin/env python3
"""Checks a running scale-out (deploy/scaleout.sh): log in on one app server and carry on
on the other; the cache is the shared Redis; nginx spreads requests over both app servers
(seen in their access logs); a download is built by the worker. Run with the scale-out's
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
    return bool(ok)


if __name__ == "__main__":
    sys.exit(main())
