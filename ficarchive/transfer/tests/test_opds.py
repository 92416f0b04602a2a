"""The OPDS 1.2 catalog: feed structure, acquisition links, visibility and HTTP Basic login."""

from __future__ import annotations

import base64

import pytest
from lxml import etree

from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.transfer.opds import ACQUISITION, NAVIGATION

feedparser = pytest.importorskip("feedparser")

NS = {
    "a": "http://www.w3.org/2005/Atom",
    "dc": "http://purl.org/dc/terms/",
    "os": "http://a9.com/-/spec/opensearch/1.1/",
}
MIMES = {
    "application/epub+zip",
    "application/x-mobipocket-ebook",
    "application/vnd.amazon.ebook",
    "application/pdf",
    "text/html",
}


def _basic(username: str, password: str = PASSWORD) -> dict[str, str]:
    token = base64.b64encode(f"{username}:{password}".encode()).decode()
    return {"HTTP_AUTHORIZATION": f"Basic {token}"}


def _feed(response) -> etree._Element:
    """Parse a feed and check the Atom essentials every OPDS feed must have."""
    root = etree.fromstring(response.content)
    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    for child in ("a:id", "a:title", "a:updated"):
        assert root.find(child, NS) is not None, child
    assert root.find("a:link[@rel='self']", NS) is not None
    assert root.find("a:link[@rel='start']", NS) is not None
    for entry in root.findall("a:entry", NS):
        for child in ("a:id", "a:title", "a:updated", "a:link"):
            assert entry.find(child, NS) is not None, child
    return root


def _titles(root) -> list[str]:
    return [e.findtext("a:title", namespaces=NS) for e in root.findall("a:entry", NS)]


def test_root_is_a_navigation_feed(client, db):
    """/opds is a navigation feed linking newest works, fandoms, tags and search."""
    response = client.get("/opds")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(NAVIGATION)
    root = _feed(response)
    links = {
        e.findtext("a:title", namespaces=NS): e.find("a:link", NS)
        for e in root.findall("a:entry", NS)
    }
    assert links["New works"].get("type") == ACQUISITION
    assert links["New works"].get("href").endswith("/opds/new")
    assert links["Fandoms"].get("type") == NAVIGATION
    assert "My bookmarks" not in links
    search = root.find("a:link[@rel='search']", NS)
    assert search.get("type") == "application/opensearchdescription+xml"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo and len(parsed.entries) == len(links)


def test_new_works_entries_have_acquisition_links(client, author):
    """Each work entry has title, author, language, tags and an acquisition link per download format."""
    work = make_work(author, title="Fog and Fire", summary="A summary.", freeforms=["Fluff"])
    response = client.get("/opds/new")
    assert response["Content-Type"].startswith(ACQUISITION)
    root = _feed(response)
    entry = root.find("a:entry", NS)
    assert entry.findtext("a:title", namespaces=NS) == "Fog and Fire"
    assert entry.findtext("a:author/a:name", namespaces=NS) == "author"
    assert entry.findtext("dc:language", namespaces=NS) == "en"
    assert "Fluff" in [c.get("term") for c in entry.findall("a:category", NS)]
    acquisitions = entry.findall("a:link[@rel='http://opds-spec.org/acquisition']", NS)
    assert {link.get("type") for link in acquisitions} == MIMES
    epub = next(link for link in acquisitions if link.get("type") == "application/epub+zip")
    assert epub.get("href") == f"http://testserver/downloads/{work.pk}/{work.slug}.epub"
    assert client.get(epub.get("href")).status_code == 200
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo
    assert parsed.entries[0].title == "Fog and Fire"
    assert parsed.entries[0].author == "author"
    assert (
        len(
            [
                link
                for link in parsed.entries[0].links
                if link.rel == "http://opds-spec.org/acquisition"
            ]
        )
        == 5
    )


def test_anonymous_work_entry_hides_creator(client, db):
    """An anonymous work's entry names its author Anonymous and never the creator."""
    writer = make_user("zelda_quill")
    make_work(writer, anonymous=True)
    response = client.get("/opds/new")
    assert b"zelda_quill" not in response.content
    assert _feed(response).findtext("a:entry/a:author/a:name", namespaces=NS) == "Anonymous"


def test_restricted_works_need_authentication(client, author):
    """Restricted works are missing for guests and listed with HTTP Basic credentials; bad ones get 401."""
    make_work(author, title="Open Work")
    make_work(author, title="Members Only", restricted=True)
    make_user("member")
    assert _titles(_feed(client.get("/opds/new"))) == ["Open Work"]
    assert set(_titles(_feed(client.get("/opds/new", **_basic("member"))))) == {
        "Open Work",
        "Members Only",
    }
    wrong = client.get("/opds/new", **_basic("member", "nope"))
    assert wrong.status_code == 401 and wrong["WWW-Authenticate"].startswith("Basic")


def test_login_challenge_and_session(client, db):
    """/opds?auth=1 challenges a guest with 401 + WWW-Authenticate; a logged-in session sees bookmarks."""
    challenge = client.get("/opds?auth=1")
    assert challenge.status_code == 401 and "Basic" in challenge["WWW-Authenticate"]
    assert client.get("/opds/bookmarks").status_code == 401
    make_user("member")
    client.login(username="member", password=PASSWORD)
    assert client.get("/opds?auth=1").status_code == 200
    assert "My bookmarks" in _titles(_feed(client.get("/opds")))


def test_bookmarks_feed(client, author):
    """The bookmarks feed lists the user's bookmarked works."""
    from ficarchive.feedback.models import Bookmark

    reader = make_user("member")
    liked = make_work(author, title="Liked")
    make_work(author, title="Not Liked")
    Bookmark.objects.create(user=reader, pseud=reader.default_pseud(), work=liked)
    assert _titles(_feed(client.get("/opds/bookmarks", **_basic("member")))) == ["Liked"]


def test_fandoms_navigation_and_fandom_feed(client, author):
    """Fandoms are listed as navigation entries leading to that fandom's works."""
    make_work(author, title="Holmes Story", fandoms=["Sherlock Holmes - Arthur Conan Doyle"])
    make_work(author, title="Fairy Tale", fandoms=["Grimm's Fairy Tales"])
    root = _feed(client.get("/opds/fandoms"))
    entries = {
        e.findtext("a:title", namespaces=NS): e.find("a:link", NS).get("href")
        for e in root.findall("a:entry", NS)
    }
    assert set(entries) == {"Sherlock Holmes - Arthur Conan Doyle", "Grimm's Fairy Tales"}
    href = entries["Sherlock Holmes - Arthur Conan Doyle"]
    assert _titles(_feed(client.get(href))) == ["Holmes Story"]
    assert client.get("/opds/fandoms/No Such Fandom").status_code == 404


def test_tag_feed_includes_synonyms(client, author):
    """A tag's feed includes works tagged with its synonyms (AO3 escaping in the address)."""
    from ficarchive.tags.models import Tag

    make_work(author, title="Canon", freeforms=["Hurt/Comfort"])
    make_work(author, title="Synonym", freeforms=["h/c"])
    canonical = Tag.objects.get(name="Hurt/Comfort")
    Tag.objects.filter(name="h/c").update(synonym_of=canonical)
    root = _feed(client.get("/opds/tags/Hurt*s*Comfort"))
    assert set(_titles(root)) == {"Canon", "Synonym"}


def test_search_and_opensearch_description(client, author):
    """The OpenSearch document points at /opds/search, which finds works by title words."""
    make_work(author, title="The Red-Headed League")
    make_work(author, title="A Scandal in Bohemia")
    description = etree.fromstring(client.get("/opds/opensearch.xml").content)
    url = description.find(f"{{http://a9.com/-/spec/opensearch/1.1/}}Url[@type='{ACQUISITION}']")
    assert "{searchTerms}" in url.get("template")
    found = client.get(
        url.get("template").replace("{searchTerms}", "scandal").replace("&page={startPage?}", "")
    )
    assert _titles(_feed(found)) == ["A Scandal in Bohemia"]
    assert _titles(_feed(client.get("/opds/search?q="))) == []


def test_pagination_links(client, author, monkeypatch):
    """Long feeds are paged with next/previous links carrying ?page=."""
    from ficarchive.transfer import opds

    monkeypatch.setattr(opds, "PAGE_SIZE", 2)
    for i in range(5):
        make_work(author, title=f"Work {i}")
    first = _feed(client.get("/opds/new"))
    assert len(first.findall("a:entry", NS)) == 2
    next_href = first.find("a:link[@rel='next']", NS).get("href")
    assert next_href.endswith("/opds/new?page=2")
    second = _feed(client.get(next_href))
    assert second.find("a:link[@rel='previous']", NS).get("href").endswith("/opds/new")
    assert set(_titles(first)).isdisjoint(_titles(second))
    assert first.findtext("os:totalResults", namespaces=NS) == "5"


def test_api_token_authenticates(client, author):
    """An API token works as a Bearer token, or as the password of HTTP Basic."""
    from ficarchive.accounts import tokens as api

    make_work(author, title="Members Only", restricted=True)
    reader = make_user("member")
    _token, raw = api.token_create(actor=reader, name="e-reader")
    bearer = client.get("/opds/new", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert _titles(_feed(bearer)) == ["Members Only"]
    assert _titles(_feed(client.get("/opds/new", **_basic("member", raw)))) == ["Members Only"]
    assert client.get("/opds/new", HTTP_AUTHORIZATION="Bearer fa_wrong").status_code == 401


def test_feeds_offer_an_atom_search_template(client):
    """Beside the OpenSearch description, every feed has an Atom search link whose
    template carries {searchTerms} (the form several e-reader apps only read)."""
    root = etree.fromstring(client.get("/opds").content)
    links = root.findall("a:link[@rel='search']", NS)
    atom = [link for link in links if link.get("type", "").startswith("application/atom+xml")]
    assert len(atom) == 1
    assert atom[0].get("href").endswith("/opds/search?q={searchTerms}")
