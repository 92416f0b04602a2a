"""A collection's bookmarks: the listing with its filters, adding one's own bookmark, and
the maintainers' review of bookmarks."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.feedback.models import Bookmark

from . import services
from .forms import posted_id
from .models import CollectionBookmark
from .selectors_bookmarks import (
    BookmarkFilters,
    bookmarks_for_review,
    collection_bookmarks,
    own_bookmarks_to_add,
)
from .views import _collection, _fail

PER_PAGE = 20


def collection_bookmarks_view(request: HttpRequest, name: str) -> HttpResponse:
    """AO3's /collections/NAME/bookmarks: the bookmarks in the collection, filtered."""
    collection = _collection(name)
    filters = BookmarkFilters.from_query(request.GET)
    bookmarks = collection_bookmarks(collection, request.user, filters)
    page = Paginator(bookmarks, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "collections/bookmarks.html",
        {
            "collection": collection,
            "bookmarks": page.object_list,
            "page_obj": page,
            "filters": filters,
            "is_maintainer": services.is_maintainer(request.user, collection),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def bookmark_item_new(request: HttpRequest, name: str) -> HttpResponse:
    """Add one of one's own bookmarks (POST ``bookmark``: its id)."""
    collection = _collection(name)
    if request.method == "POST":
        bookmark = Bookmark.objects.filter(
            pk=posted_id(request.POST, "bookmark"), user_id=int(request.user.pk or 0)
        ).first()
        try:
            if bookmark is None:
                raise ValidationError(_("Pick one of your bookmarks."))
            item = services.bookmark_item_add(
                actor=request.user, collection=collection, bookmark=bookmark
            )
        except (ValidationError, PermissionDenied, NotFound) as exc:
            _fail(request, exc)
        else:
            if item.collection_approval == "approved":
                messages.success(request, _("Added to %(title)s.") % {"title": collection.title})
            else:
                messages.success(
                    request,
                    _("Added to %(title)s. It awaits a maintainer's approval.")
                    % {"title": collection.title},
                )
            return redirect("collections:bookmarks", collection.name)
    return render(
        request,
        "collections/bookmark_new.html",
        {"collection": collection, "bookmarks": own_bookmarks_to_add(collection, request.user)},
    )


@login_required
@require_POST
def bookmark_items_review(request: HttpRequest, name: str) -> HttpResponse:
    """Maintainers approve, reject or remove a bookmark (POST ``item``, ``action``); a
    bookmark's owner may remove it."""
    collection = _collection(name)
    item = (
        CollectionBookmark.objects.select_related("bookmark", "collection")
        .filter(collection=collection, pk=posted_id(request.POST, "item"))
        .first()
    )
    action = request.POST.get("action")
    try:
        if item is None or action not in ("approve", "reject", "remove"):
            raise ValidationError(_("Pick a bookmark and an action."))
        if action == "remove":
            services.bookmark_item_remove(actor=request.user, item=item)
            messages.success(request, _("Bookmark removed from the collection."))
        else:
            services.bookmark_item_review(
                actor=request.user, item=item, approve=action == "approve"
            )
            if action == "approve":
                messages.success(request, _("Bookmark approved."))
            else:
                messages.success(request, _("Bookmark rejected."))
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    if services.is_maintainer(request.user, collection):
        return redirect("collections:items", collection.name)
    return redirect("collections:bookmarks", collection.name)


def review_context(collection, viewer) -> dict:
    """The bookmarks part of the maintainers' items page, as ``viewer`` may see it."""
    return {"bookmark_items": bookmarks_for_review(collection, viewer)}
