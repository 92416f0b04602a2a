"""Memory per worker and worker restart time of `ficarchive serve` with the bitmap index.

    FICARCHIVE_HOME=... python -m ficarchive.discovery.bench.workers --workers 2 [--json]

Starts ``ficarchive serve --workers N --threads 1`` over the archive of the environment,
asks for listings (spread over the workers) so each has its index, then reads each process's memory from
``/proc/PID/smaps_rollup`` (RSS, PSS: shared pages divided among the processes sharing
them, USS: pages of this process alone); with one worker, it times a restart: SIGKILL the
worker, then the time until a listing is answered again by the new one.
``FICARCHIVE_PRELOAD=0`` in the environment measures the old way (each worker builds its
own index).

``--after S`` also measures memory over time: after the first reading it asks, for S
seconds, for listings in every counter order (kudos, hits, bookmarks, comments; a new page
number each time, so no cached page answers them and every worker consults its index),
then reads the memory again (``worker_memory_after``). Set
FICARCHIVE_COUNTER_REFRESH_SECONDS below S so that the counter sorts go stale and are
refreshed within it (the default is 300 s). Linux only."""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .client import fetch, free_port


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def memory_mb(pid: int) -> dict[str, float]:
    """RSS, PSS and USS (private clean + dirty) of one process, in MB."""
    fields: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, rest = line.partition(":")
        parts = rest.split()
        if parts and parts[-1] == "kB":
            fields[name.strip()] = int(parts[0])
    uss = fields.get("Private_Clean", 0) + fields.get("Private_Dirty", 0)
    return {
        "rss_mb": round(fields.get("Rss", 0) / 1024, 1),
        "pss_mb": round(fields.get("Pss", 0) / 1024, 1),
        "uss_mb": round(uss / 1024, 1),
    }


def _wait_listing(port: int, timeout: float) -> float:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        try:
            if fetch(port, "/works?page=2")[0] == 200:
                return time.monotonic() - start
        except OSError:
            pass
        time.sleep(0.02)
    raise RuntimeError("no listing answered")


COUNTER_ORDERS = ("kudos", "hits", "bookmarks", "comments")


def _counter_listings(port: int, seconds: float) -> int:
    """Ask for counter-sorted listings for ``seconds``; returns how many were answered."""
    n = answered = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        sort = COUNTER_ORDERS[n % len(COUNTER_ORDERS)]
        n += 1
        try:
            answered += fetch(port, f"/works?sort={sort}&page={2 + n % 400}")[0] == 200
        except OSError:
            pass
        time.sleep(0.2)
    return answered


def measure(workers: int, after: float = 0.0) -> dict:
    """Start the server, warm every worker, measure memory (again ``after`` seconds of
    counter-sorted listings, if given) and one worker restart."""
    port = free_port()
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings.base")
    argv = [sys.executable, "-m", "ficarchive.cli", "serve", "--port", str(port)]
    argv += ["--workers", str(workers), "--threads", "1", "--no-migrate"]
    with tempfile.TemporaryFile() as log:
        started = time.monotonic()
        proc = subprocess.Popen(  # noqa: S603
            argv, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            first = _wait_listing(port, 600)
            ready_seconds = round(time.monotonic() - started, 2)
            for _ in range(workers * 6):  # sync workers: requests spread over all of them
                fetch(port, "/works?page=3")
            master = proc.pid  # `serve` execs gunicorn: the same process is its master
            kids = _children(master)
            for sort in COUNTER_ORDERS:
                for _ in range(workers * 2):
                    fetch(port, f"/works?sort={sort}")
            rows = [memory_mb(pid) for pid in kids]
            later: dict = {}
            if after > 0:
                answered = _counter_listings(port, after)
                later = {
                    "after_seconds": after,
                    "after_listings": answered,
                    "counter_refresh_seconds": os.environ.get(
                        "FICARCHIVE_COUNTER_REFRESH_SECONDS", "300"
                    ),
                    "master_after": memory_mb(master),
                    "worker_memory_after": [memory_mb(pid) for pid in kids],
                }
            victim = kids[0]
            os.kill(victim, signal.SIGKILL)
            t0 = time.monotonic()
            while victim in _children(master) or len(_children(master)) < workers:
                time.sleep(0.01)
            # With one worker, the listing after the kill is the new worker's first.
            _wait_listing(port, 600)
            restart = round(time.monotonic() - t0, 3) if workers == 1 else None
            return {
                "query": "workers",
                "workers": workers,
                "preload": os.environ.get("FICARCHIVE_PRELOAD", "1") != "0",
                "first_listing_seconds": round(first, 2),
                "server_ready_seconds": ready_seconds,
                "master": memory_mb(master),
                "worker_memory": rows,
                "worker_uss_mb_total": round(sum(r["uss_mb"] for r in rows), 1),
                "worker_pss_mb_total": round(sum(r["pss_mb"] for r in rows), 1),
                "restart_to_listing_seconds": restart,
                **later,
                "load_average": os.getloadavg(),
            }
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=60)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--after", type=float, default=0.0, help="seconds; see above")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    row = measure(args.workers, args.after)
    print(json.dumps(row) if args.json else row)


if __name__ == "__main__":
    main()
