"""Filter and search semantics against the hand-built archive in conftest.py, whose
answers are known. The same cases run on SQLite and on PostgreSQL (make test runs the
suite on both), which is what shows the two engines agree."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.plan import WithinWorks
from ficarchive.discovery.search import ordered_ids, search_works

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("engine")]

GUEST = AnonymousUser()


def ids(archive, params, viewer=GUEST):
    result = search_works(viewer, params)
    assert not result.query_error, result.query_error
    return {w.pk for w in result.works}


def names(archive, *keys):
    return {getattr(archive, k).pk for k in keys}


# (params, expected works as fixture names): the archive's known answers.
CASES = [
    ({}, ("w1", "w2", "w3", "w4")),
    ({"tag": "Alternate Universe"}, ("w1", "w3", "w4")),  # synonym AU, subtag Coffee Shop AU
    ({"tag": "AU"}, ("w1", "w3", "w4")),  # a synonym stands for its canonical tag
    ({"exclude_tag": "Alternate Universe"}, ("w2",)),
    ({"tag": ["Sherlock Holmes", "Angst"]}, ("w2",)),  # several includes: all must hold
    ({"tag": "Sherlock Holmes, Fluff"}, ("w1",)),  # commas separate tags
    ({"tag": "No Such Tag"}, ()),
    ({"rating": "General Audiences"}, ("w1",)),
    ({"rating": ["General Audiences", "Teen And Up Audiences"]}, ("w1", "w2")),
    ({"exclude_rating": "Explicit"}, ("w1", "w2", "w4")),
    ({"warning": "Graphic Depictions Of Violence"}, ("w2",)),
    ({"exclude_warning": "Major Character Death"}, ("w1", "w2", "w4")),
    ({"category": "Gen"}, ("w1",)),
    ({"exclude_category": ["F/F", "M/M"]}, ("w1", "w4")),
    ({"crossover": "only"}, ("w2",)),
    ({"crossover": "exclude"}, ("w1", "w3", "w4")),
    ({"complete": "in_progress"}, ("w2",)),
    ({"complete": "complete"}, ("w1", "w3", "w4")),
    ({"words_from": "100"}, ("w1", "w3")),
    ({"words_from": "10", "words_to": "200"}, ("w1", "w2")),
    ({"language": "fr"}, ("w3",)),
    ({"q": '"hidden door"'}, ("w1",)),
    ({"q": "hidden"}, ("w1", "w2", "w3")),
    ({"q": "hidden -vampire"}, ("w1",)),
    ({"q": "dragon OR espresso"}, ("w1", "w4")),
    ({"q": "title:vampire"}, ("w3",)),
    ({"q": "sherlock"}, ("w1", "w2", "w4")),  # tag names are searched too
    ({"q": "creator:bob"}, ("w2",)),
    ({"q": "alice"}, ("w1", "w3")),  # creators are searched
    ({"q": "carol"}, ()),  # an anonymous creator is not
    ({"q": "creator:carol"}, ()),
    ({"q": 'tag:"Alternate Universe"'}, ("w1", "w3", "w4")),
    ({"q": "-tag:Angst"}, ("w1", "w4")),
    ({"q": "rating:teen OR rating:explicit"}, ("w2", "w3")),
    ({"q": "kudos:>10"}, ("w1", "w3")),
    ({"q": "words:<100"}, ("w2", "w4")),
    ({"q": "hits:100-500"}, ("w1", "w3")),
    ({"q": "vampire", "exclude_rating": "Explicit"}, ("w2",)),
    ({"q": "complete:no"}, ("w2",)),
    ({"q": "language:fr"}, ("w3",)),
]


@pytest.mark.parametrize(("params", "expected"), CASES, ids=[str(c[0]) for c in CASES])
def test_known_answers(archive, params, expected):
    """Each filter returns exactly the works the hand-built archive says it should."""
    assert ids(archive, params) == names(archive, *expected)


ORDER_CASES = [
    ({"sort": "kudos"}, ["w3", "w1", "w2", "w4"]),
    ({"sort": "kudos", "dir": "asc"}, ["w4", "w2", "w1", "w3"]),
    ({"sort": "hits"}, ["w2", "w1", "w3", "w4"]),
    ({"sort": "title"}, ["w2", "w4", "w1", "w3"]),
    ({"sort": "words"}, ["w3", "w1", "w2", "w4"]),
    ({"sort": "creator"}, ["w1", "w3", "w4", "w2"]),  # alice, "anonymous", bob; ties by id
    ({"q": "vampire"}, ["w3", "w2"]),  # relevance by default: a title match beats the text
]


@pytest.mark.parametrize(("params", "expected"), ORDER_CASES, ids=[str(c[0]) for c in ORDER_CASES])
def test_known_orders(archive, params, expected):
    """Sorts return the works in the known order, the same on every database."""
    assert ordered_ids(GUEST, params) == [getattr(archive, k).pk for k in expected]


def test_visibility_drafts_restricted_and_operator(archive, user):
    """Guests never see restricted works; members do; nobody lists drafts; the operator
    (command line) sees every posted work."""
    assert archive.restricted.pk not in ids(archive, {})
    assert archive.restricted.pk in ids(archive, {}, viewer=user)
    assert archive.draft.pk not in ids(archive, {"q": "dragon"}, viewer=archive.alice)
    assert ids(archive, {"q": "dragon"}, viewer=OPERATOR) == names(archive, "w1", "restricted")
    assert ids(archive, {"q": "creator:carol"}, viewer=OPERATOR) == names(archive, "w4")


def test_facets_count_the_results(archive):
    """Facets list the top tags of each kind in the results with their counts, by
    canonical tag, and link to including or excluding each."""
    result = search_works(GUEST, {"tag": "Sherlock Holmes"})
    facets = {f.kind: {e.name: e for e in f.entries} for f in result.facets}
    assert {n: e.count for n, e in facets["fandom"].items()} == {
        "Sherlock Holmes": 3,
        "Doctor Who": 1,
    }
    assert facets["fandom"]["Sherlock Holmes"].included
    assert facets["freeform"]["Alternate Universe"].count == 1  # w1's "AU" counted as its canonical
    assert facets["rating"]["Teen And Up Audiences"].count == 1
    angst = facets["freeform"]["Angst"]
    assert angst.include_qs == "tag=Sherlock+Holmes&tag=Angst"
    assert angst.exclude_qs == "tag=Sherlock+Holmes&exclude_tag=Angst"
    assert result.facets_exact


def test_malformed_query_is_a_message_not_an_error(archive):
    """A query the parser cannot read gives an empty result with a helpful message."""
    result = search_works(GUEST, {"q": '"unclosed'})
    assert result.works == [] and "not closed" in result.query_error


def test_bad_parameters_are_dropped_and_reported(archive):
    """Unknown ratings or unreadable numbers are left out with a notice, not a crash."""
    result = search_works(
        GUEST, {"rating": "Spicy", "words_from": "lots", "date_from": "yesterday", "page": "x"}
    )
    assert {w.pk for w in result.works} == names(archive, "w1", "w2", "w3", "w4")
    assert len(result.errors) == 3


def test_date_range(archive):
    """Updated-date bounds include whole days; a range before everything is empty."""
    today = archive.w1.revised_at.date().isoformat()
    assert ids(archive, {"date_from": today, "date_to": today}) == names(
        archive, "w1", "w2", "w3", "w4"
    )
    assert ids(archive, {"date_to": "2001-01-01"}) == set()


def test_pagination_and_shareable_querystring(archive):
    """Pages hold page_size works; the querystring reproduces the filter exactly."""
    first = search_works(GUEST, {"sort": "kudos", "exclude_tag": "Fluff"}, page_size=2)
    assert first.total == 3 and first.num_pages == 2 and first.next_page == 2
    again = search_works(
        GUEST, first.querystring + "&page=2" and _qd(first.querystring + "&page=2"), page_size=2
    )
    assert [w.pk for w in again.works] == [archive.w4.pk]


def _qd(qs):
    from django.http import QueryDict

    return QueryDict(qs)


def test_base_queryset_narrows(archive):
    """A base queryset (a tag's or a user's works) limits results; visibility still holds."""
    from ficarchive.works.models import Work

    base = Work.objects.filter(creatorships__pseud__user=archive.bob)
    assert ids(archive, {}, viewer=GUEST) & {w.pk for w in base} == names(archive, "w2")
    result = search_works(GUEST, {}, within=WithinWorks(base))
    assert {w.pk for w in result.works} == names(archive, "w2")


def test_snippets_mark_the_words(archive):
    """Search results carry a passage around the match with the words marked."""
    result = search_works(GUEST, {"q": '"hidden door"'})
    snippet = result.snippets[archive.w1.pk]
    assert "<mark>hidden</mark> <mark>door</mark>" in snippet
