"""Tags follow the access rule: a tag seen only on works the viewer may not list (drafts,
hidden works, restricted ones for guests) or only on private bookmarks is not named to them
anywhere (autocomplete on the web and in the API, tag pages, related tags, the tag feed,
OPDS), and counts beside a tag count only works they may list."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client

from ficarchive.feedback.services import bookmark_save
from ficarchive.tags.models import Tag, tag_url_name
from ficarchive.tags.services import tag_make_canonical, tag_make_synonym
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_hide

# One tag per place a name can hide, each typed only there.
ONLY_ON = {
    "draft": "Codename Nightjar",
    "restricted": "Codename Kestrel",
    "hidden": "Codename Merlin",
    "private_bookmark": "Codename Hobby",
    "public_bookmark": "Codename Osprey",
}
DRAFT_FANDOM = "Nightjar Fandom"
# Who may see each of them named (autocomplete, tag page, OPDS). Wranglers and admins see
# every tag: they wrangle them.
SEES = {
    "draft": {"wrangler", "admin"},
    "restricted": {"reader", "author", "wrangler", "admin"},
    "hidden": {"wrangler", "admin"},
    "private_bookmark": {"wrangler", "admin"},
    "public_bookmark": {"guest", "reader", "author", "wrangler", "admin"},
}
ROLES = ("guest", "reader", "author", "wrangler", "admin")


@pytest.fixture
def archive(db):
    author = make_user("tagauthor")
    reader = make_user("tagreader")
    admin = make_user("tagadmin", is_staff=True, is_superuser=True)
    wrangler = make_user("tagwrangler", is_wrangler=True)
    make_work(
        author, title="Draft", draft=True, fandoms=[DRAFT_FANDOM], freeforms=[ONLY_ON["draft"]]
    )
    make_work(author, title="Restricted", restricted=True, freeforms=[ONLY_ON["restricted"]])
    hidden = make_work(author, title="Hidden", freeforms=[ONLY_ON["hidden"]])
    work_hide(actor=admin, work=hidden, hidden=True)
    public = make_work(author, title="Public", freeforms=["Codename Shared"])
    bookmark_save(actor=reader, work=public, tags=ONLY_ON["private_bookmark"], private=True)
    other = make_work(author, title="Bookmarked")
    bookmark_save(actor=reader, work=other, tags=ONLY_ON["public_bookmark"])
    # "Codename Shared" is also on a draft and a restricted work: guests count one use.
    make_work(author, title="Draft too", draft=True, freeforms=["Codename Shared"])
    make_work(author, title="Restricted too", restricted=True, freeforms=["Codename Shared"])
    return {"guest": None, "reader": reader, "author": author, "wrangler": wrangler, "admin": admin}


def _client(archive, role: str) -> Client:
    client = Client()
    if archive[role] is not None:
        client.force_login(archive[role])
    return client


def _segment(name: str) -> str:
    return quote(tag_url_name(name), safe="*")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ONLY_ON)
def test_autocomplete_names_only_tags_the_viewer_may_see(archive, role, place):
    """Web and API autocomplete offer a tag only to those who may see where it is used."""
    client = _client(archive, role)
    web = {
        r["name"] for r in client.get("/tags/autocomplete", {"term": "codename"}).json()["results"]
    }
    api = {
        r["name"]
        for r in client.get("/api/v1/tags/autocomplete", {"term": "codename"}).json()["items"]
    }
    want = role in SEES[place]
    assert (ONLY_ON[place] in web) == want
    assert (ONLY_ON[place] in api) == want


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("place", ["draft", "restricted", "hidden", "private_bookmark"])
def test_tag_pages_and_feeds_answer_404_for_unseen_tags(archive, role, place):
    """The tag page, its works, its API object and works, and its OPDS feed are "no such tag"
    to whoever may not see the tag named; the Atom feed is a guest's view for everyone."""
    client = _client(archive, role)
    name = _segment(ONLY_ON[place])
    want = 200 if role in SEES[place] else 404
    for path in (
        f"/tags/{name}",
        f"/tags/{name}/works",
        f"/api/v1/tags/{name}",
        f"/api/v1/tags/{name}/works",
    ):
        assert client.get(path).status_code == want, path
    assert client.get(f"/opds/tags/{name}").status_code == (200 if role in SEES[place] else 404)
    assert client.get(f"/tags/{name}/feed.atom").status_code == 404  # no guest sees any of these


@pytest.mark.parametrize("role", ["guest", "reader", "author"])
def test_opds_lists_only_tags_with_works_the_viewer_may_list(archive, role):
    """/opds/tags and /opds/fandoms: a tag or fandom used only on a draft is not there."""
    client = _client(archive, role)
    tags_feed = client.get("/opds/tags").content.decode()
    fandoms_feed = client.get("/opds/fandoms").content.decode()
    assert ONLY_ON["draft"] not in tags_feed
    assert DRAFT_FANDOM not in fandoms_feed
    assert "Codename Shared" in tags_feed
    assert (ONLY_ON["restricted"] in tags_feed) == (role != "guest")


@pytest.mark.parametrize(
    ("role", "uses"), [("guest", 1), ("reader", 2), ("author", 2), ("admin", 2)]
)
def test_counts_count_only_listed_works(archive, role, uses):
    """Autocomplete's uses, the API tag's uses and works and the tag page's count agree with
    what the viewer may list (one public, one restricted, one draft use)."""
    client = _client(archive, role)
    (row,) = [
        r for r in client.get("/api/v1/tags/autocomplete", {"term": "codename s"}).json()["items"]
    ]
    assert row["uses"] == uses
    (web,) = client.get("/tags/autocomplete", {"term": "codename s"}).json()["results"]
    assert web["uses"] == uses
    body = client.get(f"/api/v1/tags/{_segment('Codename Shared')}").json()
    assert (body["uses"], body["works"]) == (uses, uses)
    assert f"Works ({uses})" in client.get(f"/tags/{_segment('Codename Shared')}").content.decode()


def test_related_tags_leave_out_unseen_synonyms(archive):
    """A canonical tag's page and API object do not name a synonym typed only on a draft."""
    wrangler = archive["wrangler"]
    canonical = tag_make_canonical(actor=wrangler, tag="Codename Canon", kind="freeform")
    tag_make_synonym(
        actor=wrangler, tag=Tag.objects.get(name=ONLY_ON["draft"]), canonical=canonical
    )
    guest = Client()
    assert ONLY_ON["draft"] not in guest.get(f"/tags/{_segment('Codename Canon')}").content.decode()
    assert (
        ONLY_ON["draft"]
        not in guest.get(f"/api/v1/tags/{_segment('Codename Canon')}").json()["synonyms"]
    )
    assert (
        ONLY_ON["draft"]
        in _client(archive, "wrangler").get(f"/tags/{_segment('Codename Canon')}").content.decode()
    )
