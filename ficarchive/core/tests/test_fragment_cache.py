"""The cached parts of every page (``{% fragment_cache %}`` in ``base.html``: the head's
links, a signed-in reader's header, the footer, the language chooser) are exact: each
kind of write that changes what they show shows at once (wrangler rights, an inbox item,
the reader's language and site skin, signing out), a cached header carries the request's
own CSRF token, a guest's header is never cached, and a failing cache draws them.

These tests commit (``transaction=True``), as the other cache tests do."""

from __future__ import annotations

import re
from unittest import mock

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client

from ficarchive.accounts.display import display_preferences_update
from ficarchive.accounts.services import language_update
from ficarchive.core import cache as core_cache
from ficarchive.core.templatetags import fragments
from ficarchive.feedback.services import comment_create
from ficarchive.testing import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.django_db(transaction=True)]
PAGE = "/works"


def _reader(name: str = "fragreader", **fields):
    user = make_user(name, **fields)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client, user


def _header(html: str) -> str:
    return html[html.index('<header class="site-header"') : html.index("</header>")]


def _page(client: Client, path: str = PAGE) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.content.decode()


def _fragment_keys() -> list[str]:
    return [k for k in cache._cache if "core:fragment:" in k]  # type: ignore[attr-defined]


def test_a_readers_header_is_cached_and_equals_a_fresh_one():
    client, user = _reader()
    first = _page(client)
    assert _fragment_keys(), "the header was not stored"
    second = _page(client)  # from the cache
    cache.clear()
    fresh = _page(client)
    tokens = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert tokens.sub("T", _header(second)) == tokens.sub("T", _header(fresh))
    assert tokens.sub("T", _header(first)) == tokens.sub("T", _header(fresh))
    assert user.username in _header(second) and "Log Out" in _header(second)
    assert fragments.CSRF_MARK not in second


def test_a_cached_header_carries_the_requests_own_token_and_logout_works():
    client, _ = _reader()
    _page(client)
    html = _page(client)  # header from the cache
    header_tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', _header(html))
    page_tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert header_tokens and set(header_tokens) <= set(page_tokens)
    assert len(set(page_tokens)) == 1  # one request, one token, header included
    strict = Client(enforce_csrf_checks=True)
    strict.cookies = client.cookies
    response = strict.post("/logout", {"csrfmiddlewaretoken": header_tokens[0]})
    assert response.status_code in (302, 303)
    after = _page(strict)
    assert "Log In" in _header(after) and "Log Out" not in _header(after)


def test_signing_out_shows_the_guest_header_at_once():
    client, user = _reader("fragsignout")
    assert "Log Out" in _header(_page(client))
    client.logout()
    html = _page(client)
    assert "Log In" in _header(html) and user.username not in _header(html)


def test_a_guests_header_is_drawn_each_time_with_its_own_address():
    guest = Client()
    first = _header(_page(guest, "/works?page=1"))
    second = _header(_page(guest, "/works/search"))
    assert "next=/works%3Fpage%3D1" in first and "next=/works/search" in second


def test_wrangler_rights_show_at_once():
    client, user = _reader("fragwrangler")
    assert "/tags/wrangle" not in _header(_page(client))
    user.is_wrangler = True
    user.save(update_fields=["is_wrangler"])
    assert "Wrangle" in _header(_page(client))
    user.is_wrangler = False
    user.save(update_fields=["is_wrangler"])
    assert "Wrangle" not in _header(_page(client))


def test_a_new_inbox_item_shows_at_once():
    client, user = _reader("fraginbox")
    assert "Inbox (0)" in _header(_page(client))
    work = make_work(user, title="Commented on")
    comment_create(actor=make_user("fragcommenter"), work=work, body="Lovely.")
    assert "Inbox (1)" in _header(_page(client))


def test_the_readers_language_shows_at_once():
    client, user = _reader("fraglanguage")
    html = _page(client)
    assert "Log Out" in _header(html) and '<html lang="en"' in html
    language_update(actor=user, user=user, language="fr")
    html = _page(client)
    assert '<html lang="fr"' in html and "Se déconnecter" in _header(html)
    assert 'value="fr" lang="fr" selected' in html  # the chooser, also cached
    language_update(actor=user, user=user, language="")
    assert "Log Out" in _header(_page(client))


def test_the_readers_site_skin_shows_at_once():
    client, user = _reader("fragskin")
    assert "skins/dark" not in _page(client)
    display_preferences_update(actor=user, user=user, site_skin="dark")
    assert "skins/dark" in _page(client)
    display_preferences_update(actor=user, user=user, site_skin="default")
    assert "skins/dark" not in _page(client)


def test_a_failing_cache_draws_the_fragments():
    client, user = _reader("fragdown")
    broken = mock.Mock()
    broken.get.side_effect = broken.set.side_effect = ConnectionError("cache down")
    with mock.patch.object(core_cache, "caches", {"default": broken}):
        html = _page(client)
    assert user.username in _header(html) and "Log Out" in _header(html)
    assert broken.get.called and broken.set.called


def test_the_key_holds_every_value_and_the_language():
    template = Template(
        '{% load fragments %}{% fragment_cache "t" a b %}{{ a }}-{{ b }}{% endfragment_cache %}'
    )
    assert template.render(Context({"a": 1, "b": "x"})) == "1-x"
    assert template.render(Context({"a": 2, "b": "x"})) == "2-x"
    assert template.render(Context({"a": 1, "b": "y"})) == "1-y"
    assert template.render(Context({"a": 1, "b": "x"})) == "1-x"
    signed = Template(
        '{% load fragments %}{% fragment_cache "s" signed_in %}{{ v }}{% endfragment_cache %}'
    )
    assert signed.render(Context({"v": "one"})) == "one"
    assert signed.render(Context({"v": "two"})) == "two"  # no user: never cached


def test_another_process_draws_its_own(monkeypatch):
    template = Template(
        '{% load fragments %}{% fragment_cache "p" %}{{ v }}{% endfragment_cache %}'
    )
    assert template.render(Context({"v": "old code"})) == "old code"
    assert template.render(Context({"v": "new code"})) == "old code"  # cached
    monkeypatch.setattr(fragments, "PROCESS_TOKEN", "after a deploy")
    assert template.render(Context({"v": "new code"})) == "new code"
