"""The figures the capacity model in docs/deploy.md is fitted to, for the archive of the
environment (SQLite or PostgreSQL):

    FICARCHIVE_HOME=... [DATABASE_URL=...] python -m ficarchive.discovery.bench.capacity [--json]

Prints works, taggings, tags, accounts, the database's size on disk (SQLite: the file;
PostgreSQL: ``pg_database_size``) and its largest tables, and the bitmap index: seconds to
build, memory it added to this process (RSS before and after the build, after a full
garbage collection), the process's peak RSS (``ru_maxrss``: the build's transient peak,
Django included), and its parts' own sizes (pyroaring's serialized sizes and the
arrays' buffers) in MB. ``--chunk N`` sets the build's rows per fetch (0: all at once).
Reads only."""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import time
from pathlib import Path


def _rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _count(cursor, table: str) -> int:
    cursor.execute(f"SELECT COUNT(*) FROM {table}")  # noqa: S608 - constant names
    return int(cursor.fetchone()[0])


def database_figures() -> dict[str, object]:
    """Row counts, database bytes and the ten largest tables (MB)."""
    from django.db import connection

    out: dict[str, object] = {"database": connection.vendor}
    with connection.cursor() as cursor:
        for key, table in (
            ("works", "works_work"),
            ("chapters", "works_chapter"),
            ("taggings", "tags_tagging"),
            ("tags", "tags_tag"),
            ("accounts", "accounts_user"),
        ):
            out[key] = _count(cursor, table)
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_database_size(current_database())")
            out["database_mb"] = round(cursor.fetchone()[0] / 2**20, 1)
            cursor.execute(
                "SELECT relname, pg_total_relation_size(oid) FROM pg_class WHERE relkind = 'r'"
                " ORDER BY 2 DESC LIMIT 10"
            )
        else:
            out["database_mb"] = round(
                Path(connection.settings_dict["NAME"]).stat().st_size / 2**20, 1
            )
            try:
                cursor.execute(
                    "SELECT name, SUM(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 10"
                )
            except Exception:  # noqa: BLE001 - SQLite built without dbstat: no per-table sizes
                return out
        out["largest_mb"] = {name: round(size / 2**20, 1) for name, size in cursor.fetchall()}
    return out


def index_figures() -> dict[str, object]:
    """Build the bitmap index in this process and measure it."""
    from ficarchive.discovery import bitmaps

    gc.collect()
    before = _rss_mb()
    started = time.monotonic()
    index = bitmaps.BitmapIndex()
    index.build()
    seconds = time.monotonic() - started
    gc.collect()
    after = _rss_mb()
    # The periodic re-read of kudos, comments, bookmarks and hits for sorting (every
    # COUNTER_REFRESH_SECONDS): in the gunicorn master it holds the keeper's round, so a
    # fork in that window waits for it.
    for key in bitmaps.COUNTER_SORTS:
        index.sorts[key].built_at -= bitmaps.COUNTER_REFRESH_SECONDS + 1
    started = time.monotonic()
    index._refresh_counters()
    counters = time.monotonic() - started
    # The same read written to the shared file the workers map (``sharedsorts``), into a
    # temporary directory: this command writes nothing in the archive.
    import tempfile

    from ficarchive.discovery import sharedsorts

    with tempfile.TemporaryDirectory() as tmp:
        started = time.monotonic()
        cpu = time.process_time()
        target = sharedsorts.write(Path(tmp) / "counter-sorts.bin")
        sharedsorts.load(target)
        shared = {
            "counter_share_seconds": round(time.monotonic() - started, 2),
            "counter_share_cpu_seconds": round(time.process_time() - cpu, 2),
            "counter_file_mb": round(target.stat().st_size / 2**20, 1),
            "counter_file_bytes": target.stat().st_size,
        }
    tag_bytes = sum(len(bm.serialize()) for bm in index.tags.values())
    flag_bytes = sum(
        len(bm.serialize())
        for bm in (*index.flags.values(), *index.rating.values(), *index.language.values())
    )
    sort_bytes = sum(
        s.value.itemsize * len(s.value) + sum(len(b.serialize()) for b in s.buckets)
        for s in index.sorts.values()
    )
    # Where the postings' bytes go (roaring: per container a 4-byte key and count and a
    # 4-byte offset; arrays 2 B a value, bitsets 8 KB): the model's per-tagging line
    # misses the per-container part, which grows as a rare tag's works spread over more
    # 65,536-id blocks.
    postings: dict[str, int] = {}
    for bm in index.tags.values():
        for k, v in bm.get_statistics().items():
            if k.startswith("n_"):
                postings[k] = postings.get(k, 0) + int(v)  # type: ignore[call-overload]
    csr_bytes = index.offsets.itemsize * len(index.offsets) + index.flat.itemsize * len(index.flat)
    return {
        "index_build_seconds": round(seconds, 2),
        "counter_refresh_seconds": round(counters, 2),
        **shared,
        "tags_in_index": len(index.tags),
        "tag_postings_containers": postings,
        "index_rss_before_mb": round(before, 1),
        "index_rss_added_mb": round(after - before, 1),
        "index_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "index_parts_mb": {
            "tag_postings": round(tag_bytes / 2**20, 1),
            "flags_ratings_languages": round(flag_bytes / 2**20, 1),
            "sorts": round(sort_bytes / 2**20, 1),
            "work_tags_csr": round(csr_bytes / 2**20, 1),
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    parser.add_argument(
        "--chunk",
        type=int,
        default=None,
        help="rows per fetch for the index build (0: every row in one fetch, as before 2026-11-30)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    if args.chunk is not None:
        from ficarchive.discovery import bitmaprows

        bitmaprows.CHUNK = args.chunk or 2**31 - 1
    # The index first, so that its peak RSS is not the database scan's page cache.
    index = index_figures()
    figures = {**database_figures(), **index, "load_average": os.getloadavg()}
    if args.json:
        print(json.dumps(figures))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")


if __name__ == "__main__":
    main()
