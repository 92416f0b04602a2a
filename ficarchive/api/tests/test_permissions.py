"""The permission matrix (viewer × kind of work) holds for every API read and write."""

from __future__ import annotations

import pytest

from ficarchive.core.tests import visibility_rule as rule
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    work_create,
    work_delete,
    work_hide,
    work_orphan,
)

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db

VIEWERS = ["guest", "reader", "creator", "cocreator", "wrangler", "admin"]
KINDS = ["public", "restricted", "draft", "anonymous", "hidden", "orphaned", "deleted"]

# The shared rule, with this module's names for two states.
_STATE = {kind: kind for kind in KINDS} | {"anonymous": "anon", "orphaned": "orphan"}
# Who sees the work at /works/ID (and its chapters, comments, kudos).
SEES = {kind: {v for v in VIEWERS if rule.may_view(v, _STATE[kind])} for kind in KINDS}
# Who finds it in listings (/works, search, tag works); drafts only on the drafts page,
# hidden works only in the admins' listings (their creators still open them by address).
LISTS = {kind: {v for v in VIEWERS if rule.listed(v, _STATE[kind])} for kind in KINDS}


@pytest.fixture
def world(db):
    people = {
        "creator": make_user("creator"),
        "cocreator": make_user("cocreator"),
        "reader": make_user("reader"),
        "wrangler": make_user("wrangler", is_wrangler=True),
        "admin": make_user("boss", is_superuser=True, is_staff=True),
    }
    creator, admin = people["creator"], people["admin"]

    def co_work(title: str, **meta):
        pseuds = [creator.default_pseud(), people["cocreator"].default_pseud()]
        return work_create(
            actor=admin,
            pseuds=pseuds,
            draft=meta.pop("draft", False),
            meta=WorkMeta(
                title=title,
                rating="General Audiences",
                warnings=["No Archive Warnings Apply"],
                fandoms=["Matrix Fandom"],
                **meta,
            ),
            chapters=[ChapterInput(body="Words in a matrix.")],
        )

    works = {
        "public": co_work("Public"),
        "restricted": co_work("Restricted", restricted=True),
        "draft": co_work("Draft", draft=True),
        "anonymous": co_work("Anonymous", anonymous=True),
        "hidden": co_work("Hidden"),
        "orphaned": make_work(creator, title="Orphaned", fandoms=["Matrix Fandom"]),
        "deleted": co_work("Deleted"),
    }
    work_hide(actor=admin, work=works["hidden"], hidden=True)
    work_orphan(actor=creator, work=works["orphaned"])
    deleted_id = works["deleted"].pk
    work_delete(actor=creator, work=works["deleted"])
    ids = {kind: w.pk for kind, w in works.items()}
    ids["deleted"] = deleted_id
    clients = {"guest": ApiClient()}
    for name, person in people.items():
        clients[name] = ApiClient(make_token(person))
    return {"ids": ids, "clients": clients, "people": people}


@pytest.mark.parametrize("viewer", VIEWERS)
def test_work_reads_follow_the_matrix(world, viewer):
    """Detail, chapters, comments and kudos answer 200 exactly for those who may see the work, 404 otherwise."""
    api = world["clients"][viewer]
    for kind, work_id in world["ids"].items():
        expected = 200 if viewer in SEES[kind] else 404
        for path in (
            f"/works/{work_id}",
            f"/works/{work_id}/chapters",
            f"/works/{work_id}/comments",
            f"/works/{work_id}/kudos",
        ):
            assert api.get(path).status_code == expected, (viewer, kind, path)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_listings_follow_the_matrix(world, viewer):
    """Browse, search and tag listings hold exactly the works the viewer may find."""
    api = world["clients"][viewer]
    expected = {world["ids"][k] for k in KINDS if viewer in LISTS[k]}
    for path, query in (
        ("/works", {}),
        ("/search", {"q": "matrix"}),
        ("/tags/Matrix Fandom/works", {}),
    ):
        found = {w["id"] for w in api.get(path, limit=100, **query).json()["items"]}
        assert found == expected, (viewer, path)
    tag = api.get("/tags/Matrix Fandom").json()
    assert tag["works"] == len(expected)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_anonymous_creators_hidden(world, viewer):
    """An anonymous work names its creators only to them and admins; elsewhere creators is null."""
    body = world["clients"][viewer].get(f"/works/{world['ids']['anonymous']}").json()
    if rule.creators_shown(viewer, "anon"):
        assert {c["user"] for c in body["creators"]} == {"creator", "cocreator"}
    else:
        assert body["creators"] is None
        assert body["byline"] == "Anonymous"
        assert "creator" not in str(body["creators"])
    users = {
        w["id"]
        for w in world["clients"][viewer].get("/users/creator/works", limit=100).json()["items"]
    }
    # A co-creator already sees the anonymous work's creators (access.creators_shown), so
    # the other creator's page may list it for them too: one rule for both places.
    assert (world["ids"]["anonymous"] in users) == rule.creators_shown(viewer, "anon")
    # As on the works page, the owner (and admins) find the owner's hidden work there too.
    assert (world["ids"]["hidden"] in users) == (viewer in ("creator", "admin"))


def test_orphaned_work_shows_orphan_account(world):
    """An orphaned work is credited to orphan_account."""
    body = world["clients"]["guest"].get(f"/works/{world['ids']['orphaned']}").json()
    assert [c["user"] for c in body["creators"]] == ["orphan_account"]


@pytest.mark.parametrize("viewer", VIEWERS)
def test_edit_only_by_creators(world, viewer):
    """PATCH works for creators and co-creators; others get 401 (guest), 403 (may see) or 404."""
    api = world["clients"][viewer]
    for kind in ("public", "draft", "hidden"):
        response = api.patch(f"/works/{world['ids'][kind]}", {"summary": f"Edited by {viewer}"})
        if viewer == "guest":
            assert response.status_code == 401
        elif viewer in ("creator", "cocreator"):
            assert response.status_code == 200
            assert f"Edited by {viewer}" in response.json()["summary"]
        elif viewer in SEES[kind]:
            assert response.status_code == 403
        else:
            assert response.status_code == 404


def test_user_fields_are_public_only(world):
    """A user's JSON has no email, roles or preferences."""
    body = world["clients"]["reader"].get("/users/boss").json()
    assert "email" not in body and "is_staff" not in body and "view_adult" not in body
    assert "@" not in str(body)


def _write_status(viewer: str, kind: str, allowed: set[str], ok: int) -> int:
    if viewer == "guest":
        return 401
    if viewer not in SEES[kind]:
        return 404
    return ok if viewer in allowed else 403


@pytest.mark.parametrize("viewer", VIEWERS)
def test_chapter_edit_follows_the_matrix(world, viewer):
    """Chapter PATCH: creators 200, others 401 (guest), 403 (may see) or 404."""
    api, owner = world["clients"][viewer], world["clients"]["creator"]
    for kind in ("public", "restricted", "draft", "hidden"):
        work_id = world["ids"][kind]
        chapter_id = owner.get(f"/works/{work_id}/chapters").json()["items"][0]["id"]
        response = api.patch(
            f"/works/{work_id}/chapters/{chapter_id}", {"notes": f"Note by {viewer}"}
        )
        assert response.status_code == _write_status(viewer, kind, {"creator", "cocreator"}, 200), (
            viewer,
            kind,
        )


@pytest.mark.parametrize("viewer", VIEWERS)
def test_delete_follows_the_matrix(world, viewer):
    """Work DELETE: creators and admins 204 on works they see; others 401, 403 or 404."""
    api = world["clients"][viewer]
    for kind in ("public", "restricted", "draft", "hidden", "anonymous"):
        expected = _write_status(viewer, kind, {"creator", "cocreator", "admin"}, 204)
        assert api.delete(f"/works/{world['ids'][kind]}").status_code == expected, (viewer, kind)
        gone = world["clients"]["creator"].get(f"/works/{world['ids'][kind]}").status_code == 404
        assert gone == (expected == 204), (viewer, kind)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_suggestions_follow_the_matrix(world, viewer):
    """Suggestions: 200 for the creators of works they see, 404 for everyone else (admins,
    and the former creator of an orphaned work, too)."""
    api = world["clients"][viewer]
    for kind in KINDS:
        creator = viewer in ("creator", "cocreator") and kind != "orphaned"
        expected = 200 if creator and viewer in SEES[kind] else 404
        assert api.get(f"/works/{world['ids'][kind]}/suggestions").status_code == expected, (
            viewer,
            kind,
        )
