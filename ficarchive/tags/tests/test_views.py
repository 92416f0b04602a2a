"""Tag pages, works under a tag, the Atom feed, autocomplete and the wrangling pages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils.html import escape

from ficarchive.tags.models import Tag, tag_url_name
from ficarchive.tags.services import (
    tag_add_parent,
    tag_link_fandom,
    tag_make_canonical,
    tag_make_synonym,
    tag_rename,
)
from ficarchive.testing import make_work

from .factories import make_wrangler, tag

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def url(route: str, name: str) -> str:
    return reverse(route, args=[tag_url_name(name)])


def test_url_escaping_round_trips(client, author):
    """AO3's escapes (/ & . ? #) then percent-encoding reach the right tag."""
    name = "Buffy Summers/Spike & Dr. Who? #1"
    make_work(author, freeforms=[name])
    segment = quote(tag_url_name(name), safe="*")
    assert "/" not in segment and "*s*" in segment and "*a*" in segment and "*d*" in segment
    response = client.get(f"/tags/{segment}/works")
    assert response.status_code == 200
    assert escape(name) in response.content.decode()
    assert client.get("/tags/No*s*Such*d*Tag/works").status_code == 404


def test_tag_page_shows_synonyms_parents_and_subtags(client, author):
    """A canonical tag's page lists synonyms, metatags and subtags; a synonym's points to its canonical."""
    w = make_wrangler()
    meta = tag_make_canonical(
        actor=w, tag="Buffy the Vampire Slayer - All Media Types", kind="fandom"
    )
    sub = tag_make_canonical(actor=w, tag="Buffy the Vampire Slayer (TV)", kind="fandom")
    tag_add_parent(actor=w, child=sub, parent=meta)
    # In use on a posted work: a guest sees only tags on works they may list (or canonical).
    make_work(author, fandoms=["BtVS"])
    tag_make_synonym(actor=w, tag=tag("BtVS", "fandom"), canonical=sub)
    page = client.get(url("tags:show", sub.name)).content.decode()
    assert "BtVS" in page and "All Media Types" in page and "common tag" in page
    syn_page = client.get(url("tags:show", "BtVS")).content.decode()
    assert "synonym of" in syn_page and url("tags:works", sub.name) in syn_page
    assert client.get(url("tags:works", "BtVS"))["Location"] == url("tags:works", sub.name)


def test_works_page_lists_closure_for_the_viewer(client, author, user):
    """The works page lists works under the closure, paginated, through visible_to."""
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Hurt/Comfort")
    make_work(author, title="Open work", freeforms=["hurt & comfort"])
    make_work(author, title="Members only", freeforms=["Hurt/Comfort"], restricted=True)
    tag_make_synonym(actor=w, tag=tag("hurt & comfort"), canonical=canon)
    page = client.get(url("tags:works", canon.name)).content.decode()
    assert "Open work" in page and "Members only" not in page
    client.force_login(user)
    page = client.get(url("tags:works", canon.name)).content.decode()
    assert "Open work" in page and "Members only" in page and "of 2 Works" in page


def test_atom_feed_is_the_guests_view(client, author):
    """The feed is valid Atom: newest works under the tag, anonymous creators hidden, restricted left out."""
    make_work(author, title="Signed", freeforms=["Angst"])
    make_work(author, title="Secret author", freeforms=["Angst"], anonymous=True)
    make_work(author, title="Restricted", freeforms=["Angst"], restricted=True)
    response = client.get(url("tags:feed", "Angst"))
    assert response.status_code == 200 and response["Content-Type"].startswith(
        "application/atom+xml"
    )
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    assert root.tag == f"{ATOM}feed" and root.find(f"{ATOM}id") is not None
    entries = {e.find(f"{ATOM}title").text: e for e in root.findall(f"{ATOM}entry")}
    assert set(entries) == {"Signed", "Secret author"}
    assert entries["Secret author"].find(f"{ATOM}author/{ATOM}name").text == "Anonymous"
    assert entries["Signed"].find(f"{ATOM}author/{ATOM}name").text == "author"
    assert all(
        e.find(f"{ATOM}updated") is not None and e.find(f"{ATOM}link") is not None
        for e in entries.values()
    )


def test_autocomplete_ranks_canonical_then_use_and_fandom_first(client, author):
    """Autocomplete: prefix on the name, canonical before not, then by use; the chosen fandom's characters first."""
    w = make_wrangler()
    fandom = tag_make_canonical(actor=w, tag="Buffy the Vampire Slayer (TV)", kind="fandom")
    make_work(author, characters=["Buffy Anne", "Buffy Anne", "Bufo"])
    make_work(author, characters=["Buffy Anne"])
    canon = tag_make_canonical(actor=w, tag="Buffy Summers", kind="character")
    in_fandom = tag_make_canonical(actor=w, tag="Buffybot", kind="character")
    tag_link_fandom(actor=w, tag=in_fandom, fandom=fandom)
    tag("Buffy", "freeform")
    data = client.get("/tags/autocomplete", {"kind": "character", "term": "BUF"}).json()["results"]
    names = [r["name"] for r in data]
    assert names[:2] == [canon.name, in_fandom.name]  # canonical, equal use: by name
    assert names[2:] == ["Buffy Anne", "Bufo"]  # not canonical: by use (2, then 1)
    assert "Buffy" not in names  # a freeform, not a character
    data = client.get(
        "/tags/autocomplete", {"kind": "character", "term": "buf", "fandom": fandom.name}
    ).json()
    assert data["results"][0]["name"] == "Buffybot"
    assert client.get("/tags/autocomplete", {"term": ""}).json() == {"results": []}


def test_wrangling_pages_need_the_wrangler_role(client, user):
    """Readers get 403 on wrangling pages; wranglers get them."""
    client.force_login(user)
    assert client.get(reverse("tags:wrangle")).status_code == 403
    client.force_login(make_wrangler())
    assert client.get(reverse("tags:wrangle")).status_code == 200
    assert client.get(reverse("tags:wrangle_log")).status_code == 200


def test_unwrangled_bin_and_mass_synonym(client, author):
    """The fandom's bin shows tags used on its works; a mass action wrangles the chosen ones."""
    w = make_wrangler()
    fandom = tag_make_canonical(actor=w, tag="Buffy the Vampire Slayer (TV)", kind="fandom")
    make_work(author, fandoms=[fandom.name], characters=["Buffy S.", "Buffster", "Willow"])
    canon = tag_make_canonical(actor=w, tag="Buffy Summers", kind="character")
    client.force_login(w)
    bin_url = reverse("tags:wrangle_bin")
    page = client.get(bin_url, {"kind": "character", "fandom": fandom.name}).content.decode()
    assert "Buffster" in page and "Willow" in page and "Buffy Summers" not in page
    ids = [tag("Buffy S.", "character").pk, tag("Buffster", "character").pk]
    response = client.post(
        bin_url,
        {
            "kind": "character",
            "fandom": fandom.name,
            "tags": ids,
            "action": "synonym",
            "target": "buffy summers",
        },
        follow=True,
    )
    assert "2 tags wrangled" in response.content.decode()
    assert set(Tag.objects.filter(synonym_of=canon).values_list("name", flat=True)) == {
        "Buffy S.",
        "Buffster",
    }
    page = client.get(bin_url, {"kind": "character", "fandom": fandom.name}).content.decode()
    assert "Buffster" not in page and "Willow" in page
    refused = client.post(
        bin_url,
        {
            "kind": "character",
            "tags": [tag("Willow", "character").pk],
            "action": "synonym",
            "target": fandom.name,
        },
        follow=True,
    )
    assert "same kind" in refused.content.decode()


def test_edit_page_rename_and_split(client, db):
    """The edit page renames a tag and splits a synonym off, with the change in its history."""
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Fluf")
    client.force_login(w)
    response = client.post(
        url("tags:edit", "Fluf"), {"op": "rename", "value": "Fluff"}, follow=True
    )
    assert response.redirect_chain[-1][0] == url("tags:edit", "Fluff")
    syn = tag_make_synonym(actor=w, tag=tag("fluffy"), canonical=canon)
    page = client.post(
        url("tags:edit", syn.name), {"op": "split", "make_canonical": "1"}, follow=True
    ).content.decode()
    syn.refresh_from_db()
    assert syn.canonical and syn.synonym_of_id is None
    assert "split" in page and "Fluff" in client.get(url("tags:edit", "Fluff")).content.decode()


def test_works_page_queries_do_not_grow_with_works(client, author, django_assert_max_num_queries):
    """The works-under-a-tag page runs a fixed number of queries, however many works it lists."""
    w = make_wrangler()
    canon = tag_make_canonical(actor=w, tag="Angst")
    for i in range(3):
        make_work(author, title=f"Work {i}", freeforms=["Angst"], characters=[f"Someone {i}"])
    client.get(url("tags:works", canon.name))  # warm caches (content types, sessions)
    with django_assert_max_num_queries(15) as few:
        client.get(url("tags:works", canon.name))
    for i in range(3, 12):
        make_work(author, title=f"Work {i}", freeforms=["Angst"], characters=[f"Someone {i}"])
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("tags:works", canon.name))
    assert response.content.decode().count('class="work blurb group"') == 12


def test_autocomplete_matches_word_starts_inside_names(client, author):
    """ "spi" finds "Buffy Summers/Spike" by a later word; a rename moves the words along."""
    w = make_wrangler()
    rel = tag_make_canonical(actor=w, tag="Buffy Summers/Spike", kind="relationship")
    make_work(
        author, relationships=["Spike & Xander Harris"]
    )  # not canonical: offered while in use
    names = [
        r["name"]
        for r in client.get("/tags/autocomplete", {"kind": "relationship", "term": "spi"}).json()[
            "results"
        ]
    ]
    assert names == ["Buffy Summers/Spike", "Spike & Xander Harris"]  # canonical first
    tag_rename(actor=w, tag=rel, new_name="Buffy Summers/William the Bloody")
    names = [
        r["name"]
        for r in client.get("/tags/autocomplete", {"kind": "relationship", "term": "spi"}).json()[
            "results"
        ]
    ]
    assert names == ["Spike & Xander Harris"]
    names = [
        r["name"]
        for r in client.get("/tags/autocomplete", {"kind": "relationship", "term": "blood"}).json()[
            "results"
        ]
    ]
    assert names == ["Buffy Summers/William the Bloody"]
