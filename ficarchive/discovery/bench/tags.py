"""Tag benchmark: synonym change on a tag with 100,000 works, and autocomplete over
1,000,000 tags. Builds its own SQLite database under /tmp (never touches the archive).

    .venv/bin/python -m ficarchive.discovery.bench.tags [--tags 1000000] [--works 100000] [--queries 2000]

Prints one line per figure, and the same figures as one JSON object at the end."""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ficarchive.core.viewers import OPERATOR

SYLLABLES = (
    "ka ri to mi sa na be la do re fi lo mu chi ya ze vo qui an el or is um by th sp ar "
    "win buf fy spi ke xan der wil low gi les cor de li ra an gel ta ra da wn fa ith oz"
).split()


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 3))).capitalize()


def _name(rng: random.Random, kind: str) -> str:
    if kind == "relationship":
        sep = rng.choice(["/", "/", " & "])
        return sep.join(f"{_word(rng)} {_word(rng)}" for _ in range(2))
    words = " ".join(_word(rng) for _ in range(rng.randint(1, 3)))
    if kind == "fandom" and rng.random() < 0.3:
        words += rng.choice([" (TV)", " (Movies)", " - All Media Types", " (Anime)"])
    return words


def _percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 3)

    return {
        "p50": pick(0.50),
        "p95": pick(0.95),
        "p99": pick(0.99),
        "mean": round(statistics.fmean(ordered) * 1000, 3),
    }


def _setup(db_path: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["FICARCHIVE_HOME"] = str(db_path.parent)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def _store(batch: list[Any]) -> None:
    """Tags and the words autocomplete matches inside their names (as the services do)."""
    from ficarchive.tags.models import Tag, TagWord, tag_words

    Tag.objects.bulk_create(batch)  # SQLite hands the new ids back
    TagWord.objects.bulk_create(
        [TagWord(tag_id=t.pk, kind=t.kind, word=w) for t in batch for w in tag_words(t.name_key)],
        batch_size=20_000,
    )


def _make_tags(n: int, rng: random.Random) -> dict[str, Any]:
    from django.db import connection, transaction

    from ficarchive.tags.models import Tag, TagWord, tag_key

    kinds = ["fandom"] * 1 + ["character"] * 3 + ["relationship"] * 3 + ["freeform"] * 3
    seen: set[str] = set(Tag.objects.values_list("name_key", flat=True))
    batch: list[Tag] = []
    names: list[tuple[str, str]] = []
    made = 0
    with connection.cursor() as cursor:  # a throwaway database: no need to wait for the disk
        cursor.execute("PRAGMA synchronous=OFF")
    with transaction.atomic():
        while made < n:
            kind = rng.choice(kinds)
            name = _name(rng, kind)
            key = tag_key(name)
            if key in seen:
                name = f"{name} {made}"
                key = tag_key(name)
            seen.add(key)
            canonical = rng.random() < 0.15
            uses = int(rng.paretovariate(1.2)) - 1
            batch.append(Tag(name=name, name_key=key, kind=kind, canonical=canonical, uses=uses))
            if made % 97 == 0:
                names.append((kind, name))
            made += 1
            if len(batch) == 20_000:
                _store(batch)
                batch = []
        _store(batch)
        # Link canonical characters and relationships to a canonical fandom each.
        fandoms = list(
            Tag.objects.filter(kind="fandom", canonical=True).values_list("pk", flat=True)[:5000]
        )
        through = Tag.fandoms.through
        links = [
            through(from_tag_id=pk, to_tag_id=rng.choice(fandoms))
            for pk in Tag.objects.filter(
                kind__in=["character", "relationship"], canonical=True
            ).values_list("pk", flat=True)
        ]
        through.objects.bulk_create(links, batch_size=20_000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    fandom_names = list(Tag.objects.filter(pk__in=fandoms[:200]).values_list("name", flat=True))
    return {
        "sample_names": names,
        "fandoms": fandom_names,
        "fandom_links": len(links),
        "words": TagWord.objects.count(),
    }


def _make_works(n: int) -> tuple[Any, Any]:
    from django.db import transaction
    from django.utils import timezone

    from ficarchive.tags.models import Tag, Tagging
    from ficarchive.tags.services import tags_find_or_create
    from ficarchive.works.models import Work

    now = timezone.now()
    with transaction.atomic():
        (canon,) = tags_find_or_create(kind="relationship", names=["Buffy Summers/Spike"])
        Tag.objects.filter(pk=canon.pk).update(canonical=True)
        (spuffy,) = tags_find_or_create(kind="relationship", names=["Spuffy"])
        first = Work.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        Work.objects.bulk_create(
            [
                Work(
                    title=f"Work {i}",
                    posted=True,
                    published_at=now,
                    revised_at=now,
                    word_count=1000,
                    chapter_count=1,
                )
                for i in range(n + 1000)
            ],
            batch_size=10_000,
        )
        ids = list(Work.objects.filter(pk__gt=first).order_by("pk").values_list("pk", flat=True))
        Tagging.objects.bulk_create(
            # the synonym's works are the newest, so they lead the listing once merged
            [Tagging(work_id=w, tag_id=canon.pk) for w in ids[:1000]]
            + [Tagging(work_id=w, tag_id=spuffy.pk) for w in ids[1000:]],
            batch_size=20_000,
        )
        Tag.objects.filter(pk=spuffy.pk).update(uses=n)
        Tag.objects.filter(pk=canon.pk).update(uses=1000)
    canon.refresh_from_db()
    spuffy.refresh_from_db()
    return canon, spuffy


def bench_synonym(works: int) -> dict[str, Any]:
    from ficarchive.tags.services import tag_make_synonym, tag_split_synonym
    from ficarchive.works.tag_selectors import tag_works_count, works_under_tag

    t0 = time.perf_counter()
    canon, spuffy = _make_works(works)
    build = time.perf_counter() - t0
    before = tag_works_count(canon)
    t0 = time.perf_counter()
    first_page_before = [w.pk for w in works_under_tag(canon, None)[:20]]
    listing_before = time.perf_counter() - t0

    t0 = time.perf_counter()
    tag_make_synonym(actor=OPERATOR, tag=spuffy, canonical=canon)
    synonym_change = time.perf_counter() - t0
    t1 = time.perf_counter()
    after = tag_works_count(canon)
    first_page_after = [w.pk for w in works_under_tag(canon, None)[:20]]
    visible = time.perf_counter() - t1
    assert after == before + works, (before, after)
    assert first_page_after != first_page_before or works == 0

    t0 = time.perf_counter()
    tag_split_synonym(actor=OPERATOR, tag=spuffy)
    split = time.perf_counter() - t0
    assert tag_works_count(canon) == before
    return {
        "works_on_synonym": works,
        "build_s": round(build, 1),
        "synonym_change_ms": round(synonym_change * 1000, 2),
        "listing_shows_moved_works_ms": round(visible * 1000, 2),
        "count_before": before,
        "count_after": after,
        "first_page_before_ms": round(listing_before * 1000, 2),
        "split_ms": round(split * 1000, 2),
    }


def bench_autocomplete(
    tag_info: dict[str, Any], queries: int, rng: random.Random
) -> dict[str, Any]:
    from django.contrib.auth.models import AnonymousUser
    from django.test import RequestFactory

    from ficarchive.tags.selectors import tag_autocomplete
    from ficarchive.tags.views import autocomplete

    factory = RequestFactory()
    samples = tag_info["sample_names"]
    selector_times: list[float] = []
    view_times: list[float] = []
    short_times: list[float] = []
    cpu_times: list[float] = []  # this thread's CPU time: what a loaded machine cannot inflate
    found = 0
    for _ in range(queries):
        kind, name = rng.choice(samples)
        source = name
        if rng.random() < 0.25 and len(name.split()) > 1:  # a later word: matched on word starts
            source = name.split()[-1].lstrip("/&")
        term = source[: rng.choice([1, 2, 3, 3, 4, 5, 6, 8])]
        params: dict[str, Any] = {"kind": kind, "term": term}
        fandoms: list[str] = []
        if kind in {"character", "relationship"} and rng.random() < 0.5:
            fandoms = [rng.choice(tag_info["fandoms"])]
            params["fandom"] = fandoms[0]
        t0, c0 = time.perf_counter(), time.thread_time()
        results = tag_autocomplete(term=term, kind=kind, fandoms=fandoms)
        elapsed = time.perf_counter() - t0
        cpu_times.append(time.thread_time() - c0)
        selector_times.append(elapsed)
        if len(term) <= 2:
            short_times.append(elapsed)
        found += bool(results)
        request = factory.get("/tags/autocomplete", params)
        request.user = AnonymousUser()
        t0 = time.perf_counter()
        response = autocomplete(request)
        view_times.append(time.perf_counter() - t0)
        assert response.status_code == 200
    return {
        "queries": queries,
        "with_results": found,
        "selector_ms": _percentiles(selector_times),
        "selector_cpu_ms": _percentiles(cpu_times),
        "view_ms": _percentiles(view_times),
        "terms_of_1_or_2_chars_ms": _percentiles(short_times) if short_times else None,
    }


def _rerun(db_path: Path, queries: int, rng: random.Random) -> int:
    _setup(db_path)
    from ficarchive.tags.models import Tag

    top = Tag.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(max(queries, 200))]
    names = list(
        Tag.objects.filter(
            pk__in=ids, kind__in=["fandom", "character", "relationship", "freeform"]
        ).values_list("kind", "name")
    )
    fandoms = list(
        Tag.objects.filter(kind="fandom", canonical=True, fandom_members__isnull=False).values_list(
            "name", flat=True
        )[:200]
    )
    info = {"sample_names": names, "fandoms": fandoms}
    figures = {
        "database": "sqlite",
        "tags": Tag.objects.count(),
        "load_average": os.getloadavg()[0],
    }
    figures["autocomplete"] = a = bench_autocomplete(info, queries, rng)
    print(
        f"autocomplete over {figures['tags']:,} tags, {queries} queries: selector p50 {a['selector_ms']['p50']} ms, "
        f"p95 {a['selector_ms']['p95']} ms (CPU p95 {a['selector_cpu_ms']['p95']} ms); view p50 {a['view_ms']['p50']} ms, p95 {a['view_ms']['p95']} ms"
    )
    print(json.dumps(figures))
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tags", type=int, default=1_000_000)
    parser.add_argument("--works", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", action="store_true", help="keep the database file")
    parser.add_argument(
        "--reuse", type=Path, help="time autocomplete on a database kept by --keep (no build)"
    )
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    if args.reuse:
        return _rerun(args.reuse, args.queries, rng)
    workdir = Path(tempfile.mkdtemp(prefix="ficarchive-tagbench-", dir="/tmp"))
    db_path = workdir / "bench.sqlite3"
    _setup(db_path)
    figures: dict[str, Any] = {
        "database": "sqlite",
        "tags": args.tags,
        "load_average": os.getloadavg()[0],
    }

    t0 = time.perf_counter()
    info = _make_tags(args.tags, rng)
    figures["tags_build_s"] = round(time.perf_counter() - t0, 1)
    figures["tag_words"] = info["words"]
    figures["fandom_links"] = info["fandom_links"]
    print(f"built {args.tags:,} tags in {figures['tags_build_s']} s", file=sys.stderr)

    figures["synonym"] = bench_synonym(args.works)
    s = figures["synonym"]
    print(
        f"synonym change on a tag with {args.works:,} works: {s['synonym_change_ms']} ms; "
        f"listing under the canonical shows them {s['listing_shows_moved_works_ms']} ms later (count + first page)"
    )
    figures["autocomplete"] = bench_autocomplete(info, args.queries, rng)
    a = figures["autocomplete"]
    print(
        f"autocomplete over {args.tags:,} tags, {args.queries} queries: selector p50 {a['selector_ms']['p50']} ms, "
        f"p95 {a['selector_ms']['p95']} ms (CPU p95 {a['selector_cpu_ms']['p95']} ms); view p50 {a['view_ms']['p50']} ms, p95 {a['view_ms']['p95']} ms"
    )
    print(json.dumps(figures))
    if not args.keep:
        for f in workdir.iterdir():
            f.unlink()
        workdir.rmdir()
    else:
        print(f"database kept at {db_path}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
