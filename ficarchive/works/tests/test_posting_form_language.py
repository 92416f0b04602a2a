"""The posting forms speak the reader's language: their labels, help texts and choices
were English on the French and Arabic pages (plain strings, not gettext_lazy)."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db

# Labels and choices of the Post New Work form, as the English page shows them.
ENGLISH = [
    "Work Title",
    "Beginning notes",
    "Who can comment on this work",
    "Registered users and guests can comment",
    "Detect automatically",
    "Or upload a file (.txt, .md, .html)",
    "Only show your work to registered users",
    "Leave empty if you don&#x27;t know yet (shown as ?).",
]


@pytest.fixture
def author_client() -> Client:
    client = Client()
    client.force_login(make_user("formlanguage"))
    return client


def test_english_page_has_the_labels(author_client):
    """The English form carries the labels the other languages must translate."""
    text = author_client.get("/works/new", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    for label in ENGLISH:
        assert label in text, label


@pytest.mark.parametrize(
    ("lang", "translated"),
    [
        ("fr", ["Titre de l&#x27;œuvre", "Qui peut commenter cette œuvre"]),
        ("ar", ["عنوان العمل", "من يمكنه التعليق على هذا العمل"]),
    ],
)
def test_post_new_work_form_is_translated(author_client, lang, translated):
    """In French and Arabic no label, help text or choice of the form stays English."""
    text = author_client.get("/works/new", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    for label in ENGLISH:
        assert label not in text, f"{label!r} untranslated in {lang}"
    for label in translated:
        assert label in text, label


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_chapter_form_is_translated(author_client, lang):
    """The Add Chapter form's own labels are translated too."""
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    user = author_client.session["_auth_user_id"]
    from ficarchive.accounts.models import User

    author = User.objects.get(pk=user)
    work = work_create(
        actor=author,
        meta=WorkMeta(
            title="Form Language",
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=["Form Fandom"],
        ),
        chapters=[ChapterInput(body="Text.")],
        pseuds=[author.default_pseud()],
    )
    text = author_client.get(
        f"/works/{work.pk}/chapters/new", HTTP_ACCEPT_LANGUAGE=lang
    ).content.decode()
    for label in ("Chapter Summary", "Chapter Text", "Beginning notes", "Text format"):
        assert label not in text, f"{label!r} untranslated in {lang}"
