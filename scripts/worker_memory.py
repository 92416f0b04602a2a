"""What a web worker's memory grows by over many requests, by file (tracemalloc), and how
much its local-memory cache holds. One process, Django's test client, the archive in
FICARCHIVE_HOME; N requests (default 2,000): 60% random work pages, 40% listing pages.

    FICARCHIVE_HOME=/path/to/archive N=1500 python scripts/worker_memory.py
"""

from __future__ import annotations

import gc
import os
import random
import tracemalloc

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
import django  # noqa: E402

django.setup()
from django.conf import settings  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.test import Client  # noqa: E402

from ficarchive.works.models import Work  # noqa: E402


def rss_mb() -> int:
    with open("/proc/self/status") as fh:
        return int(fh.read().split("VmRSS:")[1].split()[0]) // 1024


def main() -> None:
    settings.ALLOWED_HOSTS = ["*"]
    client = Client(HTTP_HOST="127.0.0.1")
    rng = random.Random(1)
    top = Work.objects.order_by("-pk").values_list("pk", flat=True).first() or 1
    for _ in range(200):
        client.get(f"/works/{rng.randint(1, top)}?view_adult=true")
    gc.collect()
    before = rss_mb()
    tracemalloc.start(5)
    first = tracemalloc.take_snapshot()
    for _ in range(int(os.environ.get("N", "2000"))):
        r = rng.random()
        if r < 0.6:
            client.get(f"/works/{rng.randint(1, top)}?view_adult=true")
        elif r < 0.8:
            client.get(f"/works?page={rng.randint(1, 200)}")
        else:
            client.get(f"/works?page={rng.randint(1, 50)}&sort_column=kudos_count")
    gc.collect()
    last = tracemalloc.take_snapshot()
    store = getattr(caches["default"], "_cache", {})
    held = sum(len(v) for v in store.values()) // 2**20
    print(f"rss {before} -> {rss_mb()} MB; local cache {len(store)} entries, {held} MB")
    for stat in last.compare_to(first, "filename")[:10]:
        print(stat)


if __name__ == "__main__":
    main()
