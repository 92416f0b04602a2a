"""The collections app's French and Arabic catalogues are complete and compiled, and its
pages render translated."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from ficarchive.collections.services import collection_create
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user

LOCALE = Path(__file__).resolve().parents[1] / "locale"


@pytest.mark.parametrize("lang", ["fr", "ar"])
def test_catalogue_complete(lang):
    po = (LOCALE / lang / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    assert (LOCALE / lang / "LC_MESSAGES" / "django.mo").exists()
    assert "#, fuzzy" not in po
    # No entry whose (first) translation is empty, the header's aside.
    entries = po.split("\n\n")[1:]
    assert entries
    for entry in entries:
        if entry.startswith("#~"):
            continue
        assert not re.search(r'^msgstr(\[0\])? ""\n?$', entry, re.M) or re.search(
            r'^msgstr(\[0\])? ""\n"', entry, re.M
        ), entry


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("fr", "Marque-pages"), ("ar", "الإشارات المرجعية")])
def test_collection_page_translated(lang, text):
    """The bookmarks page of a collection, drawn in French and in Arabic."""
    from django.core.paginator import Paginator
    from django.template.loader import render_to_string

    from ficarchive.collections.selectors_bookmarks import BookmarkFilters

    c = collection_create(actor=OPERATOR, owner=make_user("owner"), name="Recs", title="Recs")
    context = {
        "collection": c,
        "bookmarks": [],
        "page_obj": Paginator([], 20).get_page(1),
        "filters": BookmarkFilters(),
    }
    with translation.override(lang):
        html = render_to_string("collections/bookmarks.html", context)
    assert text in html
    assert Client().get("/collections/Recs/bookmarks").status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "text"), [("fr", "S'inscrire"), ("ar", "سجّل")])
def test_challenge_sign_up_is_not_account_sign_up(lang, text):
    """An exchange's "Sign up" reads as joining the challenge, not as making an account
    (Arabic "إنشاء حساب" is the account's): a msgctxt keeps them apart."""
    owner = make_user("signupctx")
    collection_create(
        actor=OPERATOR, owner=owner, name="ctx_swap", title="Ctx Swap", challenge="gift_exchange"
    )
    client = Client()
    client.force_login(make_user("signupreader"))
    detail = client.get("/collections/ctx_swap", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    form = client.get("/collections/ctx_swap/signups/new", HTTP_ACCEPT_LANGUAGE=lang)
    page = form.content.decode()
    assert f">{text}</a>" in detail
    assert f'<button type="submit">{text}</button>' in page
    assert "إنشاء حساب</button>" not in page and "إنشاء حساب</a>" not in detail
