"""The plain-SQL tag reads (``tags.fastreads``) give what the ORM reads they replace gave:
the same tag with every field, its canonical loaded without a query, and the same
wrangling stamp before and after wrangling."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ficarchive.tags import fastreads, selectors
from ficarchive.tags.models import Tag, WranglingVersion, tag_key
from ficarchive.tags.services import tag_make_canonical, tag_make_synonym
from ficarchive.tags.tests.factories import make_wrangler, tag

pytestmark = pytest.mark.django_db


def _fields(t: Tag | None) -> dict | None:
    if t is None:
        return None
    return {f.attname: getattr(t, f.attname) for f in Tag._meta.concrete_fields}


def _orm_tag(name: str) -> Tag | None:
    return Tag.objects.filter(name_key=tag_key(name)).select_related("synonym_of").first()


def _orm_stamp() -> str:
    return WranglingVersion.objects.filter(pk=1).values_list("stamp", flat=True).first() or ""


def test_tag_with_canonical_matches_the_orm():
    wrangler = make_wrangler()
    canonical = tag_make_canonical(actor=wrangler, tag=tag("Fast Canon Tag"))
    synonym = tag_make_synonym(actor=wrangler, tag=tag("fast canon synonym"), canonical=canonical)
    plain = tag("A Plain Unwrangled Tag")
    for name in ("Fast Canon Tag", "FAST canon synonym", "  a plain unwrangled tag ", "nothing"):
        fast = fastreads.tag_with_canonical(tag_key(name))
        orm = _orm_tag(name)
        assert _fields(fast) == _fields(orm), name
        if fast is not None:
            assert fast == orm and not fast._state.adding and fast._state.db == orm._state.db
            with CaptureQueriesContext(connection) as queries:  # loaded, as select_related
                assert _fields(fast.synonym_of) == _fields(orm.synonym_of)
            assert len(queries) == 0
    assert fastreads.tag_with_canonical(tag_key("fast canon synonym")).synonym_of == canonical
    assert fastreads.tag_with_canonical(tag_key(plain.name)).synonym_of is None
    assert synonym.synonym_of_id == canonical.pk


def test_tag_by_url_name_reads_as_before():
    wrangler = make_wrangler()
    canonical = tag_make_canonical(actor=wrangler, tag=tag("Slash/Tag & Co."))
    found = selectors.tag_by_url_name("Slash*s*Tag *a* Co*d*")
    assert found == canonical and found.canonical and found.synonym_of is None
    with pytest.raises(selectors.Http404):
        selectors.tag_by_url_name("No such tag at all")


def test_wrangling_stamp_matches_the_orm_before_and_after_wrangling():
    assert fastreads.wrangling_stamp_row() == _orm_stamp() == selectors.wrangling_stamp()
    before = selectors.wrangling_stamp()
    tag_make_canonical(actor=make_wrangler(), tag=tag("Stamp Tag"))
    after = selectors.wrangling_stamp()
    assert after and after != before
    assert fastreads.wrangling_stamp_row() == _orm_stamp() == after
