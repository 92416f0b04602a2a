"""The filter's query strings (facet links, pagination) are exactly what ``urlencode`` writes."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

from hypothesis import given
from hypothesis import strategies as st

from ficarchive.discovery.forms import FilterParams

TRICKY = ["Harry/Draco", "Fluff & Angst", "a=b+c", "ünïcödé 東方", "100%", "  spaced  ", "#tag?"]


def test_querystring_matches_urlencode_for_tricky_tag_names():
    """Slashes, ampersands, equals, plus, percent, non-Latin text: byte for byte urlencode's."""
    params = FilterParams.from_data(
        {"tag": TRICKY[:4], "exclude_tag": TRICKY[4:], "sort": "kudos", "words_from": "1000"}
    )
    assert params.querystring() == urlencode(params.items())
    facet = params.with_value("exclude_tag", "Harry/Draco")
    assert facet.querystring() == urlencode(facet.items())
    assert ("exclude_tag", "Harry/Draco") in parse_qsl(facet.querystring())
    assert ("tag", "Harry/Draco") not in parse_qsl(facet.querystring())


@given(st.lists(st.text(min_size=1, max_size=12), max_size=5))
def test_querystring_matches_urlencode_for_any_text(names):
    """Any tag names at all: the remembered pairs give urlencode's string."""
    params = FilterParams.from_data({"tag": names})
    assert params.querystring() == urlencode(params.items())
    assert params.querystring(page=True) == urlencode(params.items(page=True))


LIST_PARAMS = ["rating", "exclude_rating", "warning", "exclude_warning", "category"]
LIST_PARAMS += ["exclude_category", "tag", "exclude_tag", "hide"]
NAMES = st.sampled_from(TRICKY + ["Fluff", "Angst", "Explicit", "Mature", "F/M", "Gen"])


@given(
    data=st.fixed_dictionaries(
        {},
        optional={
            **{p: st.lists(NAMES, max_size=3) for p in LIST_PARAMS},
            "words_from": st.sampled_from(["", "100", "5000"]),
            "q": st.sampled_from(["", "kiss", '"the end"']),
            "sort": st.sampled_from(["", "kudos", "title"]),
            "language": st.sampled_from(["", "fr"]),
            "page": st.sampled_from(["1", "3"]),
        },
    ),
    field=st.sampled_from(LIST_PARAMS),
    values=st.lists(NAMES, min_size=1, max_size=4),
)
def test_value_links_write_what_with_value_writes(data, field, values):
    """The sidebar's fast links are the very strings of ``with_value(...).querystring()``,
    whatever the filter holds and whether the value is already in the field or its
    opposite."""
    params = FilterParams.from_data(data)
    link = params.value_links(field)
    for value in values:
        assert link(value) == params.with_value(field, value).querystring()
