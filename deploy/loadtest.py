#!/usr/bin/env python3
"""Load test on loopback: N concurrent users browse, filter, read, give kudos and comment
against a running Ficarchive for a given time, then the database is checked.

    python deploy/loadtest.py --base http://127.0.0.1:8000 --users 200 --duration 300 \
        --password-file PW --accounts loaduser --works 5

Prints one JSON line: requests, rps, p50/p95/p99 (ms) per kind and overall, 5xx count,
kudos and comments accepted, and (with --check-db) whether each accepted kudos and comment
is stored exactly once. Accounts `loaduser0..N-1` must exist with the password in PW
(deploy/loadtest.sh creates them). Plain threads and http.client: no extra packages."""

from __future__ import annotations

import argparse
import http.client
import json
import random
import re
import statistics
import threading
import time
import urllib.parse
from collections import defaultdict

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
WORK_LINK = re.compile(r'href="/works/(\d+)"')
CHAPTER_LINK = re.compile(r'href="(/works/\d+/chapters/\d+)"')
# A request unanswered this long counts as a failure (client side, not a status).
TIMEOUT = 120


class Client:
    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=TIMEOUT)
            try:
                self.conn.request(method, path, body=body, headers=headers)
                resp = self.conn.getresponse()
                data = resp.read().decode(errors="replace")
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = None
                if attempt or method == "POST":
                    raise
        for name, value in resp.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key.strip()] = rest.split(";", 1)[0]
        if resp.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return resp.status, data


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: dict[int, int] = defaultdict(int)
        self.kudos: list[tuple[str, int]] = []
        self.comments: list[tuple[int, str]] = []
        self.failures: list[str] = []
        self.writers = 0
        self.logged_in = 0

    def record(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latency[kind].append(seconds * 1000)
            self.status[status] += 1


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))], 1)


def user_loop(n: int, args: argparse.Namespace, stats: Stats, work_ids: list[int], stop: float) -> None:
    url = urllib.parse.urlparse(args.base)
    client = Client(url.hostname or "127.0.0.1", url.port or 80)
    rng = random.Random(n)
    writer = n % 4 == 0  # a quarter of the users sign in and write; the rest read as guests
    if writer:
        with stats.lock:
            stats.writers += 1

    def timed(kind: str, method: str, path: str, form: dict[str, str] | None = None) -> tuple[int, str]:
        start = time.perf_counter()
        try:
            status, body = client.request(method, path, form)
        except OSError as exc:
            with stats.lock:
                stats.failures.append(f"{kind}: {exc}")
            return 0, ""
        stats.record(kind, time.perf_counter() - start, status)
        return status, body

    if writer:
        status, body = timed("login_form", "GET", "/login")
        token = TOKEN.search(body)
        status, _ = timed("login", "POST", "/login", {"csrfmiddlewaretoken": token.group(1) if token else "",
                                                   "username": f"{args.accounts}{n}", "password": args.password})
        if status != 302:
            with stats.lock:
                stats.failures.append(f"login {n}: {status}")
            writer = False
        else:
            with stats.lock:
                stats.logged_in += 1
    kudosed: set[int] = set()
    seq = 0
    while time.monotonic() < stop:
        roll = rng.random()
        work = rng.choice(work_ids)
        if roll < 0.25:
            timed("browse", "GET", f"/works?page={rng.randint(1, 3)}")
        elif roll < 0.40:
            rating = rng.choice(["General Audiences", "Teen And Up Audiences", "Mature"])
            timed("filter", "GET", "/works?" + urllib.parse.urlencode({"rating": rating, "sort": rng.choice(["revised", "kudos", "words"])}))
        elif roll < 0.50:
            timed("search", "GET", "/works/search?" + urllib.parse.urlencode({"q": rng.choice(["holmes", "fog", "night", "tea"])}))
        elif roll < 0.80 or not writer:
            status, body = timed("read", "GET", f"/works/{work}?view_adult=true")
            chapters = CHAPTER_LINK.findall(body)
            if chapters and rng.random() < 0.3:
                timed("read_chapter", "GET", chapters[rng.randrange(len(chapters))])
        elif roll < 0.90 and work not in kudosed:
            status, body = timed("read", "GET", f"/works/{work}?view_adult=true")
            token = TOKEN.search(body)
            status, _ = timed("kudos", "POST", f"/works/{work}/kudos", {"csrfmiddlewaretoken": token.group(1) if token else ""})
            if status in (302, 200):
                kudosed.add(work)
                with stats.lock:
                    stats.kudos.append((f"{args.accounts}{n}", work))
        else:
            status, body = timed("read", "GET", f"/works/{work}?view_adult=true")
            token = TOKEN.search(body)
            seq += 1
            text = f"load comment {n}-{seq}"
            status, _ = timed("comment", "POST", f"/works/{work}/comments", {"csrfmiddlewaretoken": token.group(1) if token else "", "body": text})
            if status == 302:
                with stats.lock:
                    stats.comments.append((work, text))
        time.sleep(rng.uniform(0, args.think))


def check_db(args: argparse.Namespace, stats: Stats) -> dict[str, object]:
    """Every accepted kudos and comment stored exactly once (reads the database directly)."""
    import os
    import sys

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.db.models import Count

    from ficarchive.feedback.models import Comment, Kudos
    from ficarchive.works.models import Work

    bodies = defaultdict(int)
    for body in Comment.objects.filter(body__contains="load comment").values_list("body", flat=True):
        match = re.search(r"load comment \d+-\d+", body)
        if match:
            bodies[match.group(0)] += 1
    comments_missing = sum(1 for _, text in stats.comments if bodies.get(text, 0) == 0)
    comments_duplicated = sum(1 for count in bodies.values() if count > 1)
    kudos_pairs = set(Kudos.objects.filter(user__username__startswith=args.accounts).values_list("user__username", "work_id"))
    kudos_missing = sum(1 for pair in stats.kudos if pair not in kudos_pairs)
    dup_kudos = Kudos.objects.filter(user__isnull=False).values("user_id", "work_id").annotate(n=Count("id")).filter(n__gt=1).count()
    counters_off = sum(
        1 for w in Work.objects.annotate(nk=Count("kudos", distinct=True), nc=Count("comments", distinct=True))
        if w.kudos_count != w.nk or w.comment_count != w.nc
    )
    return {"comments_missing": comments_missing, "comments_duplicated": comments_duplicated,
            "kudos_missing": kudos_missing, "kudos_duplicated": dup_kudos, "works_with_wrong_counters": counters_off,
            "exactly_once": comments_missing == comments_duplicated == kudos_missing == dup_kudos == counters_off == 0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="http://127.0.0.1:8000")
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--accounts", default="loaduser", help="account name prefix (writers are PREFIX0, PREFIX4, ...)")
    parser.add_argument("--password", default="")
    parser.add_argument("--password-file")
    parser.add_argument("--think", type=float, default=0.5, help="max seconds between a user's requests")
    parser.add_argument("--check-db", action="store_true", help="afterwards, check the database (same environment as the server)")
    parser.add_argument("--server-log", action="append", default=[],
                        help="a server's log (repeat for several): count 'database is locked' and tracebacks in it")
    parser.add_argument("--strict", action="store_true",
                        help="exit 1 on any 5xx, failed log-in, lock error, traceback or exactly-once miss")
    args = parser.parse_args()
    if args.password_file:
        args.password = open(args.password_file).read().strip()  # noqa: SIM115
    url = urllib.parse.urlparse(args.base)
    probe = Client(url.hostname or "127.0.0.1", url.port or 80)
    _, page = probe.request("GET", "/works")
    work_ids = sorted({int(x) for x in WORK_LINK.findall(page)}) or [1]
    stats = Stats()
    stop = time.monotonic() + args.duration
    started = time.perf_counter()
    threads = [threading.Thread(target=user_loop, args=(n, args, stats, work_ids, stop), daemon=True) for n in range(args.users)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    everything = [v for values in stats.latency.values() for v in values]
    result: dict[str, object] = {
        "users": args.users, "seconds": round(elapsed, 1), "requests": len(everything),
        "rps": round(len(everything) / elapsed, 1),
        "p50_ms": percentile(everything, 50), "p95_ms": percentile(everything, 95), "p99_ms": percentile(everything, 99),
        "status": dict(sorted(stats.status.items())), "errors_5xx": sum(c for s, c in stats.status.items() if s >= 500),
        "connection_failures": len(stats.failures), "kudos_accepted": len(stats.kudos), "comments_accepted": len(stats.comments),
        "by_kind": {k: {"n": len(v), "p50_ms": percentile(v, 50), "p95_ms": percentile(v, 95), "p99_ms": percentile(v, 99),
                        "mean_ms": round(statistics.fmean(v), 1)} for k, v in sorted(stats.latency.items())},
    }
    result["writers"], result["writers_logged_in"] = stats.writers, stats.logged_in
    result["failure_sample"] = stats.failures[:5]
    if args.check_db:
        result.update(check_db(args, stats))
    if args.server_log:
        log = ""
        for path in args.server_log:
            with open(path, errors="replace") as handle:
                log += handle.read()
        result["database_is_locked"] = log.count("database is locked")
        result["server_tracebacks"] = log.count("Traceback (most recent call last)")
    print(json.dumps(result))
    if args.strict:
        ok = (result["errors_5xx"] == 0 and stats.logged_in == stats.writers
              and result.get("exactly_once", True) and not result.get("database_is_locked")
              and not result.get("server_tracebacks"))
        raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
