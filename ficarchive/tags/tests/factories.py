"""Test helpers for tags: wranglers, and tags made through the services."""

from __future__ import annotations

from ficarchive.tags.models import Tag
from ficarchive.tags.services import tags_find_or_create
from ficarchive.testing import make_user


def make_wrangler(username: str = "wrangler"):
    return make_user(username, is_wrangler=True)


def tag(name: str, kind: str = "freeform") -> Tag:
    """The tag as an author would create it by typing it (unwrangled when new)."""
    (found,) = tags_find_or_create(kind=kind, names=[name])
    return found
