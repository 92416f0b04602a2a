"""The bitmap index's build streams its rows in chunks (``bitmaprows.CHUNK``): built two
rows at a time it is the same index as built with every row in one fetch (the build as
it was before streaming), part for part."""

from __future__ import annotations

import pytest

from ficarchive.discovery import bitmaprows, bitmaps
from ficarchive.testing import make_user, make_work


def _parts(index: bitmaps.BitmapIndex) -> dict:
    """Everything a build fills, in comparable form."""
    return {
        "all": list(index.all),
        "flags": {k: list(v) for k, v in index.flags.items()},
        "rating": {k: list(v) for k, v in index.rating.items() if v},
        "language": {k: list(v) for k, v in index.language.items() if v},
        "sorts": {
            k: (s.value.tolist(), s.bounds, [list(b) for b in s.buckets])
            for k, s in index.sorts.items()
        },
        "offsets": index.offsets.tolist(),
        "flat": index.flat.tolist(),
        "tags": {t: list(b) for t, b in index.tags.items()},
        "seen": index.seen,
    }


@pytest.mark.django_db
def test_chunked_build_equals_the_build_with_every_row_at_once(archive, monkeypatch):
    """Two rows per fetch and one fetch for everything give identical indexes, over works
    with gaps in their ids, several buckets per sort order and a deleted work."""
    monkeypatch.setattr(bitmaps, "BUCKET", 2)
    author = make_user("erin")
    extra = [
        make_work(author, title=f"Extra {n}", fandoms=["Doctor Who"], chapters=["Text " * n])
        for n in range(1, 6)
    ]
    extra[2].delete()  # a hole in the ids (the work's taggings go with it)
    fetches: list[int] = []
    real_chunks = bitmaprows.chunks

    def counting(sql, params=None):
        for rows in real_chunks(sql, params):
            fetches.append(len(rows))
            yield rows

    monkeypatch.setattr(bitmaps, "chunks", counting)
    monkeypatch.setattr(bitmaprows, "chunks", counting)
    monkeypatch.setattr(bitmaprows, "CHUNK", 10**9)
    whole = bitmaps.BitmapIndex()
    whole.build()
    at_once = len(fetches)
    monkeypatch.setattr(bitmaprows, "CHUNK", 2)
    streamed = bitmaps.BitmapIndex()
    streamed.build()
    assert len(fetches) - at_once > 3 * at_once  # it did read in many small fetches
    assert max(fetches[at_once:]) == 2
    assert _parts(streamed) == _parts(whole)
    assert len(whole.all) == 10  # the archive's six works and four of the extra five


@pytest.mark.django_db
def test_counter_refresh_streams_and_matches_a_build(archive, monkeypatch):
    """Re-reading the counters for sorting, two rows at a time, gives the sort orders a
    fresh build gives."""
    from ficarchive.works.models import Work

    monkeypatch.setattr(bitmaprows, "CHUNK", 2)
    index = bitmaps.BitmapIndex()
    index.build()
    Work.objects.filter(pk=archive.w4.pk).update(kudos_count=999, hit_count=7)
    for key in bitmaps.COUNTER_SORTS:
        index.sorts[key].built_at -= bitmaps.COUNTER_REFRESH_SECONDS + 1
    index._refresh_counters()
    fresh = bitmaps.BitmapIndex()
    fresh.build()
    for key in bitmaps.COUNTER_SORTS:
        assert index.sorts[key].value.tolist() == fresh.sorts[key].value.tolist()
        assert [list(b) for b in index.sorts[key].buckets] == [
            list(b) for b in fresh.sorts[key].buckets
        ]
