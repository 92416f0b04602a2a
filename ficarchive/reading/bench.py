"""The /works listing for a signed-in reader with a long history against a guest's, on a
synthetic archive, measured with the Django test client (no network, no browser):

    .venv/bin/python -m ficarchive.reading.bench [--works 10000] [--history 5000] [--rounds 30]

Runs against a throwaway SQLite database in a temporary FICARCHIVE_HOME (set DATABASE_URL
to measure PostgreSQL). The reader's history is written in bulk (the bench's own table);
the listing then pays for read state on its 20 blurbs, and ``hide=read`` for excluding
5,000 ids in the plan."""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time


def _setup() -> None:
    home = tempfile.mkdtemp(prefix="ficarchive-bench-")
    os.environ["FICARCHIVE_HOME"] = home
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()


def _time(client, url: str, rounds: int) -> tuple[float, float]:
    client.get(url)  # warm-up: templates compiled, index built
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200
    return statistics.median(times), sorted(times)[max(0, int(len(times) * 0.95) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--works", type=int, default=10_000)
    parser.add_argument("--history", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=30)
    args = parser.parse_args()
    _setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("bench", "generate", "--works", str(args.works), stdout=quiet, stderr=quiet)

    from ficarchive.reading.models import Reading
    from ficarchive.testing import make_user
    from ficarchive.works.models import Work

    reader = make_user("bench_reader")
    ids = list(
        Work.objects.filter(posted=True).order_by("-revised_at").values_list("pk", "chapter_count")
    )
    now = timezone.now()
    # Every other work of the newest, so the first listing pages mix read and unread.
    Reading.objects.bulk_create(
        Reading(user=reader, work_id=pk, visited_at=now, views=1, chapters_seen=max(0, n - 1))
        for pk, n in ids[: args.history * 2 : 2]
    )
    history = Reading.objects.filter(user=reader).count()
    guest = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    signed_in = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    signed_in.force_login(reader)
    rows = [
        ("guest, /works", guest, "/works"),
        (f"reader with {history:,} history entries, /works", signed_in, "/works"),
        ("same reader, /works?hide=read", signed_in, "/works?hide=read"),
        ("same reader, /works?updated_since_read=1", signed_in, "/works?updated_since_read=1"),
    ]
    engine = "bitmap" if getattr(settings, "DISCOVERY_BITMAPS", False) else "sql"
    print(
        f"Command: .venv/bin/python -m ficarchive.reading.bench --works {args.works} "
        f"--history {args.history} --rounds {args.rounds}  ({connection.vendor}, {engine} engine, "
        f"{len(ids):,} posted works, Django test client)"
    )
    for label, client, url in rows:
        median, p95 = _time(client, url, args.rounds)
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()
