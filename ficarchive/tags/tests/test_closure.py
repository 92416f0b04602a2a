"""The closure every listing under a tag uses: synonyms, subtags transitively, theirs."""

from __future__ import annotations

import pytest

from ficarchive.tags.selectors import (
    tag_closure_ids,
    unwrangled_bin,
    unwrangled_counts,
)
from ficarchive.tags.services import (
    tag_add_parent,
    tag_link_fandom,
    tag_make_canonical,
    tag_make_synonym,
    tag_remove_parent,
    tag_split_synonym,
)
from ficarchive.testing import make_work
from ficarchive.works.tag_selectors import tag_works_count, works_under_tag

from .factories import make_wrangler, tag

pytestmark = pytest.mark.django_db


def test_metatag_finds_work_tagged_only_with_synonym_of_subtag(author):
    """A filter on a metatag finds a work tagged only with a synonym of one of its subtags;
    un-wrangling removes it again."""
    w = make_wrangler()
    work = make_work(author, fandoms=["BtVS"], title="Only the synonym")
    make_work(author, fandoms=["Something Else"], title="Unrelated")
    meta = tag_make_canonical(
        actor=w, tag="Buffy the Vampire Slayer - All Media Types", kind="fandom"
    )
    sub = tag_make_canonical(actor=w, tag="Buffy the Vampire Slayer (TV)", kind="fandom")
    tag_add_parent(actor=w, child=sub, parent=meta)
    assert list(works_under_tag(meta, None)) == []
    tag_make_synonym(actor=w, tag=tag("BtVS", "fandom"), canonical=sub)
    assert [x.pk for x in works_under_tag(meta, None)] == [work.pk]
    assert tag_works_count(meta) == 1
    tag_split_synonym(actor=w, tag=tag("BtVS", "fandom"))
    assert list(works_under_tag(meta, None)) == []
    tag_make_synonym(actor=w, tag=tag("BtVS", "fandom"), canonical=sub)
    tag_remove_parent(actor=w, child=sub, parent=meta)
    assert list(works_under_tag(meta, None)) == []
    assert [x.pk for x in works_under_tag(sub, None)] == [work.pk]


def test_closure_is_transitive_and_a_synonym_stands_for_its_canonical(db):
    """Subtags of subtags and their synonyms are in the closure; a synonym's closure is its canonical's."""
    w = make_wrangler()
    top = tag_make_canonical(actor=w, tag="Top", kind="freeform")
    mid = tag_make_canonical(actor=w, tag="Mid", kind="freeform")
    low = tag_make_canonical(actor=w, tag="Low", kind="freeform")
    tag_add_parent(actor=w, child=mid, parent=top)
    tag_add_parent(actor=w, child=low, parent=mid)
    syn = tag_make_synonym(actor=w, tag=tag("low alias"), canonical=low)
    top_syn = tag_make_synonym(actor=w, tag=tag("top alias"), canonical=top)
    expected = {top.pk, mid.pk, low.pk, syn.pk, top_syn.pk}
    assert tag_closure_ids(top) == expected
    assert tag_closure_ids(top_syn.pk) == expected
    assert tag_closure_ids([low]) == {low.pk, syn.pk}


def test_listing_follows_wrangling_at_once_with_cache(author):
    """A cached closure is dropped by the next wrangling change (no reindex, no wait)."""
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Buffy Summers/Spike", kind="relationship")
    work = make_work(author, relationships=["Spuffy"])
    assert tag_works_count(canon) == 0
    assert tag_works_count(canon) == 0  # now cached
    tag_make_synonym(actor=w, tag=tag("Spuffy", "relationship"), canonical=canon)
    assert [x.pk for x in works_under_tag(canon, None)] == [work.pk]


def test_closure_respects_privacy(author, user):
    """Works under a tag go through visible_to: restricted works only for logged-in readers."""
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Hurt/Comfort", kind="freeform")
    make_work(author, freeforms=["hurt/comfort"], restricted=True)
    make_work(author, freeforms=["Hurt/Comfort"], draft=True)
    assert tag_works_count(canon, None) == 0
    assert tag_works_count(canon, user) == 1


def test_unwrangled_bin_has_tags_on_the_fandoms_works_and_linked_ones(author):
    """A fandom's bin: unwrangled tags on works in the fandom (or its subtags) and tags linked to it."""
    w = make_wrangler()
    meta = tag_make_canonical(actor=w, tag="Buffyverse", kind="fandom")
    sub = tag_make_canonical(actor=w, tag="Angel (TV)", kind="fandom")
    tag_add_parent(actor=w, child=sub, parent=meta)
    make_work(author, fandoms=["Angel (TV)"], characters=["Cordy"])
    make_work(author, fandoms=["Firefly"], characters=["Stranger"])
    linked = tag_link_fandom(actor=w, tag=tag("Lorne", "character"), fandom=meta)
    tag_make_canonical(actor=w, tag="Angel", kind="character")
    assert [t.name for t in unwrangled_bin(fandom=meta, kind="character")] == ["Cordy", "Lorne"]
    assert [t.name for t in unwrangled_bin(fandom=sub, kind="character")] == ["Cordy"]
    assert linked.is_unwrangled
    assert unwrangled_counts()["character"] == 3


def test_closure_of_several_tags_is_the_union_and_reuses_each_tags_cache(db):
    """The closure of a set of tags equals the uncached closure of the set (the union of
    each tag's); a new combination of tags already seen reads no synonyms or subtags, and a
    wrangling change is still seen at once."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ficarchive.tags.selectors import _closures_uncached

    cache.clear()
    w = make_wrangler()
    a = tag_make_canonical(actor=w, tag="Alpha", kind="freeform")
    a_sub = tag_make_canonical(actor=w, tag="Alpha Sub", kind="freeform")
    tag_add_parent(actor=w, child=a_sub, parent=a)
    a_syn = tag_make_synonym(actor=w, tag=tag("alpha alias"), canonical=a_sub)
    b = tag_make_canonical(actor=w, tag="Beta", kind="freeform")
    b_syn = tag_make_synonym(actor=w, tag=tag("beta alias"), canonical=b)
    c = tag_make_canonical(actor=w, tag="Gamma", kind="freeform")
    assert tag_closure_ids([a, b]) == set().union(*_closures_uncached({a.pk, b.pk}).values())
    assert tag_closure_ids([a, b]) == {a.pk, a_sub.pk, a_syn.pk, b.pk, b_syn.pk}
    assert tag_closure_ids([b_syn, c]) == {b.pk, b_syn.pk, c.pk}
    with CaptureQueriesContext(connection) as queries:
        assert tag_closure_ids([a, c]) == {a.pk, a_sub.pk, a_syn.pk, c.pk}
    assert not [q for q in queries.captured_queries if "tags_tag_parents" in q["sql"]]
    tag_add_parent(actor=w, child=c, parent=b)
    assert tag_closure_ids([a, b]) == {a.pk, a_sub.pk, a_syn.pk, b.pk, b_syn.pk, c.pk}
