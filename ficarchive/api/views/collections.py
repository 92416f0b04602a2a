"""Collections in the API: the index, one collection, its works (the search plan within
the collection, under the viewer's listing rule) and its bookmarks (AO3's
/collections/NAME/bookmarks filters). Read-only: joining, adding works and moderating
stay on the site's pages."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from ficarchive.collections import selectors
from ficarchive.collections.models import Collection
from ficarchive.collections.selectors_bookmarks import BookmarkFilters, collection_bookmarks
from ficarchive.discovery.plan import WithinWorks

from .. import params as p
from ..http import api_view, json_response
from ..serializers import absolute, api_url, bookmark_json
from .common import id_page, works_page

# Filters of a collection's bookmarks the API takes; anything else in the query string is
# refused, so a misspelt filter is an error and not a silently unfiltered answer.
BOOKMARK_FILTERS = ("tag", "rec", "with_notes", "bookmarker")
_FLAGS = {"true": True, "1": True, "false": False, "0": False}


def _dt(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def collection_json(collection: Collection, *, detail: bool = False) -> dict[str, Any]:
    """One collection as the API shows it: its settings and links; with ``detail``, its
    maintainers' user names and its sub-collections' names too."""
    data: dict[str, Any] = {
        "name": collection.name,
        "title": collection.title,
        "description": collection.description,
        "parent": collection.parent.name if collection.parent_id else None,
        "moderated": collection.moderated,
        "closed": collection.closed,
        "anonymous": collection.anonymous,
        "unrevealed": collection.unrevealed,
        "revealed_at": _dt(collection.revealed_at),
        "challenge": collection.challenge_kind or None,
        "created_at": _dt(collection.created_at),
        "url": absolute(collection.get_absolute_url()),
        "api_url": api_url("collection", collection.name),
        "works_url": api_url("collection_works", collection.name),
        "bookmarks_url": api_url("collection_bookmarks", collection.name),
    }
    if detail:
        maintainers = collection.participants.filter(role__in=["owner", "moderator"])
        data["maintainers"] = sorted(
            maintainers.values_list("user__username", flat=True).distinct()
        )
        data["children"] = sorted(collection.children.values_list("name", flat=True))
    return data


def _bookmark_filters(request: HttpRequest) -> BookmarkFilters:
    """The bookmark filters of the query string; a one-line 400 on an unknown one or a
    flag that is not true/false."""
    for name in request.GET:
        if name not in (*BOOKMARK_FILTERS, "limit", "cursor"):
            raise p.bad(name, f"Unknown filter {name!r}; use: {', '.join(BOOKMARK_FILTERS)}.")
    for flag in ("rec", "with_notes"):
        value = request.GET.get(flag)
        if value is not None and value.lower() not in _FLAGS:
            raise p.bad(flag, f"{flag} must be true or false.")
    return BookmarkFilters(
        tag=" ".join(request.GET.get("tag", "").split())[:150],
        rec=_FLAGS.get(request.GET.get("rec", "false").lower(), False),
        with_notes=_FLAGS.get(request.GET.get("with_notes", "false").lower(), False),
        bookmarker=request.GET.get("bookmarker", "").strip()[:150],
    )


@api_view("GET")
def collections_index(request: HttpRequest) -> HttpResponse:
    """Every collection, newest first (id paging)."""
    return id_page(
        selectors.collections_listed(request.user),
        request,
        "collections",
        lambda rows: [collection_json(c) for c in rows],
    )


@api_view("GET")
def collection_detail(request: HttpRequest, name: str) -> HttpResponse:
    """One collection; ``mystery_works`` counts its unrevealed works this viewer may not
    see yet (a count, never a title, as the profile page shows)."""
    collection = selectors.collection_get(name)
    data = collection_json(collection, detail=True)
    data["mystery_works"] = selectors.mystery_count(collection, request.user)
    return json_response(data)


@api_view("GET")
def collection_works(request: HttpRequest, name: str) -> HttpResponse:
    """The collection's works (its sub-collections' included) with the browse filters."""
    collection = selectors.collection_get(name)
    return works_page(request, within=WithinWorks(selectors.collection_works_qs(collection)))


@api_view("GET")
def collection_bookmarks_list(request: HttpRequest, name: str) -> HttpResponse:
    """The collection's approved public bookmarks of works the viewer may list, newest
    first, filtered by ``tag``, ``rec``, ``with_notes`` and ``bookmarker``."""
    collection = selectors.collection_get(name)
    filters = _bookmark_filters(request)
    return id_page(
        collection_bookmarks(collection, request.user, filters),
        request,
        f"collection_bookmarks:{collection.pk}",
        lambda rows: [bookmark_json(b, request.user) for b in rows],
    )
