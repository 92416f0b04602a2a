"""Tag closure: a tag, its synonyms, its subtags transitively and their synonyms.

Uses the tags app's selector when it exists; until then, a private equivalent computed
from Tag.synonym_of and Tag.parents (both read live, so wrangling shows at once)."""

from __future__ import annotations

from collections.abc import Iterable

from ficarchive.tags.models import Tag, tag_key


def _fallback_closure(tag_ids: Iterable[int]) -> set[int]:
    start = set(tag_ids)
    if not start:
        return set()
    # A synonym stands for its canonical tag.
    canon = set(Tag.objects.filter(pk__in=start, synonym_of__isnull=False).values_list("synonym_of_id", flat=True))
    frontier = start | canon
    seen: set[int] = set()
    Through = Tag.parents.through
    while frontier:
        seen |= frontier
        synonyms = set(Tag.objects.filter(synonym_of_id__in=frontier).values_list("pk", flat=True))
        children = set(
            Through.objects.filter(to_tag_id__in=frontier).values_list("from_tag_id", flat=True)
        )
        frontier = (synonyms | children) - seen
    return seen


def tag_closure_ids(tag_ids: Iterable[int]) -> set[int]:
    ids = [int(i) for i in tag_ids]
    try:
        from ficarchive.tags.selectors import tag_closure_ids as theirs
    except ImportError:
        return _fallback_closure(ids)
    return set(theirs(ids))


def tags_by_names(names: Iterable[str]) -> dict[str, Tag]:
    """The tags with these names (compared as tag names are), keyed by the given name."""
    wanted = {tag_key(n): n for n in names if n and n.strip()}
    if not wanted:
        return {}
    found = Tag.objects.filter(name_key__in=list(wanted))
    return {wanted[t.name_key]: t for t in found}
