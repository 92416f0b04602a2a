"""Our catalogues win over Django's contrib apps' for the same words (hsocial: the Arabic
History page was titled "تاريخ" and the log-in link read "ادخل", the admin's translations,
not the glossary's "السجل" and "تسجيل الدخول"; French "Log in" read "Connexion")."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.translation import gettext

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "msgid", "expected"),
    [
        ("ar", "History", "السجل"),
        ("ar", "Log in", "تسجيل الدخول"),
        ("ar", "Search", "بحث"),
        ("fr", "Log in", "Se connecter"),
        ("fr", "Filter", "Filtrer"),
    ],
)
def test_glossary_words_come_from_our_catalogues(language, msgid, expected):
    with translation.override(language):
        assert gettext(msgid) == expected


def test_the_history_page_is_titled_from_the_glossary(client, user):
    client.force_login(user)
    page = client.get(f"/users/{user.username}/readings", HTTP_ACCEPT_LANGUAGE="ar")
    assert '<h1 class="heading">السجل</h1>' in page.content.decode()
