"""The privacy rule as the tests expect it, written once: the visibility matrix, the works
permission tests and the API permission tests all import it (``works.access`` is the code
under test; this is the specification it is checked against).

Roles: guest, reader (any other account), creator, cocreator, wrangler, admin. States of
one work: public, restricted, draft, anon (anonymous), hidden (by an admin), orphan (the
creator orphaned it; the co-creator is not on it), deleted, anon_coll (in an anonymous
collection not yet revealed: as anon), unrevealed (in an unrevealed collection not yet
revealed, AO3's "Mystery Work": as hidden, for its creators and admins only, and opened by
address, never listed, by the collection's maintainers).

The maintainer (a moderator of the unrevealed collection, otherwise a reader) is checked in
the unrevealed state only (``MAINTAINER_STATES``), to keep the matrix cheap: in every other
state the role is a reader's."""

from __future__ import annotations

ROLES = ("guest", "reader", "creator", "cocreator", "wrangler", "admin")
STATES = (
    "public",
    "restricted",
    "draft",
    "anon",
    "hidden",
    "orphan",
    "deleted",
    "anon_coll",
    "unrevealed",
)
# States whose byline is "Anonymous" to those who may not see the creators.
ANONYMOUS_STATES = ("anon", "anon_coll")
CREATORS = ("creator", "cocreator")
MAINTAINER = "maintainer"
MAINTAINER_STATES = ("unrevealed",)


def creator_of(role: str, state: str) -> bool:
    """Does the role hold a creatorship of the work in this state?"""
    if state in ("orphan", "deleted"):
        return False
    return role in CREATORS


def may_view(role: str, state: str) -> bool:
    """May this role open the work's own page (by address)?"""
    if state == "deleted":
        return False
    if state == "draft":
        return role in CREATORS  # not admins, not wranglers
    if state == "unrevealed":
        return role in (*CREATORS, "admin", MAINTAINER)
    if state == "hidden":
        return role in (*CREATORS, "admin")
    if state == "restricted":
        return role != "guest"
    return True  # public, anon, anon_coll, orphan


def listed(role: str, state: str) -> bool:
    """Is the work in this role's public listings (index, search, tag works, feeds for the
    signed-in, OPDS, API collections)? Drafts never; hidden works for admins only."""
    if state in ("draft", "deleted"):
        return False
    if state in ("hidden", "unrevealed"):
        return role == "admin"
    if state == "restricted":
        return role != "guest"
    return True


def creators_shown(role: str, state: str) -> bool:
    """May the role learn who made the work? Anonymous works: its creators and admins."""
    return state not in ANONYMOUS_STATES or role in (*CREATORS, "admin")


def credited(role: str, state: str) -> bool:
    """Is the work counted and listed on its creator's pseud and user pages for this role
    (someone else's pages: the creator's own pages are ``own_credited``)?"""
    return listed(role, state) and creators_shown(role, state)


def own_credited(state: str) -> bool:
    """Is the work on its creator's own works and pseud pages, seen by that creator? Every
    posted work of theirs, those an admin hid included."""
    return state in ("public", "restricted", "anon", "hidden", "anon_coll", "unrevealed")


def tag_named(role: str, state: str) -> bool:
    """May the role see the name of a tag typed only on this work (autocomplete, tag pages,
    related tags)? Wranglers and admins see every tag; others tags on works they may list."""
    return role in ("wrangler", "admin") or listed(role, state)
