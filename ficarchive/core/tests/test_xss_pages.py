"""User text full of XSS vectors, put in through the services, comes out inert on every
page, feed and export that shows it."""

from __future__ import annotations

import re
from urllib.parse import quote

import lxml.etree
import pytest

from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import make_user, make_work

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
    comment_create(
        actor=None,
        work=work,
        body=f"Guest {PAYLOAD}",
        guest_name=f"Guest {TAG_PAYLOAD}",
        guest_email="g@example.org",
    ) if work.comment_permission == "all" else None
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
            assert not problems(page, allow_scripts_from="/static/"), (
                url,
                problems(page, allow_scripts_from="/static/"),
            )
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


HTML_FIELDS = {"summary", "notes", "end_notes", "body"}


def _html_fields(data, found=None):
    """Every value of a field the API documents as sanitized HTML, however deep."""
    found = [] if found is None else found
    if isinstance(data, dict):
        for key, value in data.items():
            if key in HTML_FIELDS and isinstance(value, str):
                found.append(value)
            else:
                _html_fields(value, found)
    elif isinstance(data, list):
        for value in data:
            _html_fields(value, found)
    return found


@pytest.mark.django_db
def test_downloads_carry_no_script(client, poisoned):
    """The HTML download and every document inside the EPUB are inert (e-readers run
    scripts in EPUB 3)."""
    import io
    import zipfile

    _, _, work = poisoned
    html = client.get(f"/downloads/{work.pk}/{work.slug}.html")
    assert html.status_code == 200
    page = b"".join(html.streaming_content).decode() if html.streaming else html.content.decode()
    whole = {
        "allow_scripts_from": "\0 no script is ours"
    }  # a whole document: head allowed, scripts never
    assert "Body" in page and not problems(page, **whole), problems(page, **whole)
    epub = client.get(f"/downloads/{work.pk}/{work.slug}.epub")
    assert epub.status_code == 200
    raw = b"".join(epub.streaming_content) if epub.streaming else epub.content
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        documents = [n for n in zf.namelist() if n.endswith((".xhtml", ".html"))]
        assert documents
        for name in documents:
            text = re.sub(r"^<\?xml[^>]*\?>", "", zf.read(name).decode())
            assert not problems(text, **whole), (name, problems(text, **whole))
            assert not _xml_text_problems(zf.read(name)), name


@pytest.mark.django_db
def test_api_html_fields_are_sanitized(client, poisoned):
    """What the API hands out as HTML (summary, notes, chapter and comment bodies) is the
    same inert, sanitized HTML the pages show; titles and names are plain text fields."""
    _, reader, work = poisoned
    client.force_login(reader)
    seen = []
    first_chapter = work.chapters.order_by("position").first()
    for url in (
        f"/api/v1/works/{work.pk}",
        f"/api/v1/works/{work.pk}/chapters",
        f"/api/v1/works/{work.pk}/chapters/{first_chapter.pk}",
        f"/api/v1/works/{work.pk}/comments",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        for fragment in _html_fields(response.json()):
            assert not problems(fragment), (url, problems(fragment))
            seen.append(fragment)
    assert any("Summary" in f for f in seen) and any("Body" in f for f in seen)
