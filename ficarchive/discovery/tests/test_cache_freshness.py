"""Cached guest pages and facets are never stale: after each kind of write (edit, new
chapter, wrangling, kudos, visibility, deletion) the next request shows it; a failing cache
only makes pages slower. Runs on SQLite and, under scripts/with-postgres.sh, PostgreSQL.

These tests commit (``transaction=True``): the cache stores only what was read outside a
transaction, so inside a test's rolled-back transaction nothing would be cached."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache.backends.base import BaseCache
from django.test import Client

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.cache import CACHE_HEADER, generation
from ficarchive.discovery.search import search_works
from ficarchive.feedback.services import kudos_give
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_add_parent, tag_make_canonical, tag_rename
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    work_delete,
    work_hide,
    work_post,
    work_update,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def admin():
    return make_user("root", is_staff=True, is_superuser=True)


def guest_get(path: str) -> tuple[str, str]:
    """(body, cache header) of a guest's GET."""
    response = Client().get(path)
    assert response.status_code == 200
    return response.content.decode(), response.headers.get(CACHE_HEADER, "")


def warm(path: str) -> str:
    """Fetch twice; the second answer must come from the cache (so a later fresh answer
    proves the write moved the page to a new key, not that nothing was cached)."""
    guest_get(path)
    body, header = guest_get(path)
    assert header == "hit"
    return body


def meta(**changes) -> WorkMeta:
    base = {
        "title": "Orchard",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Orchards"],
        "freeforms": ["Apples"],
    }
    return WorkMeta(**{**base, **changes})


def test_guest_listing_is_served_from_cache(alice):
    """A guest's second request of the same listing is a hit and shows the same works."""
    make_work(alice, title="Cached Orchard", fandoms=["Orchards"])
    first, header = guest_get("/works")
    assert header == "miss" and "Cached Orchard" in first
    second, header = guest_get("/works")
    assert header == "hit" and second == first


def test_edit_shows_at_once(alice):
    """A title edit is on the next guest page of /works, a tag's works and a search."""
    work = make_work(alice, title="Orchard", fandoms=["Orchards"], freeforms=["Apples"])
    for path in ("/works", "/tags/Orchards/works", "/works/search?q=orchard"):
        assert "Orchard" in warm(path)
    work_update(actor=alice, work=work, meta=meta(title="Silver Pears Orchard"))
    for path in ("/works", "/tags/Orchards/works", "/works/search?q=orchard"):
        body, header = guest_get(path)
        assert "Silver Pears Orchard" in body and header == "miss"


def test_new_chapter_shows_at_once(alice):
    """A new chapter changes the blurb's chapter count on the next page."""
    work = make_work(alice, title="Orchard", fandoms=["Orchards"])
    assert '<dd class="chapters">1/1</dd>' in warm("/works")
    chapter_add(actor=alice, work=work, chapter=ChapterInput(body="More apples."))
    assert '<dd class="chapters">2/2</dd>' in guest_get("/works")[0]


def test_wrangling_shows_at_once(alice):
    """A new parent tag brings the work onto the parent's page (no change notice: the
    wrangling stamp is in the key), and a rename shows on the listing."""
    make_work(alice, title="Orchard", fandoms=["Orchards"], freeforms=["Apples"])
    parent = tag_make_canonical(actor=OPERATOR, tag="Fruit", kind="freeform")
    assert "Orchard" not in warm("/tags/Fruit/works")
    apples = tag_make_canonical(actor=OPERATOR, tag="Apples")
    tag_add_parent(actor=OPERATOR, child=apples, parent=parent)
    assert "Orchard" in guest_get("/tags/Fruit/works")[0]
    assert "Apples" in warm("/works")
    tag_rename(actor=OPERATOR, tag=Tag.objects.get(name="Apples"), new_name="Green Apples")
    assert "Green Apples" in guest_get("/works")[0]


def test_kudos_show_at_once(alice):
    """Kudos change the blurb's count and a kudos sort on the next page."""
    work = make_work(alice, title="Orchard", fandoms=["Orchards"])
    make_work(alice, title="Older Grove", fandoms=["Orchards"])
    before = warm("/works?sort=kudos")
    kudos_give(actor=AnonymousUser(), work=Work.objects.get(pk=work.pk), guest_address="10.0.0.9")
    after, header = guest_get("/works?sort=kudos")
    assert header == "miss"
    assert before.index("Older Grove") < before.index(">Orchard<")
    assert after.index(">Orchard<") < after.index("Older Grove")
    assert '<dd class="kudos">1</dd>' in after and '<dd class="kudos">1</dd>' not in before


def test_visibility_changes_show_at_once(alice, admin):
    """Restricting, hiding and deleting take a work off the guest's listing at once;
    posting a draft puts it on."""
    work = make_work(alice, title="Orchard", fandoms=["Orchards"])
    draft = make_work(alice, title="Drafty Grove", fandoms=["Orchards"], draft=True)
    body = warm("/works")
    assert "Orchard" in body and "Drafty Grove" not in body
    work_update(actor=alice, work=work, meta=meta(restricted=True))
    assert ">Orchard<" not in guest_get("/works")[0]
    work_update(actor=alice, work=Work.objects.get(pk=work.pk), meta=meta())
    assert "Orchard" in warm("/works")
    work_hide(actor=admin, work=Work.objects.get(pk=work.pk), hidden=True)
    assert ">Orchard<" not in guest_get("/works")[0]
    work_hide(actor=admin, work=Work.objects.get(pk=work.pk), hidden=False)
    assert "Orchard" in warm("/works")
    work_post(actor=alice, work=draft)
    assert "Drafty Grove" in guest_get("/works")[0]
    assert "Orchard" in warm("/works")
    work_delete(actor=alice, work=Work.objects.get(pk=work.pk))
    assert ">Orchard<" not in guest_get("/works")[0]


def test_facets_follow_writes(alice):
    """Facet counts are cached per plan and generation: a new work under a tag raises its
    count on the next listing."""
    make_work(alice, title="One", fandoms=["Orchards"], freeforms=["Apples"])

    def apples_count() -> int:
        facets = search_works(AnonymousUser(), {}).facets
        entries = [e for f in facets for e in f.entries if e.name == "Apples"]
        return entries[0].count if entries else 0

    assert apples_count() == 1
    assert apples_count() == 1  # now from the cache
    make_work(alice, title="Two", fandoms=["Orchards"], freeforms=["Apples"])
    assert apples_count() == 2


def test_signed_in_pages_are_not_cached(alice):
    """A signed-in reader's page is never served from or stored in the page cache."""
    make_work(alice, title="Orchard", fandoms=["Orchards"])
    client = Client()
    client.force_login(make_user("reader"))
    for _ in range(2):
        response = client.get("/works")
        assert response.status_code == 200 and CACHE_HEADER not in response.headers
        assert "reader" in response.content.decode()


class BrokenCache(BaseCache):
    """A cache server that is down: every call raises, as redis-py does."""

    def __init__(self, location, params):
        super().__init__(params)

    def get(self, key, default=None, version=None):
        raise ConnectionError("cache down")

    def set(self, key, value, timeout=None, version=None):
        raise ConnectionError("cache down")

    def delete(self, key, version=None):
        raise ConnectionError("cache down")

    def clear(self):
        pass


def test_cache_down_pages_still_correct(alice, settings):
    """With the cache failing on every call, listings are still served, and fresh."""
    settings.CACHES = {"default": {"BACKEND": f"{__name__}.BrokenCache"}}
    work = make_work(alice, title="Orchard", fandoms=["Orchards"])
    assert "Orchard" in guest_get("/works")[0]
    work_update(actor=alice, work=work, meta=meta(title="Pear Grove"))
    body, header = guest_get("/works")
    assert "Pear Grove" in body and header != "hit"


def test_generation_moves_on_every_notice(alice):
    """Every write through core.changes moves the generation (what keys hold)."""
    work = make_work(alice, title="Orchard", fandoms=["Orchards"])
    before = generation()
    kudos_give(actor=AnonymousUser(), work=work, guest_address="10.0.0.1")
    after_kudos = generation()
    chapter_add(actor=alice, work=work, chapter=ChapterInput(body="More."))
    assert len({before, after_kudos, generation()}) == 3


def test_redis_down_pages_still_served(alice, settings):
    """REDIS_URL's backend with no Redis listening: guest and signed-in pages (sessions
    through the cache, tag closures, inbox counts) are served and fresh."""
    settings.CACHES = {
        "default": {
            "BACKEND": "ficarchive.core.cache_backend.FailSoftRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # the discard port: nothing listens
        }
    }
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    work = make_work(alice, title="Orchard", fandoms=["Orchards"], freeforms=["Apples"])
    tag_add_parent(
        actor=OPERATOR,
        child=tag_make_canonical(actor=OPERATOR, tag="Apples"),
        parent=tag_make_canonical(actor=OPERATOR, tag="Fruit", kind="freeform"),
    )
    assert ">Orchard<" in guest_get("/tags/Fruit/works")[0]
    reader = Client()
    reader.force_login(make_user("reader"))
    work_update(actor=alice, work=work, meta=meta(title="Pear Grove"))
    response = reader.get("/works")
    assert response.status_code == 200 and "Pear Grove" in response.content.decode()
    assert "Pear Grove" in guest_get("/works")[0]


def blurb_renders(client: Client, path: str) -> tuple[int, str]:
    """(how many blurbs were drawn from the template, the page) for one GET."""
    from django.test.signals import template_rendered

    drawn: list[str] = []

    def seen(sender, template, **kwargs):
        if template.name == "works/_blurb.html":
            drawn.append(template.name)

    template_rendered.connect(seen)
    try:
        response = client.get(path)
    finally:
        template_rendered.disconnect(seen)
    assert response.status_code == 200
    return len(drawn), response.content.decode()


def test_blurbs_cached_per_version_for_signed_in_readers(alice):
    """A reader's second listing draws no blurb; a write redraws only the works it
    changed (kudos, edit, new chapter), and the page shows the change."""
    one = make_work(alice, title="Orchard", fandoms=["Orchards"])
    make_work(alice, title="Grove", fandoms=["Orchards"])
    reader = Client()
    reader.force_login(make_user("reader"))
    assert blurb_renders(reader, "/works")[0] == 2
    assert blurb_renders(reader, "/works")[0] == 0
    kudos_give(actor=AnonymousUser(), work=Work.objects.get(pk=one.pk), guest_address="10.1.1.1")
    drawn, page = blurb_renders(reader, "/works")
    assert drawn == 1 and '<dd class="kudos">1</dd>' in page
    work_update(actor=alice, work=Work.objects.get(pk=one.pk), meta=meta(title="Pear Orchard"))
    drawn, page = blurb_renders(reader, "/works")
    assert drawn == 1 and "Pear Orchard" in page
    chapter_add(actor=alice, work=Work.objects.get(pk=one.pk), chapter=ChapterInput(body="x"))
    assert '<dd class="chapters">2/2</dd>' in blurb_renders(reader, "/works")[1]


def test_blurb_viewer_classes_keep_anonymity(alice, admin):
    """An anonymous work's blurb cached for readers never shows its creator; admins and
    the creator, asking after, see the name."""
    make_work(alice, title="Secret Orchard", fandoms=["Orchards"], anonymous=True)
    reader = Client()
    reader.force_login(make_user("reader"))
    for _ in range(2):
        page = blurb_renders(reader, "/works")[1]
        assert "Anonymous" in page and 'href="/users/alice' not in page
    for who in (admin, alice):
        client = Client()
        client.force_login(who)
        assert 'href="/users/alice' in blurb_renders(client, "/works")[1]
    assert 'href="/users/alice' not in guest_get("/works")[0]


def test_redis_down_is_one_warning_line_not_a_traceback_per_call(caplog, monkeypatch):
    """With Redis down every cache call fails; the log says so in one line a minute, not a
    traceback for each call (which filled `ficarchive tag ... --json`'s stderr)."""
    from ficarchive.core import cache_backend

    monkeypatch.setattr(cache_backend, "_last_warning", [float("-inf")])
    down = cache_backend.FailSoftRedisCache("redis://127.0.0.1:9/0", {})
    with caplog.at_level("WARNING", logger="ficarchive.core.cache_backend"):
        assert down.get("a") is None and down.get_many(["a", "b"]) == {}
        down.set("a", 1)
    warnings = [r for r in caplog.records if r.levelname == "WARNING"]
    assert len(warnings) == 1 and warnings[0].exc_info is None
    assert "cache get failed (" in warnings[0].getMessage()
