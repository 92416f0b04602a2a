"""A listing page's works when their blurbs are in the cache: small rows, not models.

A blurb (``works/_blurb.html``) is cached per work version, hit count, viewer class and
time zone (``templatetags/discovery_blurbs.py``). When every blurb of a page is in the cache
the page needs of each work only what picks the cache key and what the reader's own part
(``works/_blurb_viewer.html``: read state, Mark for Later) shows: one query of a few
columns, instead of the work, its tags, creators and series as model instances (about 550
objects for 20 works, most of a signed-in reader's listing time). Works whose blurb is not
cached are loaded whole, as before."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone, translation

from ficarchive.core.cache import cache_get_many
from ficarchive.core.viewers import Viewer, is_admin, user_or_none
from ficarchive.works.models import Work

from .fastreads import listing_rows


@dataclass
class CachedBlurbWork:
    """A work whose blurb is the cached ``blurb_html`` (with the viewer marker still in it);
    the other fields are what the reader's own part and ``reading.blurb_states`` read."""

    pk: int
    title: str
    posted: bool
    chapter_count: int
    hit_count: int
    blurb_version: str
    blurb_html: str

    @property
    def id(self) -> int:
        return self.pk


def viewer_kind(user: Any, *, in_series: bool, own: bool) -> str | None:
    """Who sees a blurb alike, or None when it is drawn for this viewer alone.

    Guests and signed-in readers see the same byline and badges; admins see anonymous
    creators' names (``access.creators_of``); a creator (``own``) sees their own names. A
    reader's preferences hide warnings or additional tags. A work in a series is drawn every
    time: whether its series shows depends on the series' other works
    (``access.series_shown``), which no notice about this work reports."""
    if in_series:
        return None
    if is_admin(user):
        return "admin"
    signed_in = bool(getattr(user, "is_authenticated", False))
    if signed_in and own:
        return None
    hide_warnings = signed_in and bool(getattr(user, "hide_warnings", False))
    hide_freeform = signed_in and bool(getattr(user, "hide_freeform", False))
    return f"reader.{int(hide_warnings)}{int(hide_freeform)}"


def row_kind(base: str | None, signed_in: bool, *, in_series: bool, own: bool) -> str | None:
    """``viewer_kind`` for one work from the viewer's ``base`` kind (``viewer_kind`` of a
    work neither in a series nor theirs): the same answer, without asking the viewer again."""
    if in_series:
        return None
    if base == "admin":
        return base
    if signed_in and own:
        return None
    return base


def blurb_key(version: str, hit_count: int, kind: str, where: str | None = None) -> str:
    """The cache key of a blurb: the blurb shows its date in the reader's time zone and
    its words in the reader's language (issue 18 translates the interface). ``where``:
    ``blurb_where()`` of this request, when a caller keys many blurbs at once."""
    return f"blurb:{version}.{hit_count}.{kind}.{where or blurb_where()}"


def blurb_where() -> str:
    """The part of a blurb's key the request sets: time zone and language."""
    return f"{timezone.get_current_timezone_name()}.{translation.get_language() or ''}"


def listing_works(
    viewer: Viewer,
    ids: list[int],
    versions: dict[int, str],
    load: Callable[[list[int]], list[Work]],
) -> list[Any]:
    """The works of ``ids`` in that order: a ``CachedBlurbWork`` for each whose blurb is in
    the cache for this viewer, else the model from ``load(ids)`` (with ``blurb_version``
    set). Two queries (the rows, the read of the cache) when every blurb is cached."""
    user = user_or_none(viewer)
    # Plain SQL (``fastreads``): compiling this as an ORM query with its two EXISTS was a
    # sixth of a signed-in reader's listing.
    found = listing_rows(ids, None if user is None else int(user.pk))
    keys: dict[int, str] = {}
    # ``viewer_kind`` once for the viewer, then per work only what differs between works
    # (asking the lazy ``request.user`` for its roles 20 times was measurable).
    base = viewer_kind(viewer, in_series=False, own=False)
    signed_in = user is not None
    where = blurb_where()  # once, not per work (it asks the time zone and language)
    for pk, row in found.items():
        kind = row_kind(base, signed_in, in_series=row["in_series"], own=row.get("own", False))
        if kind is not None and pk in versions:
            keys[pk] = blurb_key(versions[pk], row["hit_count"], kind, where)
    cached = cache_get_many(list(keys.values()))
    works: dict[int, Any] = {}
    for pk, key in keys.items():
        html = cached.get(key)
        if isinstance(html, str):
            row = found[pk]
            works[pk] = CachedBlurbWork(
                pk=pk,
                title=row["title"],
                posted=row["posted"],
                chapter_count=row["chapter_count"],
                hit_count=row["hit_count"],
                blurb_version=versions[pk],
                blurb_html=html,
            )
    missing = [pk for pk in ids if pk in found and pk not in works]
    for work in load(missing) if missing else []:
        work.blurb_version = versions.get(work.pk)  # type: ignore[attr-defined]
        works[work.pk] = work
    return [works[pk] for pk in ids if pk in works]
