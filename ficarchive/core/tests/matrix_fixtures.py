"""The "who sees what" archive: one work per state, made through the services.

Every work has a unique title marker ("Marker-<state>-Title") and unique creator pseuds
("Creator-<state>-Name" for the creator, "CoCreator-<state>-Name" for the co-creator), so
a page can be searched for exactly one work and exactly one byline."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.services import pseud_create
from ficarchive.testing import make_user
from ficarchive.works.models import Work

from .visibility_rule import STATES

FANDOM = "Matrix Fandom"

CREATOR_USERNAME = "matrixcreator"
COCREATOR_USERNAME = "matrixcocreator"
READER_USERNAME = "matrixreader"


CANONICAL_TAG = "Matrix Canonical Tag"


def marker(state: str) -> str:
    return f"Marker-{state}-Title"


def tag_marker(state: str) -> str:
    """A freeform typed only on the work in this state."""
    return f"Facet-{state}-Tag"


def fandom_marker(state: str) -> str:
    """A fandom typed only on the work in this state."""
    return f"Facet-{state}-Fandom"


def synonym_marker(state: str) -> str:
    """A freeform typed only on the work in this state, made a synonym of CANONICAL_TAG."""
    return f"Facet-{state}-Synonym"


def series_marker(state: str) -> str:
    """The series holding the work in this state and a named public companion work."""
    return f"Series-{state}-Name"


def creator_name(state: str) -> str:
    return f"Creator-{state}-Name"


def cocreator_name(state: str) -> str:
    return f"CoCreator-{state}-Name"


@dataclass
class MatrixArchive:
    users: dict[str, User]
    works: dict[str, Work]
    # Ids and chapter ids kept apart from the objects: the deleted work's row is gone.
    work_ids: dict[str, int]
    chapter_ids: dict[str, int]
    slugs: dict[str, str]
    missing_id: int = 0
    # Per state: the series holding the work and its companion, and the companion's id.
    series_ids: dict[str, int] = field(default_factory=dict)
    companion_ids: dict[str, int] = field(default_factory=dict)
    extra: dict[str, Any] = field(default_factory=dict)


def build_matrix_archive() -> MatrixArchive:
    """Users for every role and one work per state, with a comment and a bookmark where
    the state allows one, built as the site builds them. Each state's work is in a series
    with a named public companion work by the creator, and carries a freeform, a fandom and
    a synonym of CANONICAL_TAG typed nowhere else."""
    from ficarchive.feedback.services import bookmark_save, comment_create
    from ficarchive.tags.models import Tag
    from ficarchive.tags.services import tag_make_canonical, tag_make_synonym
    from ficarchive.works.services import (
        series_add_work,
        work_creators_set,
        work_delete,
        work_hide,
        work_orphan,
    )

    creator = make_user(CREATOR_USERNAME)
    cocreator = make_user(COCREATOR_USERNAME)
    reader = make_user(READER_USERNAME)
    wrangler = make_user("matrixwrangler", is_wrangler=True)
    admin = make_user("matrixadmin", is_superuser=True, is_staff=True)
    maintainer = make_user("matrixmaintainer")  # moderates the unrevealed collection
    users = {
        "maintainer": maintainer,
        "reader": reader,
        "creator": creator,
        "cocreator": cocreator,
        "wrangler": wrangler,
        "admin": admin,
    }

    works: dict[str, Work] = {}
    companion_ids: dict[str, int] = {}
    for state in STATES:
        mine = pseud_create(actor=creator, user=creator, name=creator_name(state))
        work = _make(creator, state, mine)
        if state != "orphan":
            # A co-creator's pseud (the co-creator accepted the invitation), credited second.
            theirs = pseud_create(actor=cocreator, user=cocreator, name=cocreator_name(state))
            work_creators_set(actor=creator, work=work, pseuds=[mine, theirs])
        works[state] = work
        series_add_work(actor=creator, work=work, series_title=series_marker(state))
        companion = _make(
            creator, "public", creator.default_pseud(), title=f"Companion-{state}-Title"
        )
        series_add_work(actor=creator, work=companion, series_title=series_marker(state))
        companion_ids[state] = companion.pk

    canonical = tag_make_canonical(actor=wrangler, tag=CANONICAL_TAG, kind="freeform")
    for state in STATES:
        tag_make_synonym(
            actor=wrangler, tag=Tag.objects.get(name=synonym_marker(state)), canonical=canonical
        )

    for state, work in works.items():
        if state == "draft":
            continue  # drafts take no feedback
        comment_create(actor=reader, work=work, body=f"A comment on the {state} work.")
        bookmark_save(actor=reader, work=work, notes=f"Bookmarked the {state} work.")

    # Every signed-in role read and marked each work for later while it could (issue 13):
    # what it may no longer open must drop out of its history, list and shelf.
    from ficarchive.reading.services import history_record, later_mark

    for user in users.values():
        for work in works.values():
            history_record(user=user, work=work, chapter=None)
            later_mark(actor=user, work=work)

    # Every account follows every state's work, as if it had subscribed while it could.
    from ficarchive.notify.models import Subscription

    Subscription.objects.bulk_create(
        [Subscription(user=u, kind="work", work=w) for u in users.values() for w in works.values()]
    )
    # ... and last read each work before its latest chapter, so every followed work is on
    # the reader's "Subscriptions, updated" shelf (/opds/subscriptions) while it may see it.
    from ficarchive.reading.models import Reading

    Reading.objects.filter(user__in=users.values()).update(chapters_seen=0)

    work_hide(actor=admin, work=works["hidden"], hidden=True)
    _into_collections(creator, admin, works, maintainer)
    work_orphan(actor=creator, work=works["orphan"])

    work_ids = {s: w.pk for s, w in works.items()}
    chapter_ids = {s: w.chapters.order_by("position").first().pk for s, w in works.items()}
    slugs = {s: w.slug for s, w in works.items()}
    series_ids = {s: w.serial_works.get().series_id for s, w in works.items()}
    work_delete(actor=creator, work=Work.objects.get(pk=work_ids["deleted"]))
    missing_id = max(work_ids.values()) + 1000
    return MatrixArchive(
        users=users,
        works=works,
        work_ids=work_ids,
        chapter_ids=chapter_ids,
        slugs=slugs,
        missing_id=missing_id,
        series_ids=series_ids,
        companion_ids=companion_ids,
    )


def _into_collections(creator: User, admin: User, works: dict[str, Work], maintainer: User) -> None:
    """The collection states: the work joins an anonymous collection ("anon_coll") or an
    unrevealed one ("unrevealed", which ``maintainer`` moderates), after the reader's
    comment and bookmark (the unrevealed work takes none once it is a mystery)."""
    from ficarchive.collections.services import collection_create, item_add, maintainer_set

    for state, name, flags in (
        ("anon_coll", "Matrix_Anonymous", {"anonymous": True}),
        ("unrevealed", "Matrix_Mystery", {"unrevealed": True}),
    ):
        collection = collection_create(
            actor=admin, owner=admin, name=name, title=name.replace("_", " "), **flags
        )
        item_add(actor=creator, collection=collection, work=works[state])
        if flags.get("unrevealed"):
            maintainer_set(actor=admin, collection=collection, user=maintainer, role="moderator")
        works[state].refresh_from_db()


def _make(creator: User, state: str, pseud: Pseud, title: str = "") -> Work:
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    own_tags = not title  # a companion carries none of the state's own tags
    return work_create(
        actor=creator,
        meta=WorkMeta(
            title=title or marker(state),
            rating="General Audiences",
            warnings=["No Archive Warnings Apply"],
            fandoms=[FANDOM, fandom_marker(state)] if own_tags else [FANDOM],
            freeforms=[tag_marker(state), synonym_marker(state)] if own_tags else [],
            restricted=state == "restricted",
            anonymous=state == "anon",
        ),
        chapters=[ChapterInput(body=f"The {state} story begins.\n\nIt ends.")],
        pseuds=[pseud],
        draft=state == "draft",
    )
