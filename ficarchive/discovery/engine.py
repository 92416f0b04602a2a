"""Keeping the search index in step with works. Services call ``indexing.work_changed``
and friends inside their transactions; once committed, these functions run.

What is indexed per work: the full-text document (title; creators unless anonymous;
tag names as written and their canonical names; summary and notes; the posted chapters'
text, capped) and a SearchEntry row (distinct fandoms for crossovers, creator sort key).
Everything else a filter reads (tags, counts, dates) is read live from the database, so
kudos and wrangling show in results at once."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

from django.db import transaction

from ficarchive.tags.models import Tagging
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.access import creators_shown
from ficarchive.works.models import Chapter, Creatorship, Work
from ficarchive.works.text import html_to_text

from .backends import get_backend
from .models import SearchEntry
from .tokens import index_text

# Both engines index the same text; PostgreSQL refuses tsvectors past 1 MB.
MAX_BODY_CHARS = 400_000


def html_text(fragment: str) -> str:
    """Visible text of sanitized HTML on one line (``works.text.html_to_text``, the one
    HTML-to-text, with its line breaks folded: the index and snippets want words)."""
    return " ".join(html_to_text(fragment or "").split())


def build_documents(work_ids: Sequence[int]) -> tuple[list[dict], list[SearchEntry]]:
    works = {w.pk: w for w in Work.objects.filter(pk__in=work_ids)}
    ids = list(works)
    creators: dict[int, list[str]] = defaultdict(list)
    for work_id, pseud, username in (
        Creatorship.objects.filter(work_id__in=ids)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "pseud__name", "pseud__user__username")
    ):
        creators[work_id].append(pseud)
        if username and username != pseud:
            creators[work_id].append(username)
    tags: dict[int, list[str]] = defaultdict(list)
    fandoms: dict[int, set[int]] = defaultdict(set)
    for work_id, tag_id, name, kind, canon_id, canon_name in (
        Tagging.objects.filter(work_id__in=ids)
        .order_by("work_id", "position", "id")
        .values_list(
            "work_id",
            "tag_id",
            "tag__name",
            "tag__kind",
            "tag__synonym_of_id",
            "tag__synonym_of__name",
        )
    ):
        tags[work_id].append(name)
        if canon_name and canon_name != name:
            tags[work_id].append(canon_name)
        if kind == TagKind.FANDOM:
            fandoms[work_id].add(canon_id or tag_id)
    bodies: dict[int, list[str]] = defaultdict(list)
    sizes: dict[int, int] = defaultdict(int)
    for work_id, title, body in (
        Chapter.objects.filter(work_id__in=ids, posted=True)
        .order_by("work_id", "position", "id")
        .values_list("work_id", "title", "body")
        .iterator(chunk_size=200)
    ):
        if sizes[work_id] >= MAX_BODY_CHARS:
            continue
        text = (title + " " + html_text(body)).strip()
        text = text[: MAX_BODY_CHARS - sizes[work_id]]
        sizes[work_id] += len(text) + 1
        bodies[work_id].append(text)
    docs, entries = [], []
    for work_id, work in works.items():
        # The index answers everyone alike: it holds the creators a guest may learn.
        names = creators[work_id] if creators_shown(work, None) else []
        # index_text sets Chinese, Japanese and Thai characters apart (tokens.py).
        docs.append(
            {
                "id": work_id,
                "title": index_text(work.title),
                "creators": index_text(" ".join(names)),
                "tags": index_text(" ; ".join(tags[work_id])),
                "summary": index_text(
                    " ".join(html_text(x) for x in (work.summary, work.notes, work.end_notes) if x)
                ),
                "body": index_text("\n".join(bodies[work_id])),
            }
        )
        first = names[0].casefold() if names else "anonymous"
        entries.append(
            SearchEntry(
                work_id=work_id, fandom_count=len(fandoms[work_id]), creator_sort=first[:80]
            )
        )
    return docs, entries


@transaction.atomic
def index_works(work_ids: Iterable[int]) -> None:
    """Rebuild the index entries of these works (those that no longer exist are dropped)."""
    ids = sorted(set(work_ids))
    if not ids:
        return
    backend = get_backend()
    for start in range(0, len(ids), 200):
        chunk = ids[start : start + 200]
        docs, entries = build_documents(chunk)
        missing = set(chunk) - {d["id"] for d in docs}
        if missing:
            unindex_works(missing)
        backend.upsert(docs)
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["work"],
            update_fields=["fandom_count", "creator_sort", "indexed_at"],
        )


@transaction.atomic
def unindex_works(work_ids: Iterable[int]) -> None:
    """Drop these works from the index."""
    ids = sorted(set(work_ids))
    if ids:
        get_backend().delete(ids)
        SearchEntry.objects.filter(work_id__in=ids).delete()


def works_of_tags(tag_ids: Iterable[int]) -> list[int]:
    """Works that carry any of these tags (for reindexing after a wrangling change: only
    the text document holds tag names; filters read wrangling live)."""
    return list(
        Tagging.objects.filter(tag_id__in=list(tag_ids))
        .values_list("work_id", flat=True)
        .distinct()
    )


@transaction.atomic
def reindex_all(
    *,
    batch: int = 500,
    progress: Callable[[int, int], None] | None = None,
    documents_only: bool = False,
) -> int:
    """Rebuild the full-text index and every SearchEntry from the database, and tell every
    process to rebuild its bitmap index; returns the number of works indexed. One
    transaction: a failure leaves the old index in place. ``progress(done, total)`` is
    called after each batch (``ficarchive reindex`` draws its bar with it).

    ``documents_only``: rebuild only the full-text documents, which are not models. A JSON
    restore uses it: SearchEntry rows and the change log came back with the models, and
    every process's bitmap index rebuilds on seeing the restored log."""
    backend = get_backend()
    backend.clear()
    if not documents_only:
        SearchEntry.objects.all().delete()
    ids = list(Work.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        if documents_only:
            backend.upsert(build_documents(chunk)[0])
        else:
            index_works(chunk)
        if progress:
            progress(min(start + batch, len(ids)), len(ids))
    backend.optimize()
    if not documents_only:
        from .bitmaps import log_changes

        log_changes([None])  # every process rebuilds its bitmap index
    return len(ids)
