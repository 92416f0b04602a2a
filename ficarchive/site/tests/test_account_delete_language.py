"""The account deletion page's choice for one's works is in the reader's language (its two
choices were plain English strings)."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("lang", "shown"),
    [("fr", "Supprimer mes œuvres"), ("ar", "احذف أعمالي")],
)
def test_account_delete_choices_are_translated(lang, shown):
    """French and Arabic pages offer "Delete my works" and "Orphan my works" translated."""
    client = Client()
    client.force_login(make_user("leaving"))
    text = client.get("/account/delete", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    assert "Delete my works" not in text and "Orphan my works" not in text
    assert shown in text
