"""User text full of XSS vectors, put in through the services, comes out inert on every
page, feed and export that shows it."""

from __future__ import annotations

from urllib.parse import quote

import lxml.etree
import pytest

from ficarchive.core.testing import make_user, make_work
from ficarchive.tags.vocabulary import Rating

from .xsscheck import problems

PAYLOAD = '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a><svg onload=alert(3)>'
TAG_PAYLOAD = """Say "hi" & 'bye' javascript:alert(6) &#x27; &lt;b&gt;"""


@pytest.fixture
def poisoned(db):
    from ficarchive.accounts.services import profile_update
    from ficarchive.feedback.services import bookmark_save, comment_create, kudos_give

    author = make_user("mallory")
    reader = make_user("reader")
    profile_update(actor=author, user=author, profile=PAYLOAD)
    work = make_work(
        author,
        title=f"Title {PAYLOAD}",
        chapters=[f"Body {PAYLOAD}", f"Second {PAYLOAD}"],
        rating=Rating.GENERAL,
        summary=f"Summary {PAYLOAD}",
        notes=f"Notes {PAYLOAD}",
        end_notes=f"End {PAYLOAD}",
        freeforms=[f"Free {TAG_PAYLOAD}"],
        characters=[f"Char {TAG_PAYLOAD}"],
    )
    comment_create(actor=reader, work=work, body=f"Comment {PAYLOAD}")
    comment_create(actor=None, work=work, body=f"Guest {PAYLOAD}", guest_name=f"Guest {TAG_PAYLOAD}", guest_email="g@example.org") if work.comment_permission == "all" else None
    kudos_give(actor=reader, work=work)
    bookmark_save(actor=reader, work=work, notes=f"Bookmark {PAYLOAD}", tags=[f"Bm {TAG_PAYLOAD}"])
    return author, reader, work


def _pages(work):
    chapters = list(work.chapters.order_by("position"))
    return [
        "/",
        f"/works/{work.pk}",
        f"/works/{work.pk}?view_full_work=true",
        f"/works/{work.pk}/chapters/{chapters[1].pk}",
        "/works",
        "/works/search?q=Title",
        "/users/mallory",
        "/users/mallory/works",
        "/users/reader/bookmarks",
        _tag_url(work, "/works"),
    ]


def _tag_url(work, suffix):
    from ficarchive.tags.models import tag_url_name

    name = next(t.name for t in work.tags.all() if t.name.startswith("Free "))
    return "/tags/" + quote(tag_url_name(name), safe="") + suffix


@pytest.mark.django_db
def test_pages_showing_user_text_run_no_script(client, poisoned):
    """Work, chapter, full work, listings, search, profile, bookmarks and tag pages: no
    inline script, no handler, no script URL, whoever looks."""
    author, reader, work = poisoned
    checked = 0
    for who in (None, reader, author):
        client.logout()
        if who is not None:
            client.force_login(who)
        for url in _pages(work):
            response = client.get(url)
            # Tag pages answer only for canonical tags; a 404 shows nothing to check.
            if response.status_code == 404 and url.startswith("/tags/"):
                continue
            assert response.status_code == 200, (url, response.status_code)
            page = response.content.decode()
            assert not problems(page, allow_scripts_from="/static/"), (url, problems(page, allow_scripts_from="/static/"))
            assert '<script>alert("x")' not in page
            checked += 1
    assert checked >= 20


def _xml_text_problems(body: bytes) -> list[str]:
    root = lxml.etree.fromstring(body)
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        local = el.tag.rsplit("}", 1)[-1].lower()
        if local in {"script", "iframe", "object", "embed"}:
            found.append(f"element {local}")
        for name, value in el.attrib.items():
            if name.rsplit("}", 1)[-1].lower().startswith("on"):
                found.append(f"handler {name}")
            if value.strip().lower().startswith(("javascript:", "data:text", "vbscript:")):
                found.append(f"{name}={value}")
        # Escaped HTML carried as text (Atom type="html") is rendered by readers: it must itself
        # be inert. Plain-text elements (type="text", the default) are shown as text.
        if el.get("type") == "html" and el.text:
            found += problems(el.text)
    return found


@pytest.mark.django_db
def test_feeds_and_opds_carry_no_script(client, poisoned):
    """OPDS catalogs and the tag feed carry user text inert, escaped or sanitized."""
    _, _, work = poisoned
    urls = ["/opds", "/opds/new", "/opds/search?q=Title", "/opds/tags", "/opds/fandoms"]
    urls.append(_tag_url(work, "/feed.atom"))
    seen = 0
    for url in urls:
        response = client.get(url)
        if response.status_code == 404:
            continue
        assert response.status_code == 200, url
        assert not _xml_text_problems(response.content), (url, _xml_text_problems(response.content))
        seen += 1
    assert seen >= 3
