"""The sidebar's facets from per-tag counts: synonyms fold into their canonical tags, each
kind keeps its most frequent tags, ties in name order; the same lists as the plain
definition for any counts (the fast path of issue 17 must not change a facet)."""

from __future__ import annotations

from collections import defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from ficarchive.discovery.facets import FACET_KINDS, FACET_TOP, facets_from_counts
from ficarchive.discovery.forms import FilterParams

KINDS = [kind for kind, _param, _label in FACET_KINDS]


def _definition(direct, info):
    """Fold each synonym's count into its canonical, group by kind, keep the top by count
    (ties broken by name, as AO3 does) of the best FACET_TOP * 2 by (count, id)."""
    folded: dict[int, int] = defaultdict(int)
    kind_of: dict[int, str] = {}
    for tag_id, n in direct.items():
        kind, syn, _name = info.get(tag_id, ("", None, ""))
        target = syn or tag_id
        folded[target] += n
        kind_of[target] = kind
    by_kind: dict[str, list[tuple[int, int]]] = defaultdict(list)
    for tag_id, n in folded.items():
        by_kind[kind_of[tag_id]].append((n, tag_id))
    out = {}
    for kind in KINDS:
        top = sorted(by_kind.get(kind, []), reverse=True)[: FACET_TOP * 2]
        ranked = sorted(((n, info[i][2]) for n, i in top), key=lambda x: (-x[0], x[1].casefold()))
        out[kind] = [(name, n) for n, name in ranked[:FACET_TOP]]
    return out


@st.composite
def archives(draw):
    n = draw(st.integers(1, 150))
    pool = draw(st.lists(st.sampled_from(KINDS), min_size=1, max_size=3))  # crowded kinds
    kinds = [draw(st.sampled_from(pool)) for _ in range(n)]
    info = {}
    for i in range(n):
        # A synonym points at an earlier tag of its kind (wrangling keeps kinds equal).
        earlier = [j for j in range(i) if kinds[j] == kinds[i] and info[j + 1][1] is None]
        syn = draw(st.sampled_from([None, *earlier])) if earlier else None
        info[i + 1] = (
            kinds[i],
            None if syn is None else syn + 1,
            f"Tag {draw(st.integers(0, 30))} #{i}",
        )
    # Counts 0-3 (0: not in this result): many ties at the cut, as at 1M works.
    counts = draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))
    direct = {t: c for t, c in enumerate(counts, start=1) if c}
    return direct, info


@settings(max_examples=60, deadline=None)
@given(archive=archives())
def test_facets_are_the_definitions_lists(archive):
    direct, info = archive

    def tag_info(ids):
        return {i: info[i] for i in ids if i in info}

    facets, _exact = facets_from_counts(direct, FilterParams(), sum(direct.values()), tag_info)
    expected = _definition(direct, info)
    for facet in facets:
        assert [(e.name, e.count) for e in facet.entries] == expected[facet.kind]
