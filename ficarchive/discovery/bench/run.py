"""`ficarchive bench run`: server time of a fixed query mix over the current archive.

Each query kind runs ``--repeat`` times with varied parameters (tags picked by
popularity, phrases picked from the corpus), timed in-process around the same
``search_works`` call the pages make (facet counts included), after one warm-up run.
Then the work page and the /works listing through Django's full request stack, and
requests per second for /works pages with several worker processes."""

from __future__ import annotations

import multiprocessing
import random
import statistics
import time
from collections.abc import Callable
from functools import partial

from django.contrib.auth.models import AnonymousUser
from django.db import connection, connections
from django.db.models import Count
from django.test import Client

from ficarchive.tags.models import Tag, Tagging
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.models import Chapter, Work

from .. import bitmaps
from ..facets import facets_from_counts
from ..forms import FilterParams
from ..plan import build_plan
from ..search import execute, search_works

GUEST = AnonymousUser()


def _client() -> Client:
    return Client(HTTP_HOST="127.0.0.1")


def _get(client: Client, url: str) -> None:
    response = client.get(url)
    if response.status_code != 200:
        raise RuntimeError(f"{url} answered {response.status_code}")


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)

    def pick(q: float) -> float:
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    return {
        "p50_ms": round(pick(0.5), 2),
        "p95_ms": round(pick(0.95), 2),
        "p99_ms": round(pick(0.99), 2),
        "mean_ms": round(statistics.fmean(ordered), 2),
        "n": len(ordered),
    }


def _timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def top_tags(kind: str, count: int) -> list[str]:
    ids = (
        [
            r["tag_id"]
            for r in Tagging.objects.filter(tag__kind=kind, tag__synonym_of__isnull=True)
            .values("tag_id")
            .annotate(n=Count("id"))
            .order_by("-n")[:count]
        ]
        if Work.objects.count() < 200_000
        else list(
            Tag.objects.filter(kind=kind, synonym_of__isnull=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:count]
        )
    )
    names = dict(Tag.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [names[i] for i in ids if i in names]


def _drawn_bodies(rng: random.Random, count: int = 400) -> list[str]:
    """Chapter texts picked by ``rng`` alone (ids drawn in the id range), so that the same
    seed on the same archive gives the same phrases on either database."""
    chapters = Chapter.objects.filter(word_count__gt=0)
    bounds = chapters.order_by("pk").values_list("pk", flat=True)
    low, high = bounds.first(), bounds.last()
    if low is None or high is None:
        return []
    wanted = list(dict.fromkeys(rng.randint(low, high) for _ in range(count * 3)))
    found = dict(chapters.filter(pk__in=wanted).values_list("pk", "body"))
    return [found[i] for i in wanted if i in found][:count]


def phrases(count: int, rng: random.Random, *, seeded: bool = False) -> list[str]:
    """``count`` two-word phrases of the corpus (words of four letters and more, side by
    side in a chapter). ``seeded``: chapters drawn by ``rng`` (``bench run --seed``);
    else, as always, PostgreSQL's own random order (SQLite: the first chapters)."""
    bodies = (
        _drawn_bodies(rng)
        if seeded
        else list(
            Chapter.objects.filter(word_count__gt=0)
            .order_by("?" if connection.vendor == "postgresql" else "pk")
            .values_list("body", flat=True)[:400]
        )
    )
    out = []
    for body in bodies:
        words = [
            w
            for w in body.replace("<p>", " ").replace("</p>", " ").split()
            if w.isalpha() and len(w) > 3
        ]
        if len(words) >= 2:
            i = rng.randrange(len(words) - 1)
            out.append(f'"{words[i]} {words[i + 1]}"')
        if len(out) >= count:
            break
    return out or ['"the door"']


def query_mix(repeat: int, rng: random.Random, *, seeded: bool = False) -> dict[str, list[dict]]:
    fandoms = top_tags(TagKind.FANDOM, 20)
    freeforms = top_tags(TagKind.FREEFORM, 40)
    characters = top_tags(TagKind.CHARACTER, 20)

    def pick(pool: list[str], k: int = 1) -> list[str]:
        return rng.sample(pool, min(k, len(pool)))

    mix: dict[str, list[dict]] = {
        k: []
        for k in (
            "one_tag",
            "tag_plus_exclusions",
            "ratings_warnings_excluded",
            "three_includes_two_excludes_words_kudos",
            "fulltext_phrase",
            "page_500_of_large_tag",
            "facet_counts",
        )
    }
    texts = phrases(repeat, rng, seeded=seeded)
    for i in range(repeat):
        mix["one_tag"].append({"tag": fandoms[i % len(fandoms)]})
        mix["tag_plus_exclusions"].append(
            {"tag": pick(fandoms[:5]), "exclude_tag": pick(freeforms[:10], 2)}
        )
        mix["ratings_warnings_excluded"].append(
            {
                "exclude_rating": ["Explicit", "Mature"],
                "exclude_warning": ["Major Character Death", "Rape/Non-Con", "Underage Sex"][
                    : 1 + i % 3
                ],
            }
        )
        mix["three_includes_two_excludes_words_kudos"].append(
            {
                "tag": pick(fandoms[:3]) + pick(freeforms[:10]) + pick(characters[:10]),
                "exclude_tag": pick(freeforms[10:30], 2),
                "words_from": "1000",
                "words_to": "50000",
                "sort": "kudos",
            }
        )
        mix["fulltext_phrase"].append({"q": texts[i % len(texts)]})
        mix["page_500_of_large_tag"].append({"tag": fandoms[0], "page": "500"})
        mix["facet_counts"].append({"tag": fandoms[i % 3]} if i % 2 else {})
    return mix


def run_queries(repeat: int, seed: int | None = None) -> list[dict]:
    """Time the query mix; ``seed`` (``bench run --seed``): the same tags and phrases on
    every run over the same archive; None: seed 1 for tags, phrases drawn by the database.
    The full-text row also names its slowest phrases (``slowest``: [phrase, ms])."""
    rng = random.Random(1 if seed is None else seed)
    results = []
    for name, cases in query_mix(repeat, rng, seeded=seed is not None).items():
        samples = []
        for n, params in enumerate(cases):
            call: Callable[[], object]
            if name == "facet_counts":
                call = partial(_facet_counts, FilterParams.from_data(params))
            else:
                call = partial(search_works, GUEST, params)
            if n == 0:
                call()  # warm-up
            samples.append(_timed(call))
        row = {"query": name, **percentiles(samples)}
        if name == "fulltext_phrase":
            timed = sorted(zip(samples, (c["q"] for c in cases), strict=True), reverse=True)
            row["slowest"] = [[q, round(ms, 1)] for ms, q in timed[:3]]
        results.append(row)
    return results


def _facet_counts(params: FilterParams) -> None:
    """The sidebar's facets alone: plan, match and count, on the engine in use."""
    hits, _ = execute(build_plan(GUEST, params))
    facets_from_counts(hits.facet_counts(), params, hits.total, hits.tag_info)


def build_index() -> dict:
    """Build this process's bitmap index now and say how long it took."""
    bitmaps.reset()
    start = time.perf_counter()
    index = bitmaps.get_index()
    return {
        "query": "bitmap_index_build",
        "seconds": round(time.perf_counter() - start, 2),
        "tags": len(index.tags),
        "works": len(index.all),
    }


def run_pages(repeat: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    client = _client()
    top = Work.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ids = [rng.randint(1, top) for _ in range(repeat)]
    existing = list(Work.objects.filter(pk__in=ids, posted=True).values_list("pk", flat=True))
    out = []
    if existing:
        _get(client, f"/works/{existing[0]}?view_adult=true")
        samples = [_timed(partial(_get, client, f"/works/{i}?view_adult=true")) for i in existing]
        out.append({"query": "work_page", **percentiles(samples)})
    _get(client, "/works")
    samples = [
        _timed(partial(_get, client, f"/works?page={rng.randint(1, 50)}")) for _ in range(repeat)
    ]
    out.append({"query": "works_listing_page", **percentiles(samples)})
    fandoms = top_tags(TagKind.FANDOM, 5)
    if fandoms:
        urls = [f"/tags/{name}/works?page={rng.randint(1, 20)}" for name in fandoms]
        _get(client, urls[0])
        samples = [_timed(partial(_get, client, urls[i % len(urls)])) for i in range(repeat)]
        out.append({"query": "tag_works_page", **percentiles(samples)})
    return out


def _worker(seconds: float, queue) -> None:
    connections.close_all()
    client = _client()
    rng = random.Random()
    count = 0
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        _get(client, f"/works?page={rng.randint(1, 50)}")
        count += 1
    queue.put(count)


def run_throughput(workers: int, seconds: float) -> dict:
    connections.close_all()
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(seconds, queue)) for _ in range(workers)]
    start = time.monotonic()
    for p in procs:
        p.start()
    total = sum(queue.get() for _ in procs)
    for p in procs:
        p.join()
    elapsed = time.monotonic() - start
    return {
        "query": "works_pages_throughput",
        "workers": workers,
        "requests": total,
        "requests_per_second": round(total / elapsed, 1),
    }
