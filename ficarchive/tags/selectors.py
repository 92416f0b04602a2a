"""Reads of tags: the closure every listing under a tag goes through, tag pages,
autocomplete, the wrangling bins."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Collate, Substr
from django.http import Http404

from .fastreads import tag_with_canonical, wrangling_stamp_row
from .models import Tag, Tagging, TagWord, tag_key, tag_name_from_url
from .vocabulary import FREE_KINDS, TagKind

CLOSURE_CACHE_SECONDS = 3600
# Tags asked about per statement of the closure's walk (each appears in up to three IN lists).
_EDGE_CHUNK = 2000
# The largest code point: every string starting with the prefix sorts below prefix + this.
_PREFIX_END = "\U0010ffff"


# --- Closure ----------------------------------------------------------------------------


def wrangling_stamp() -> str:
    """The current wrangling stamp ("" before any wrangling): one indexed read, as plain SQL
    (``fastreads.wrangling_stamp_row``, the same value as the ORM read)."""
    return wrangling_stamp_row()


def _as_ids(tag_or_ids: Tag | int | Iterable[Tag | int]) -> set[int]:
    if isinstance(tag_or_ids, Tag | int):
        tag_or_ids = [tag_or_ids]
    return {t.pk if isinstance(t, Tag) else int(t) for t in tag_or_ids}


def _edges_sql(count: int, *, with_canonicals: bool) -> str:
    """One statement giving (from, to) edges out of ``count`` tags: to their synonyms and
    subtags, and with ``with_canonicals`` also to the canonical tag of a synonym given."""
    through = Tag.parents.through._meta
    tag, link = Tag._meta.db_table, through.db_table
    child, parent = through.get_field("from_tag").column, through.get_field("to_tag").column
    marks = ", ".join(["%s"] * count)
    parts = [
        f"SELECT synonym_of_id, id FROM {tag} WHERE synonym_of_id IN ({marks})",  # noqa: S608
        f"SELECT {parent}, {child} FROM {link} WHERE {parent} IN ({marks})",  # noqa: S608
    ]
    if with_canonicals:
        parts.append(
            f"SELECT id, synonym_of_id FROM {tag} "  # noqa: S608 - names from _meta, %s marks
            f"WHERE id IN ({marks}) AND synonym_of_id IS NOT NULL"
        )
    return " UNION ALL ".join(parts)


def _closures_uncached(start: set[int]) -> dict[int, set[int]]:
    """Each tag of ``start`` with its closure, read from the database: one statement per
    level of the meta/sub tag tree for all the tags together (a handful of levels at most),
    rather than two per level and tag (issue 17: a first-seen filter of five tags cost ~6 ms
    in round trips at 1M works).

    A synonym given is read as its canonical: its canonical is one of its edges on the
    first level, and everything below the canonical follows on the next ones."""
    closures = {tag_id: {tag_id} for tag_id in start}
    frontiers = {tag_id: {tag_id} for tag_id in start}
    first = True
    while frontiers:
        wanted = sorted(set().union(*frontiers.values()))
        out: dict[int, set[int]] = {}
        # In chunks, so a tag with thousands of synonyms stays under SQLite's parameter cap.
        for at in range(0, len(wanted), _EDGE_CHUNK):
            chunk = wanted[at : at + _EDGE_CHUNK]
            sql = _edges_sql(len(chunk), with_canonicals=first)
            with connection.cursor() as cursor:
                cursor.execute(sql, chunk * (3 if first else 2))
                for source, target in cursor.fetchall():
                    out.setdefault(source, set()).add(target)
        first = False
        next_frontiers: dict[int, set[int]] = {}
        for root, frontier in frontiers.items():
            reached = set().union(*(out.get(t, ()) for t in frontier)) - closures[root]
            if reached:
                closures[root] |= reached
                next_frontiers[root] = reached
        frontiers = next_frontiers
    return closures


def tag_closures(tag_ids: Iterable[Tag | int]) -> dict[int, frozenset[int]]:
    """Each tag's closure (as ``tag_closure_ids`` gives it for that tag alone), keyed by
    tag id: one read of the cache for all of them, and one statement per tree level for
    those not cached (``_closures_uncached``). Cached under the wrangling stamp."""
    start = _as_ids(tag_ids)
    if not start:
        return {}
    stamp = wrangling_stamp()
    if not stamp:  # nothing wrangled yet through the services: nothing safe to cache under
        return {k: frozenset(v) for k, v in _closures_uncached(start).items()}
    keys = {tag_id: f"tags:closure1:{stamp}:{tag_id}" for tag_id in start}
    cached = cache.get_many(list(keys.values()))
    result: dict[int, frozenset[int]] = {}
    for tag_id, key in keys.items():
        hit = cached.get(key)
        if hit is not None:
            result[tag_id] = frozenset(hit)
    missing = start - set(result)
    if missing:
        computed = _closures_uncached(missing)
        cache.set_many(
            {keys[t]: sorted(closure) for t, closure in computed.items()}, CLOSURE_CACHE_SECONDS
        )
        result.update((t, frozenset(c)) for t, c in computed.items())
    return result


def tag_closure_ids(tag_or_ids: Tag | int | Iterable[Tag | int]) -> set[int]:
    """The ids of the tag(s), their synonyms, their subtags transitively and the subtags'
    synonyms (a synonym given is read as its canonical). Cached under the wrangling stamp,
    so a wrangling change is seen by the very next call, in every process.

    Cached per tag, not per set: the closure of several tags is the union of each one's
    (what is reachable from a union of starting points), and a filter's includes and
    excludes come in many combinations of the same few popular tags, so per-set keys
    rarely hit (issue 17: at 1M works a first-seen pair of excluded freeforms cost
    ~20 ms of synonym and subtag reads). One ``get_many`` for all the tags."""
    result: set[int] = set()
    for closure in tag_closures(_as_ids(tag_or_ids)).values():
        result |= closure
    return result


def tag_works_count_all(tag: Tag | int) -> int:
    """Posted works under the tag's closure: the operator's view (``works.access.may_read``
    for the operator: every posted work, restricted and hidden ones included), so that
    `tag show --json`'s ``works`` equals what `ficarchive search --tag NAME` lists. Drafts
    are not counted: no listing shows them, and a tag on a draft has no works on AO3."""
    closure = tag_closure_ids(tag)
    return (
        Tagging.objects.filter(tag_id__in=closure, work__posted=True)
        .values("work_id")
        .distinct()
        .count()
    )


# --- Finding tags -----------------------------------------------------------------------


def tag_by_name(name: str) -> Tag | None:
    """The tag with this name, compared as tag names are (case, surrounding space), its
    canonical (``synonym_of``) loaded with it; None when there is none. Plain SQL
    (``fastreads.tag_with_canonical``): every tag works page asks."""
    key = tag_key(name or "")
    if not key:
        return None
    return tag_with_canonical(key)


def tag_by_url_name(segment: str) -> Tag:
    """The tag named by a URL path segment (AO3's *s* escapes, already percent-decoded);
    Http404 when there is none."""
    tag = tag_by_name(tag_name_from_url(segment))
    if tag is None:
        raise Http404("No such tag.")
    return tag


def tag_detail(tag: Tag) -> dict[str, Any]:
    """Everything a tag's page shows about the tag itself."""
    canonical = tag.synonym_of if tag.synonym_of_id else None
    related: list[Tag] = []
    if tag.kind == TagKind.FANDOM:
        related = list(
            tag.fandom_members.filter(canonical=True).order_by("kind", "-uses", "name")[:100]
        )
    else:
        related = list(tag.characters.all()) + list(
            tag.in_relationships.order_by("-uses", "name")[:50]
        )
    return {
        "tag": tag,
        "canonical": canonical,
        "synonyms": list(tag.synonyms.order_by("name")),
        "parents": list(tag.parents.order_by("name")),
        "children": list(tag.children.order_by("name")),
        "fandoms": list(tag.fandoms.order_by("name")),
        "related": related,
    }


def tag_as_json(tag: Tag) -> dict[str, Any]:
    """The keys `ficarchive tag show --json` prints (see CONTRACT.md)."""
    return {
        "name": tag.name,
        "kind": tag.kind,
        "canonical": tag.canonical,
        "unwrangled": tag.is_unwrangled,
        "synonym_of": tag.synonym_of.name if tag.synonym_of_id else None,
        "synonyms": [t.name for t in tag.synonyms.order_by("name")],
        "parents": [t.name for t in tag.parents.order_by("name")],
        "children": [t.name for t in tag.children.order_by("name")],
        "fandoms": [t.name for t in tag.fandoms.order_by("name")],
        "characters": [t.name for t in tag.characters.order_by("name")],
        "uses": tag.uses,
        "works": tag_works_count_all(tag),
    }


def tags_list(
    *, kind: str | None = None, fandom: Tag | None = None, unwrangled: bool = False
) -> QuerySet[Tag]:
    """Tags by name, optionally of one kind, linked to a fandom (or its closure), or still
    unwrangled."""
    qs = Tag.objects.select_related("synonym_of").order_by("name_key")
    if kind:
        qs = qs.filter(kind=kind)
    if fandom is not None:
        qs = qs.filter(fandoms__in=tag_closure_ids(fandom)).distinct()
    if unwrangled:
        qs = qs.filter(
            canonical=False, synonym_of__isnull=True, unwrangleable=False, kind__in=FREE_KINDS
        )
    return qs


# --- Wrangling bins ---------------------------------------------------------------------


def _unwrangled_q() -> Q:
    return Q(canonical=False, synonym_of__isnull=True, unwrangleable=False)


def unwrangled_bin(*, fandom: Tag, kind: str) -> QuerySet[Tag]:
    """Unwrangled tags of a kind that belong to a fandom: linked to it, or used on a work
    tagged with it (or its closure), as AO3's bin per fandom shows them."""
    closure = tag_closure_ids(fandom)
    works = Tagging.objects.filter(tag_id__in=closure).values("work_id")
    on_works = Tagging.objects.filter(work_id__in=works).values("tag_id")
    linked = Tag.fandoms.through.objects.filter(to_tag_id__in=closure).values("from_tag_id")
    # Two IN-subqueries rather than a join: no DISTINCT, and each side uses its own index.
    return (
        Tag.objects.filter(_unwrangled_q(), kind=kind)
        .filter(Q(pk__in=on_works) | Q(pk__in=linked))
        .order_by("-uses", "name_key")
    )


def unwrangled_without_fandom(*, kind: str | None = None) -> QuerySet[Tag]:
    """Unwrangled tags of a kind (or of every free kind), archive-wide, most used first."""
    qs = Tag.objects.filter(_unwrangled_q(), kind__in=FREE_KINDS)
    if kind:
        qs = qs.filter(kind=kind)
    return qs.order_by("-uses", "name_key")


def wrangling_fandoms(limit: int = 200) -> list[Tag]:
    """Canonical fandoms, most used first, for the wrangling home page."""
    return list(
        Tag.objects.filter(kind=TagKind.FANDOM, canonical__in=[True]).order_by("-uses", "name_key")[
            :limit
        ]
    )


UNWRANGLED_COUNT_CAP = 1000


def unwrangled_counts() -> dict[str, int]:
    """Unwrangled tags per free kind, archive-wide, counted up to UNWRANGLED_COUNT_CAP
    (a bin of a million tags need not be counted exactly to be shown as "1000+")."""
    return {
        kind.value: Tag.objects.filter(_unwrangled_q(), kind=kind)
        .order_by()[:UNWRANGLED_COUNT_CAP]
        .count()
        for kind in FREE_KINDS
    }


def wrangling_log(limit: int = 100) -> QuerySet:
    """The newest wrangling entries of the audit log."""
    from ficarchive.core.audit import AuditLog

    return (
        AuditLog.objects.filter(action__startswith="tag.")
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )


# --- Autocomplete -----------------------------------------------------------------------

AUTOCOMPLETE_LIMIT = 15
# Rows read at most per query: a prefix matching more is "dense", and then the most used
# tags are found from the (kind, canonical, uses) index instead.
_WINDOW = 300


def _prefix(qs: QuerySet, term_key: str, field: str = "name_key") -> QuerySet:
    """Rows whose `field` starts with term_key, in `field` order, as a range both databases
    serve from a B-tree index: byte-wise, so PostgreSQL compares and orders under the "C"
    collation (index in migration 0006); SQLite's columns are byte-wise (BINARY) already."""
    upper = term_key + _PREFIX_END
    if connection.vendor == "postgresql":
        qs = qs.alias(prefix_c=Collate(field, "C")).filter(
            prefix_c__gte=term_key, prefix_c__lt=upper
        )
        return qs.order_by("prefix_c")
    return qs.filter(**{f"{field}__gte": term_key, f"{field}__lt": upper}).order_by(field)


_FIELDS = ("pk", "name", "kind", "canonical", "uses", "synonym_of__name")


def _best_of(qs: QuerySet[Tag], term_key: str, limit: int) -> list[tuple]:
    """The `limit` most used tags of qs (one canonical state) whose names start with term_key.
    First a bounded range read in name order (exact when the prefix is rare); when that
    window fills, the prefix is common, so walking the tags by use and keeping the matches
    (substr, which the planner cannot turn into a range) ends after a few hundred rows."""
    window = list(_prefix(qs, term_key).values_list(*_FIELDS)[:_WINDOW])
    if len(window) < _WINDOW:
        window.sort(key=lambda r: (-r[4], r[1].casefold()))
        return window[:limit]
    head = qs.annotate(head=Substr("name_key", 1, len(term_key))).filter(head=term_key)
    return list(head.order_by("-uses").values_list(*_FIELDS)[:limit])


def _ranked(qs: QuerySet[Tag], term_key: str, limit: int) -> list[tuple]:
    """The best `limit` prefix matches of qs: canonical first, then by use."""
    # canonical__in, not canonical=: SQLite renders a bare boolean column for the latter,
    # which its planner cannot use as an index equality.
    rows = _best_of(qs.filter(canonical__in=[True]), term_key, limit)
    if len(rows) < limit:
        rows += _best_of(qs.filter(canonical__in=[False]), term_key, limit - len(rows))
    # a tag linked to two of the chosen fandoms comes back twice from the join
    return list({r[0]: r for r in rows}.values())


_WORD_FIELDS = (
    "tag_id",
    "tag__name",
    "tag__kind",
    "tag__canonical",
    "tag__uses",
    "tag__synonym_of__name",
)


def _word_matches(kind: str, term_key: str, limit: int, only: Q | None = None) -> list[tuple]:
    """Tags with a later word of their name starting with the term ("spi" -> "Buffy
    Summers/Spike"), best first; from a bounded window of the word index."""
    if " " in term_key:
        return []
    words = TagWord.objects.filter(kind=kind)
    if only is not None:
        # Per word row of the bounded window, not a scan of every tag for an IN list.
        words = words.filter(Exists(Tag.objects.filter(only, pk=OuterRef("tag_id"))))
    words = _prefix(words, term_key, "word")
    window = list({r[0]: r for r in words.values_list(*_WORD_FIELDS)[:_WINDOW]}.values())
    window.sort(key=lambda r: (not r[3], -r[4], r[1].casefold()))
    return window[:limit]


def tag_autocomplete(
    *,
    term: str,
    kind: str | None = None,
    fandoms: Sequence[str] = (),
    limit: int = AUTOCOMPLETE_LIMIT,
    only: Q | None = None,
) -> list[dict[str, Any]]:
    """Tags whose names start with the term: of the chosen fandoms first (for characters,
    relationships and additional tags), then canonical before not, then most used.
    ``only`` narrows the tags offered (a ``Q`` on ``Tag``; the web and the API pass the
    viewer's ``works.access.tags_listed_q`` through ``works.tag_selectors``); ``uses`` is
    every direct use, which callers outside wrangling replace by what the viewer may see."""
    term_key = tag_key(term or "")
    if not term_key:
        return []
    limit = max(1, min(limit, 50))
    qs = Tag.objects.all() if only is None else Tag.objects.filter(only)
    if kind:
        qs = qs.filter(kind=kind)
    rows: list[tuple] = []
    fandom_keys = [tag_key(f) for f in fandoms if f and f.strip()]
    if fandom_keys and kind != TagKind.FANDOM:
        fandom_ids = list(
            Tag.objects.filter(name_key__in=fandom_keys, kind=TagKind.FANDOM)
            .order_by()
            .values_list("pk", flat=True)
        )
        if fandom_ids:
            in_fandom = qs.filter(fandoms__in=tag_closure_ids(fandom_ids))
            rows = _ranked(in_fandom, term_key, limit)
    seen = {r[0] for r in rows}
    if len(rows) < limit:
        more = _ranked(qs, term_key, limit + len(rows))
        if kind:
            more += _word_matches(kind, term_key, limit + len(rows), only)
        more = [r for r in {r[0]: r for r in more}.values() if r[0] not in seen]
        more.sort(key=lambda r: (not r[3], -r[4], r[1].casefold()))
        rows += more[: limit - len(rows)]
    return [
        {
            "id": r[0],
            "name": r[1],
            "kind": r[2],
            "canonical": r[3],
            "uses": r[4],
            "synonym_of": r[5],
        }
        for r in rows
    ]


def wrangling_log_for(tag: Tag, limit: int = 50) -> QuerySet:
    """The audit log entries about one tag, newest first."""
    from ficarchive.core.audit import AuditLog

    return (
        AuditLog.objects.filter(action__startswith="tag.", detail__tag_id=tag.pk)
        .select_related("actor")
        .order_by("-created_at", "-id")[:limit]
    )
