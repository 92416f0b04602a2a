"""The filter sidebar's HTML is cached (``{% sidebar_cache %}``, issue 17) and never shows
what another key would: the cached form equals a freshly drawn one; another language,
other ticked boxes, a write (new generation) or another plan (a reader's mutes) give
another; the reader's own part (saved filters, CSRF token) is never shared.

These tests commit (``transaction=True``): the cache stores only what was read outside a
transaction."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from ficarchive.discovery.services import mute_add, saved_filter_create
from ficarchive.reading.services import history_record
from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import PASSWORD, make_user, make_work

pytestmark = [pytest.mark.django_db(transaction=True)]

FANDOM_A = "Sidebar Fandom Alpha"
FANDOM_B = "Sidebar Fandom Beta"


@pytest.fixture
def works():
    author = make_user("sidebarauthor")
    return [
        make_work(author, title="Alpha One", fandoms=[FANDOM_A], rating=Rating.GENERAL),
        make_work(author, title="Alpha Two", fandoms=[FANDOM_A], rating=Rating.TEEN),
        make_work(author, title="Beta One", fandoms=[FANDOM_B], rating=Rating.GENERAL),
    ]


def signed_in(name: str) -> tuple[Client, object]:
    user = make_user(name)
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client, user


def page(client: Client, path: str = "/works", **extra: str) -> str:
    response = client.get(path, **extra)
    assert response.status_code == 200
    return response.content.decode()


def form_of(html: str) -> str:
    """The cached part of the sidebar: the Filters toggle with its form."""
    start = html.index('<details class="filter-panel"')
    return html[start : html.index("</form>\n</details>", start) + len("</form>\n</details>")]


def tools_of(html: str) -> str:
    """The part drawn for each request: the link, "Save this filter", saved filters."""
    start = html.index('<section class="filter-tools"')
    return html[start : html.index("</section>", start)]


def sidebar_keys() -> list[str]:
    return [k for k in cache._cache if "sidebar:" in k]  # type: ignore[attr-defined]


def test_cached_sidebar_equals_a_freshly_drawn_one(works):
    """The second request takes the form from the cache, and it is the form drawn without
    any cache, for a guest and a signed-in reader, plain and with boxes ticked."""
    client, _ = signed_in("sidebarreader")
    paths = ["/works", f"/works?rating={Rating.GENERAL}&sort=title&dir=asc&complete=complete"]
    for path in paths:
        # Guests get whole cached pages; a session cookie makes them draw it (the sidebar
        # then comes from its own cache).
        for who in (client, Client(HTTP_COOKIE="sessionid=none")):
            first, second = form_of(page(who, path)), form_of(page(who, path))
            with override_settings(FICARCHIVE_CACHE_PAGES=False):
                fresh = form_of(page(who, path))
            assert first == second == fresh
    assert sidebar_keys()


def test_served_from_the_cache():
    """What is stored under the key is what the next request shows (the cache is used)."""
    make_work(make_user("sidebarauthor2"), fandoms=[FANDOM_A])
    client, _ = signed_in("sidebarreader")
    page(client)
    [key] = sidebar_keys()
    stored = cache.get(key.split(":", 2)[2])
    cache.set(key.split(":", 2)[2], "<p>planted sidebar</p>")
    assert "<p>planted sidebar</p>" in page(client)
    assert "<p>planted sidebar</p>" not in stored


def test_ticked_boxes_language_and_generation_give_another_sidebar(works):
    """Each of: other ticked boxes, another interface language, a write that changes the
    facets (a new generation) draws a sidebar of its own, showing that change."""
    client, _ = signed_in("sidebarreader")
    plain = form_of(page(client))
    assert f"{FANDOM_A} (2)" in plain and " checked>" not in plain.split("More Options")[0]
    ticked = form_of(page(client, f"/works?rating={Rating.GENERAL}"))
    assert re.search(r'value="General Audiences" checked>', ticked)
    client.cookies["ficarchive_language"] = "fr"
    french = form_of(page(client))
    assert "Filtres" in french and "Filters" not in french
    del client.cookies["ficarchive_language"]
    english = form_of(page(client))
    assert english == plain and "Filters" in english
    make_work(make_user("sidebarauthor3"), title="Alpha Three", fandoms=[FANDOM_A])
    after = form_of(page(client))
    assert f"{FANDOM_A} (3)" in after and f"{FANDOM_A} (2)" not in after
    assert len(sidebar_keys()) == 4


def test_muted_reader_never_gets_the_guest_or_plain_readers_sidebar(works):
    """A reader who muted a fandom has facets without it; neither the guest's nor another
    reader's cached sidebar is shown to them, nor theirs to others."""
    guest = Client(HTTP_COOKIE="sessionid=none")
    assert FANDOM_B in form_of(page(guest))
    plain, _ = signed_in("plainreader")
    assert FANDOM_B in form_of(page(plain))
    muted, muter = signed_in("mutingreader")
    mute_add(actor=muter, kind="tag", value=FANDOM_B)
    muted_form = form_of(page(muted))
    assert FANDOM_B not in muted_form and f"{FANDOM_A} (2)" in muted_form
    assert FANDOM_B in form_of(page(plain)) and FANDOM_B in form_of(page(guest))


def test_read_state_filters_are_each_readers_own(works):
    """ "Hide works I have read" counts each reader's own reading: the same ticked box
    gives two readers different facets, each drawn from their own plan."""
    keen, keen_user = signed_in("keenreader")
    other, _ = signed_in("otherreader")
    history_record(user=keen_user, work=works[2], chapter=None)
    keen_form = form_of(page(keen, "/works?hide=read"))
    other_form = form_of(page(other, "/works?hide=read"))
    assert FANDOM_B not in keen_form and FANDOM_B in other_form
    assert 'id="hide-read" name="hide" value="read" checked' in keen_form


def test_readers_own_part_is_never_shared(works):
    """Two plain readers share the cached form, but each sees their own saved filters and
    their own CSRF token; a guest's form has no "Your Reading"."""
    first, first_user = signed_in("firstreader")
    second, second_user = signed_in("secondreader")
    saved_filter_create(actor=first_user, name="First's own filter", path="/works", params={})
    saved_filter_create(actor=second_user, name="Second's own filter", path="/works", params={})
    one, two = page(first), page(second)
    assert form_of(one) == form_of(two) and len(sidebar_keys()) == 1
    assert "First&#x27;s own filter" in tools_of(one) and "Second" not in tools_of(one)
    assert "Second&#x27;s own filter" in tools_of(two) and "First" not in tools_of(two)
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    assert token.search(tools_of(one)).group(1) != token.search(tools_of(two)).group(1)
    assert "csrfmiddlewaretoken" not in form_of(one)
    guest_form = form_of(page(Client(HTTP_COOKIE="sessionid=none")))
    assert "Your Reading" in form_of(one) and "Your Reading" not in guest_form


def test_key_parts(works):
    """Signed in or not, the form's address and the template's text each change the key
    (guests and readers differ in plan too; this holds even where they would not); a
    context not drawn from one result is not cached at all."""
    from django.contrib.auth.models import AnonymousUser
    from django.template import Context

    from ficarchive.discovery.search import search_works
    from ficarchive.discovery.sorts import SORTS
    from ficarchive.discovery.templatetags.discovery_filters import sidebar_key_for

    reader = make_user("keyreader")
    result = search_works(None, {})
    assert result.facets_key

    def key(user=reader, action="/works", source="a", **changes):
        values = {"filters": result, "params": result.params, "sorts": SORTS, "user": user}
        values.update(filter_action=action, **changes)
        return sidebar_key_for(Context(values), source)

    base = key()
    assert base and base == key()
    assert key(user=AnonymousUser()) != base
    assert key(action="/tags/X/works") != base
    assert key(source="b") != base
    assert key(params=result.params.with_value("rating", Rating.GENERAL)) == ""
    assert key(sorts=dict(SORTS)) == ""
    with override_settings(FICARCHIVE_CACHE_PAGES=False):
        assert search_works(None, {}).facets_key == ""
