"""The closure's batched walk (one statement per tree level for many tags) gives, for any
wrangling graph, each tag's closure exactly as the definition reads: the tag (its canonical
when it is a synonym), their synonyms, their subtags transitively and the subtags' synonyms.
"""

from __future__ import annotations

from django.core.cache import cache
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from ficarchive.tags import selectors
from ficarchive.tags.models import Tag


def _reference(start: set[int], synonym_of: dict[int, int], parents: set[tuple[int, int]]):
    """The definition, walked one tag at a time in Python (the walk this module replaced)."""
    frontier = start | {synonym_of[t] for t in start if t in synonym_of}
    seen: set[int] = set()
    while frontier:
        seen |= frontier
        synonyms = {t for t, canonical in synonym_of.items() if canonical in frontier}
        children = {child for child, parent in parents if parent in frontier}
        frontier = (synonyms | children) - seen
    return seen


graphs = st.integers(min_value=1, max_value=9).flatmap(
    lambda n: st.tuples(
        st.just(n),
        # synonym_of: tag index -> the index of its canonical (never itself)
        st.dictionaries(st.integers(0, n - 1), st.integers(0, n - 1), max_size=n),
        # (child, parent) pairs of the meta/sub tag tree, cycles allowed
        st.sets(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)), max_size=2 * n),
    )
)


class BatchedClosure(TestCase):
    @settings(max_examples=80, deadline=None)
    @given(graph=graphs, picks=st.lists(st.integers(0, 8), min_size=1, max_size=4))
    def test_each_tags_closure_matches_the_definition(self, graph, picks):
        cache.clear()
        n, synonym_idx, parent_idx = graph
        tags = [Tag.objects.create(name=f"Tag {i}", kind="freeform") for i in range(n)]
        ids = [t.pk for t in tags]
        synonym_of = {ids[s]: ids[c] for s, c in synonym_idx.items() if s != c}
        for tag_id, canonical in synonym_of.items():
            Tag.objects.filter(pk=tag_id).update(synonym_of_id=canonical)
        parents = {(ids[c], ids[p]) for c, p in parent_idx if c != p}
        for child, parent in parents:
            Tag.parents.through.objects.create(from_tag_id=child, to_tag_id=parent)

        walked = selectors._closures_uncached(set(ids))
        for tag_id in ids:
            assert walked[tag_id] == _reference({tag_id}, synonym_of, parents)
        start = {ids[i % n] for i in picks}
        union = _reference(start, synonym_of, parents)
        assert set().union(*selectors._closures_uncached(start).values()) == union
        assert selectors.tag_closure_ids(start) == union
        by_tag = selectors.tag_closures(start)
        assert set(by_tag) == start
        assert set().union(*by_tag.values()) == union

    def test_closures_come_from_the_cache_once_a_wrangling_stamp_exists(self):
        """Cached per tag under the stamp: a second call reads nothing from the database."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        a = Tag.objects.create(name="A", kind="freeform")
        b = Tag.objects.create(name="B", kind="freeform", synonym_of=a)
        stamp = "test-stamp"
        original = selectors.wrangling_stamp
        selectors.wrangling_stamp = lambda: stamp  # type: ignore[assignment]
        try:
            first = selectors.tag_closures([a, b.pk])
            with CaptureQueriesContext(connection) as queries:
                second = selectors.tag_closures([a.pk, b.pk])
        finally:
            selectors.wrangling_stamp = original  # type: ignore[assignment]
        assert first == second == {a.pk: frozenset({a.pk, b.pk}), b.pk: frozenset({a.pk, b.pk})}
        assert len(queries) == 0

    def test_many_tags_are_walked_together_one_statement_per_level(self):
        """Five tags, each with a subtag that has a synonym: three levels, three statements
        (plus the stamp), however many tags are asked about."""
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        cache.clear()
        roots = []
        for i in range(5):
            root = Tag.objects.create(name=f"Root {i}", kind="freeform")
            sub = Tag.objects.create(name=f"Sub {i}", kind="freeform")
            Tag.objects.create(name=f"Syn {i}", kind="freeform", synonym_of=sub)
            Tag.parents.through.objects.create(from_tag_id=sub.pk, to_tag_id=root.pk)
            roots.append(root)
        with CaptureQueriesContext(connection) as queries:
            closures = selectors._closures_uncached({r.pk for r in roots})
        assert all(len(c) == 3 for c in closures.values())
        assert len(queries) == 3  # root -> sub, sub -> synonym, synonym -> nothing
