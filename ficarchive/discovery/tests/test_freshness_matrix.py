"""No listing is stale after a write it depends on: every kind of write (edit, new chapter,
a tag made a synonym, a parent (meta) tag link, kudos, a visibility change, deletion), on
``/works``, a tag's works page and a search, for a guest (whole pages cached) and for a
signed-in reader (blurbs, facets and the sidebar cached). Each page is requested twice
before the write, so the caches hold it; the next request after the write must show it.
Runs on SQLite and, under scripts/with-postgres.sh, on PostgreSQL.

These tests commit (``transaction=True``): the caches store only what was read outside a
transaction."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import Client

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.cache import CACHE_HEADER
from ficarchive.feedback.services import kudos_give
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_add_parent, tag_make_canonical, tag_make_synonym
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.models import Work
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    work_delete,
    work_hide,
    work_update,
)

pytestmark = [pytest.mark.django_db(transaction=True)]


def _meta(**changes) -> WorkMeta:
    base = {
        "title": "Orchard",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Orchards"],
        "freeforms": ["Apples"],
    }
    return WorkMeta(**{**base, **changes})


@dataclass
class World:
    author: object
    work: Work
    admin: object


@dataclass
class Case:
    """A write, the pages that depend on it, and what each shows before and after it."""

    paths: tuple[str, ...]
    before: Callable[[str], bool]
    write: Callable[[World], None]
    after: Callable[[str], bool]


def _edit(world: World) -> None:
    work_update(actor=world.author, work=world.work, meta=_meta(title="Silver Pears Orchard"))


def _chapter(world: World) -> None:
    chapter_add(actor=world.author, work=world.work, chapter=ChapterInput(body="More apples."))


def _synonym(world: World) -> None:
    # The work carries "Pommes" (not canonical): it joins Malus' listings as a synonym.
    canonical = Tag.objects.get(name="Malus")
    tag_make_synonym(actor=OPERATOR, tag=Tag.objects.get(name="Pommes"), canonical=canonical)


def _parent(world: World) -> None:
    parent = Tag.objects.get(name="Fruit")
    apples = tag_make_canonical(actor=OPERATOR, tag="Apples")
    tag_add_parent(actor=OPERATOR, child=apples, parent=parent)


def _kudos(world: World) -> None:
    kudos_give(
        actor=AnonymousUser(), work=Work.objects.get(pk=world.work.pk), guest_address="10.0.0.9"
    )


def _hide(world: World) -> None:
    work_hide(actor=world.admin, work=Work.objects.get(pk=world.work.pk), hidden=True)


def _restrict(world: World) -> None:
    work_update(actor=world.author, work=world.work, meta=_meta(restricted=True))


def _delete(world: World) -> None:
    work_delete(actor=world.author, work=Work.objects.get(pk=world.work.pk))


LISTINGS = ("/works", "/tags/Orchards/works", "/works/search?q=orchard")
CASES = {
    "edit": Case(LISTINGS, lambda b: "Silver Pears" not in b, _edit, lambda b: "Silver Pears" in b),
    "new chapter": Case(
        LISTINGS,
        lambda b: '<dd class="chapters">1/1</dd>' in b,
        _chapter,
        lambda b: '<dd class="chapters">2/2</dd>' in b,
    ),
    "synonym": Case(
        ("/tags/Malus/works", "/works?tag=Malus", "/works/search?q=orchard&tag=Malus"),
        lambda b: ">Orchard<" not in b,
        _synonym,
        lambda b: ">Orchard<" in b,
    ),
    "parent tag": Case(
        ("/tags/Fruit/works", "/works?tag=Fruit", "/works/search?q=orchard&tag=Fruit"),
        lambda b: ">Orchard<" not in b,
        _parent,
        lambda b: ">Orchard<" in b,
    ),
    "kudos": Case(
        tuple(p + ("&" if "?" in p else "?") + "sort=kudos" for p in LISTINGS),
        lambda b: b.index("Older Orchard Grove") < b.index(">Orchard<"),
        _kudos,
        lambda b: (
            b.index(">Orchard<") < b.index("Older Orchard Grove")
            and '<dd class="kudos">1</dd>' in b
        ),
    ),
    "hidden by an admin": Case(
        LISTINGS, lambda b: ">Orchard<" in b, _hide, lambda b: ">Orchard<" not in b
    ),
    "deletion": Case(LISTINGS, lambda b: ">Orchard<" in b, _delete, lambda b: ">Orchard<" not in b),
}


def _world() -> World:
    author = make_user("grower")
    admin = make_user("root", is_staff=True, is_superuser=True)
    tag_make_canonical(actor=OPERATOR, tag="Fruit", kind="freeform")
    tag_make_canonical(actor=OPERATOR, tag="Malus", kind="freeform")
    work = make_work(author, title="Orchard", fandoms=["Orchards"], freeforms=["Apples", "Pommes"])
    # A second work in the same listings, older, so orders and counts have something to move.
    make_work(author, title="Older Orchard Grove", fandoms=["Orchards"], freeforms=["Pommes"])
    Work.objects.filter(title="Older Orchard Grove").update(kudos_count=0)
    return World(author=author, work=work, admin=admin)


def _client(signed_in: bool) -> Client:
    client = Client()
    if signed_in:
        reader = make_user("reader")
        assert client.login(username=reader.username, password=PASSWORD)
    return client


def _get(client: Client, path: str) -> tuple[str, str]:
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode(), response.headers.get(CACHE_HEADER, "")


@pytest.mark.parametrize("signed_in", [False, True], ids=["guest", "signed-in"])
@pytest.mark.parametrize("name", list(CASES))
def test_no_listing_is_stale_after_a_write(name: str, signed_in: bool) -> None:
    case = CASES[name]
    world = _world()
    client = _client(signed_in)
    for path in case.paths:
        first, _ = _get(client, path)
        second, header = _get(client, path)
        assert case.before(second), (path, "before")
        if not signed_in:
            assert header == "hit", path  # the guest page really was cached
    case.write(world)
    for path in case.paths:
        body, header = _get(client, path)
        assert case.after(body), (name, path)
        if not signed_in:
            assert header == "miss", path


def test_restricting_takes_a_work_off_guest_listings_only() -> None:
    """A work restricted to registered users leaves every cached guest listing at once and
    stays on a signed-in reader's."""
    world = _world()
    guest, reader = _client(False), _client(True)
    for client in (guest, reader):
        for path in LISTINGS:
            _get(client, path)
            assert ">Orchard<" in _get(client, path)[0]
    _restrict(world)
    for path in LISTINGS:
        assert ">Orchard<" not in _get(guest, path)[0], path
        assert ">Orchard<" in _get(reader, path)[0], path
