"""`ficarchive bench generate --works N`: a synthetic archive shaped like AO3's.

Zipf-distributed fandoms, characters, relationships and additional tags; 1 to 40 tags a
work; log-normal word counts; heavy-tailed kudos (hits, comments and bookmarks follow);
chapter text drawn from a folder of real prose (--corpus), else generated words. Rows go
in with raw bulk inserts (executemany on SQLite, COPY on PostgreSQL), and the search
index is built in the same pass.

The word_count column follows the log-normal; the stored chapter text of the works with
full text (--fulltext, default min(N, 200,000)) is a slice of the corpus of up to
--body-words words (default 400), and the other works carry a one-line body, so that a
million works fit in minutes and a few GB."""

from __future__ import annotations

import datetime as dt
import json
import math
import random
import time
from collections.abc import Callable, Iterable, Sequence
from itertools import accumulate
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from ficarchive.accounts.models import Pseud, User
from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating, TagKind
from ficarchive.works.models import Work

from ..backends import get_backend
from . import bulkload

RATING_WEIGHTS = [
    (Rating.GENERAL, 30),
    (Rating.TEEN, 30),
    (Rating.MATURE, 15),
    (Rating.EXPLICIT, 17),
    (Rating.NOT_RATED, 8),
]
WARNING_WEIGHTS = [
    (ArchiveWarning.NONE_APPLY, 55),
    (ArchiveWarning.CHOSE_NOT_TO_WARN, 30),
    (ArchiveWarning.VIOLENCE, 8),
    (ArchiveWarning.MAJOR_CHARACTER_DEATH, 5),
    (ArchiveWarning.NON_CON, 1.5),
    (ArchiveWarning.UNDERAGE, 0.5),
]
CATEGORY_WEIGHTS = [
    (Category.MM, 40),
    (Category.GEN, 20),
    (Category.FM, 18),
    (Category.FF, 10),
    (Category.MULTI, 7),
    (Category.OTHER, 5),
]
LANGUAGES = [("en", 90), ("es", 3), ("zh", 2), ("fr", 2), ("de", 1.5), ("ru", 1.5)]
_FALLBACK_WORDS = (
    "the of and a to in was he it that his her you with she as had on at for not by be "
    "dragon door library night river silver garden letter winter house light sea storm "
    "heart hand voice window road king queen child forest stone fire wind shadow"
).split()


def load_corpus(folder: Path | None, limit_words: int = 3_000_000) -> list[str]:
    """Words of the prose in a folder (.txt, and .json files with a "body"), in order."""
    words: list[str] = []
    if folder and folder.exists():
        for path in sorted(folder.rglob("*")):
            if len(words) >= limit_words:
                break
            if path.suffix == ".txt":
                words.extend(path.read_text(encoding="utf-8", errors="replace").split())
            elif path.suffix == ".json":
                try:
                    data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
                except ValueError:
                    continue
                if isinstance(data, dict) and isinstance(data.get("body"), str):
                    words.extend(data["body"].split())
    if len(words) < 1000:
        rng = random.Random(7)
        words = [rng.choice(_FALLBACK_WORDS) for _ in range(200_000)]
    return words


def zipf_weights(n: int, s: float = 1.1) -> list[float]:
    return list(accumulate(1.0 / (rank**s) for rank in range(1, n + 1)))


class Generator:
    def __init__(
        self,
        *,
        works: int,
        corpus: Path | None,
        fulltext: int | None,
        body_words: int,
        seed: int,
        log: Callable[[str], None],
    ):
        self.n = works
        self.rng = random.Random(seed)
        self.log = log
        self.fulltext = min(works, 200_000) if fulltext is None else min(fulltext, works)
        self.body_words = body_words
        self.corpus = load_corpus(corpus)
        self.vendor = connection.vendor
        self.now = timezone.now()

    # --- writing rows -----------------------------------------------------------------
    def insert(self, table: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
        rows = list(rows)
        if not rows:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(columns))})",  # noqa: S608
                    rows,
                )

    def ts(self, value: dt.datetime):
        return connection.ops.adapt_datetimefield_value(value)

    # --- pieces -------------------------------------------------------------------------
    def words(self, count: int) -> str:
        start = self.rng.randrange(0, max(1, len(self.corpus) - count))
        return " ".join(self.corpus[start : start + count])

    def title(self) -> str:
        picked = [
            w.strip(".,;:!?\"'()[]_*").capitalize()
            for w in self.words(self.rng.randint(2, 5)).split()
        ]
        return " ".join(w for w in picked if w)[:200] or "Untitled"

    def make_creators(self) -> list[tuple[int, str]]:
        count = max(20, self.n // 8)
        stamp = self.rng.randrange(10**6)
        # A second `bench generate` on the same archive draws the same stamp from the same
        # seed: take the next free one, so it adds works instead of failing on a name.
        while User.objects.filter(username__startswith=f"bench{stamp}_").exists():
            stamp = self.rng.randrange(10**6)
        users = [
            User(username=f"bench{stamp}_{i}", password="!", email="")  # noqa: S106 - unusable
            for i in range(count)
        ]
        User.objects.bulk_create(users, batch_size=5000)
        users = list(User.objects.filter(username__startswith=f"bench{stamp}_").order_by("pk"))
        Pseud.objects.bulk_create(
            [Pseud(user=u, name=u.username, is_default=True) for u in users], batch_size=5000
        )
        return list(Pseud.objects.filter(user__in=users).order_by("pk").values_list("pk", "name"))

    def make_tags(self, kind: str, prefix: str, count: int) -> list[int]:
        stamp = self.rng.randrange(10**6)
        while Tag.objects.filter(kind=kind, name__contains=f" {stamp}-").exists():
            stamp = self.rng.randrange(10**6)  # as in make_creators: a later run adds
        tags = []
        for i in range(count):
            name = f"{prefix} {self.title()} {stamp}-{i}"[:140]
            tags.append(Tag(name=name, name_key=tag_key(name), kind=kind, canonical=True))
        Tag.objects.bulk_create(tags, batch_size=5000)
        # In creation order: the first tags are the most used (Zipf rank = position).
        return list(
            Tag.objects.filter(kind=kind, name__contains=f" {stamp}-")
            .order_by("pk")
            .values_list("pk", flat=True)
        )

    def wrangle(self, tag_ids: list[int]) -> None:
        """A tenth of the less used tags become synonyms; a twentieth become subtags."""
        rare = tag_ids[len(tag_ids) // 10 :]
        for tag_id in self.rng.sample(rare, len(rare) // 10):
            Tag.objects.filter(pk=tag_id).update(
                synonym_of_id=self.rng.choice(tag_ids[:50]), canonical=False
            )
        Through = Tag.parents.through
        Through.objects.bulk_create(
            [
                Through(from_tag_id=t, to_tag_id=self.rng.choice(tag_ids[:20]))
                for t in self.rng.sample(rare, len(rare) // 20)
            ],
            ignore_conflicts=True,
        )

    # --- bulk-load mode ------------------------------------------------------------------

    def bulk_load_begin(self) -> list[str]:
        """Drop what this bulk load should not maintain row by row (``bulkload``); returns
        the statements ``bulk_load_end`` replays. Archives under 50,000 works keep
        everything: rebuilding costs more than it saves there."""
        if self.n < 50_000:
            return []
        return bulkload.drop_indexes(self.vendor)

    def bulk_load_end(self, statements: list[str]) -> None:
        if not statements:
            return
        t0 = time.monotonic()
        bulkload.rebuild_indexes(self.vendor, statements)
        self.log(f"rebuilt indexes ({len(statements)} statements) in {time.monotonic() - t0:.1f}s")

    # --- the run ------------------------------------------------------------------------
    def run(self, batch: int = 20_000) -> dict:
        t0 = time.monotonic()
        dropped = self.bulk_load_begin()
        try:
            result = self._run(batch, t0)
        finally:
            self.bulk_load_end(dropped)
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        get_backend().optimize()
        from ..bitmaps import log_changes

        log_changes([None])  # running servers rebuild their bitmap index
        from ficarchive.tags.services import wrangling_changed

        wrangling_changed()  # the synonyms and subtags above were written directly
        elapsed = time.monotonic() - t0
        self.log(f"done: {self.n:,} works in {elapsed:.1f}s")
        result["seconds"] = round(elapsed, 1)
        return result

    def _run(self, batch: int, t0: float) -> dict:
        vocab = {
            t.name: t.pk
            for t in Tag.objects.filter(
                kind__in=[TagKind.RATING, TagKind.WARNING, TagKind.CATEGORY]
            )
        }
        pseuds = self.make_creators()
        nf = max(10, self.n // 500)
        fandoms = self.make_tags(TagKind.FANDOM, "Fandom", nf)
        characters = self.make_tags(TagKind.CHARACTER, "Character", nf * 10)
        relationships = self.make_tags(TagKind.RELATIONSHIP, "Ship", nf * 10)
        freeforms = self.make_tags(TagKind.FREEFORM, "Trope", max(200, self.n // 20))
        self.wrangle(freeforms)
        self.log(f"creators and tags in {time.monotonic() - t0:.1f}s")
        cum = {
            k: zipf_weights(len(v))
            for k, v in (
                ("f", fandoms),
                ("c", characters),
                ("r", relationships),
                ("t", freeforms),
                ("p", pseuds),
            )
        }
        next_id = (Work.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        backend = get_backend()
        rng = self.rng
        span = 12 * 365 * 86400
        r_names, r_w = zip(*RATING_WEIGHTS, strict=True)
        w_names, w_w = zip(*WARNING_WEIGHTS, strict=True)
        c_names, c_w = zip(*CATEGORY_WEIGHTS, strict=True)
        l_names, l_w = zip(*LANGUAGES, strict=True)
        tag_names = dict(
            Tag.objects.filter(pk__in=fandoms + characters + relationships + freeforms).values_list(
                "pk", "name"
            )
        )
        tag_names.update({v: k for k, v in vocab.items()})
        pseud_name = dict(pseuds)
        made = 0
        while made < self.n:
            size = min(batch, self.n - made)
            works: list[tuple] = []
            creatorships: list[tuple] = []
            taggings: list[tuple] = []
            chapters: list[tuple] = []
            entries: list[tuple] = []
            docs: list[dict] = []
            for i in range(size):
                wid = next_id + made + i
                ordinal = made + i
                published = self.now - dt.timedelta(seconds=rng.randrange(span))
                revised = min(
                    self.now,
                    published + dt.timedelta(seconds=int(rng.expovariate(1 / (86400 * 60)))),
                )
                words = int(min(500_000, max(100, rng.lognormvariate(math.log(3000), 1.2))))
                kudos = int(min(200_000, rng.paretovariate(1.1) * 4 - 4))
                hits = kudos * rng.randint(8, 20) + rng.randint(0, 300)
                expected = rng.choice([None, 1, 1, 1, 2, 3, 5, 10])
                chapters_count = (
                    1 if expected is None else rng.randint(max(1, expected - 2), expected)
                )
                rating = rng.choices(r_names, r_w)[0]
                title = self.title()
                pseud = rng.choices(pseuds, cum_weights=cum["p"])[0][0]
                anonymous = rng.random() < 0.02
                nfand = 1 if rng.random() < 0.9 else rng.randint(2, 3)
                tags: list[int] = [vocab[rating]]
                tags += list({vocab[w] for w in rng.choices(w_names, w_w, k=rng.randint(1, 2))})
                tags += list({vocab[c] for c in rng.choices(c_names, c_w, k=rng.randint(0, 2))})
                fand = list(dict.fromkeys(rng.choices(fandoms, cum_weights=cum["f"], k=nfand)))
                tags += fand
                tags += rng.choices(relationships, cum_weights=cum["r"], k=rng.randint(0, 3))
                tags += rng.choices(characters, cum_weights=cum["c"], k=rng.randint(0, 5))
                tags += rng.choices(
                    freeforms, cum_weights=cum["t"], k=min(30, int(rng.lognormvariate(1.3, 0.8)))
                )
                tags = list(dict.fromkeys(tags))[:40]
                works.append(
                    (
                        wid,
                        title,
                        "",
                        "",
                        "",
                        rng.choices(l_names, l_w)[0],
                        rating,
                        expected,
                        True,
                        False,
                        anonymous,
                        False,
                        False,  # in an anonymous collection
                        False,  # in an unrevealed collection
                        "users",
                        self.ts(published),
                        self.ts(revised),
                        self.ts(published),
                        self.ts(revised),
                        words,
                        chapters_count,
                        kudos,
                        kudos // 8,
                        kudos // 5,
                        hits,
                        "",
                        "",
                    )
                )
                creatorships.append((wid, pseud, 0))
                taggings.extend((wid, t, pos) for pos, t in enumerate(tags))
                body = self.words(min(words, self.body_words)) if ordinal < self.fulltext else title
                chapters.append(
                    (
                        wid,
                        1,
                        "",
                        "",
                        "",
                        "",
                        f"<p>{body}</p>",
                        words,
                        True,
                        self.ts(published),
                        self.ts(published),
                        self.ts(revised),
                    )
                )
                entries.append(
                    (
                        wid,
                        len(fand),
                        "anonymous" if anonymous else pseud_name[pseud].casefold(),
                        self.ts(self.now),
                    )
                )
                docs.append(
                    {
                        "id": wid,
                        "title": title,
                        "creators": "" if anonymous else pseud_name[pseud],
                        "tags": " ; ".join(tag_names[t] for t in tags),
                        "summary": "",
                        "body": body,
                    }
                )
            with transaction.atomic():
                self.insert(
                    "works_work",
                    (
                        "id",
                        "title",
                        "summary",
                        "notes",
                        "end_notes",
                        "language",
                        "rating",
                        "expected_chapters",
                        "posted",
                        "restricted",
                        "anonymous",
                        "hidden_by_admin",
                        "in_anonymous_collection",
                        "in_unrevealed_collection",
                        "comment_permission",
                        "published_at",
                        "revised_at",
                        "created_at",
                        "updated_at",
                        "word_count",
                        "chapter_count",
                        "kudos_count",
                        "comment_count",
                        "bookmark_count",
                        "hit_count",
                        "source_hash",
                        "source_url",
                    ),
                    works,
                )
                self.insert("works_creatorship", ("work_id", "pseud_id", "position"), creatorships)
                self.insert("tags_tagging", ("work_id", "tag_id", "position"), taggings)
                self.insert(
                    "works_chapter",
                    (
                        "work_id",
                        "position",
                        "title",
                        "summary",
                        "notes",
                        "end_notes",
                        "body",
                        "word_count",
                        "posted",
                        "published_at",
                        "created_at",
                        "updated_at",
                    ),
                    chapters,
                )
                self.insert(
                    "discovery_searchentry",
                    ("work_id", "fandom_count", "creator_sort", "indexed_at"),
                    entries,
                )
                # Fresh ids: a plain insert (upsert would first delete each id).
                getattr(backend, "insert_new", backend.upsert)(docs)
            made += size
            self.log(f"{made:,} works in {time.monotonic() - t0:.1f}s")
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('works_work', 'id'), {next_id + self.n})"
                )
        return {"works": self.n, "fulltext_works": self.fulltext}
