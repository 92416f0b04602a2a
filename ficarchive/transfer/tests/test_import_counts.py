"""The import results name each work's chapters and words with the language's plural forms
(new-user trial: the form said "1 chapter(s), 17 word(s)"); French has 2 forms, Arabic 6."""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from ficarchive.testing import PASSWORD

from .test_import_views import STORY

pytestmark = pytest.mark.django_db
ONE_WORD = "Hello.\n"


def counts(client, text: str, language: str, name: str) -> str:
    """The "from FILE: …" line of one uploaded text file, in ``language``."""
    upload = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")
    response = client.post(
        reverse("transfer:import"),
        {"uploads": [upload], "draft": "on"},
        HTTP_ACCEPT_LANGUAGE=language,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "(s)" not in html
    found = re.search(r'<span class="muted">([^<]*)</span>', html)
    assert found, html
    return " ".join(found.group(1).split())


@pytest.fixture
def logged_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


@pytest.mark.parametrize(
    ("language", "one", "many"),
    [
        ("en", "from a.txt: 1 chapter, 1 word", "from b.txt: 2 chapters, 48 words"),
        ("fr", "depuis a.txt : 1 chapitre, 1 mot", "depuis b.txt : 2 chapitres, 48 mots"),
        ("ar", "من a.txt: فصل واحد، كلمة واحدة", "من b.txt: فصلان، 48 كلمةً"),
    ],
)
def test_chapter_and_word_counts_use_plural_forms(logged_in, language, one, many):
    assert counts(logged_in, ONE_WORD, language, "a.txt") == one
    assert counts(logged_in, STORY, language, "b.txt") == many
