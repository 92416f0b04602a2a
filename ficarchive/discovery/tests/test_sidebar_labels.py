"""The filter sidebar's facet headings and sort names read in the interface language
(new-user trial: they were English in French and Arabic), each language drawing and caching
its own sidebar, while URL parameters, the API and the CLI keep their English keys."""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import translation

from ficarchive.discovery.facets import FACET_KINDS
from ficarchive.discovery.sorts import SORTS
from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import make_user, make_work

pytestmark = [pytest.mark.django_db(transaction=True)]

SORT_KEYS = [
    "updated",
    "posted",
    "title",
    "creator",
    "words",
    "kudos",
    "comments",
    "bookmarks",
    "hits",
    "relevance",
]


@pytest.fixture
def works():
    author = make_user("labelauthor")
    return [
        make_work(
            author,
            title="Label One",
            fandoms=["Label Fandom"],
            characters=["Label Character"],
            rating=Rating.GENERAL,
        ),
        make_work(author, title="Label Two", fandoms=["Label Fandom"], rating=Rating.TEEN),
    ]


def summaries_and_sorts(language: str) -> tuple[list[str], list[str]]:
    """The facet headings and the sort names of ``/works`` for a guest in ``language``."""
    # A session cookie makes the view draw the page rather than serve a guest's cached page,
    # so the sidebar's own cache is what is tested.
    client = Client(HTTP_COOKIE="sessionid=none", HTTP_ACCEPT_LANGUAGE=language)
    response = client.get("/works")
    assert response.status_code == 200
    html = response.content.decode()
    summaries = re.findall(r'<details class="facet [^"]*"[^>]*>\s*<summary>([^<]*)</summary>', html)
    select = html[html.index('<select id="filter-sort"') : html.index("</select>")]
    sorts = re.findall(r'<option value="[a-z]+"[^>]*>([^<]*)</option>', select)
    return summaries, sorts


def test_facet_and_sort_labels_follow_the_language_each_with_its_own_cache(works):
    """French, Arabic and English in turn (each cached after its first drawing, then read
    again): each gets its own words, never another language's cached sidebar."""
    seen = {}
    for language in ("fr", "en", "ar", "fr", "en", "ar"):
        seen.setdefault(language, []).append(summaries_and_sorts(language))
    for language, (first, second) in seen.items():
        assert first == second, language
    fr_summaries, fr_sorts = seen["fr"][0]
    en_summaries, en_sorts = seen["en"][0]
    ar_summaries, ar_sorts = seen["ar"][0]
    assert "Characters" in en_summaries and "Ratings" in en_summaries
    assert "Personnages" in fr_summaries and "Classifications" in fr_summaries
    assert "الشخصيات" in ar_summaries and "التصنيفات" in ar_summaries
    assert en_sorts[:2] == ["Date Updated", "Date Posted"]
    assert fr_sorts[:2] == ["Date de mise à jour", "Date de publication"]
    assert ar_sorts[0] == "تاريخ التحديث"
    assert "Best Match" not in fr_sorts and "Best Match" not in ar_sorts


def test_every_label_is_translated():
    """No facet heading or sort name is left in English (French keeps "Fandoms" and "Kudos",
    as the glossary does)."""
    labels = [label for _kind, _param, label in FACET_KINDS] + list(SORTS.values())
    with translation.override("en"):
        english = [str(label) for label in labels]
    for language in ("fr", "ar"):
        with translation.override(language):
            for label, word in zip(labels, english, strict=True):
                if language == "fr" and word in {"Fandoms", "Kudos"}:
                    continue
                assert str(label) != word, (language, word)


def test_keys_of_urls_api_and_cli_stay_english():
    """The sort keys (URL parameter, API enum, CLI choice) are unchanged and untranslated."""
    assert list(SORTS) == SORT_KEYS
    with translation.override("fr"):
        with pytest.raises(CommandError, match="use one of: updated, posted, title"):
            call_command("search", "--sort", "bogus", "x")


def test_api_answers_in_english_keys_whatever_the_language(works):
    """The OpenAPI sort enum and a sorted listing are the same in French as in English."""
    client = Client(HTTP_ACCEPT_LANGUAGE="fr")
    schema = client.get("/api/v1/openapi.json").json()
    text = str(schema)
    assert "Date de mise à jour" not in text and "Classifications" not in text
    assert "'enum': " + repr(SORT_KEYS) in text
    english = Client(HTTP_ACCEPT_LANGUAGE="en").get("/api/v1/works?sort=title").json()
    french = client.get("/api/v1/works?sort=title").json()
    assert french == english
