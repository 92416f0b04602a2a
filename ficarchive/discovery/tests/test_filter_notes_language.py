"""A listing's notes about dropped filter values read in the reader's language; the API,
which refuses such values instead of dropping them, says so in English."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "Word count 'abc' is not a number; it was left out."),
        ("fr", "Le nombre de mots 'abc' n'est pas un nombre ; il a été ignoré."),
    ],
)
def test_listing_notes_follow_the_interface_language(language, expected):
    page = Client(HTTP_ACCEPT_LANGUAGE=language).get("/works?words_from=abc&rating=Bogus")
    assert page.status_code == 200
    html = page.content.decode()
    assert expected.replace("'", "&#x27;") in html
    if language == "fr":
        assert "n&#x27;est pas une classification connue" in html
        assert "is not a number" not in html


def test_an_unknown_tag_note_is_translated():
    page = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/works?tag=Nowhere+Tag")
    assert "Aucun tag ne s&#x27;appelle &#x27;Nowhere Tag&#x27;" in page.content.decode()


def test_the_api_refuses_an_unknown_vocabulary_value_in_english():
    answer = Client(HTTP_ACCEPT_LANGUAGE="fr").get("/api/v1/works?rating=Bogus")
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["message"] == "'Bogus' is not a known value of rating."
    assert "left out" not in error["message"]
    assert Client().get("/api/v1/works?rating=Explicit").status_code == 200
