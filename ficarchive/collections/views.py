"""Collection pages: the index, a collection's profile, its works (the search plan's
filters, within the collection) and Atom feed, its maintainers' item review, the reveal,
and a user's gifts."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import account_of
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.discovery.plan import WithinWorks
from ficarchive.discovery.search import search_works
from ficarchive.discovery.views import filter_context
from ficarchive.works import access
from ficarchive.works.models import Work

from . import selectors, selectors_bookmarks, services
from .forms import CollectionForm, posted_id
from .models import CollectionItem, Gift

FEED_ITEMS = 20


def _collection(name: str):
    try:
        return selectors.collection_get(name)
    except NotFound:
        raise Http404("No such collection.") from None


def _me(request: HttpRequest) -> User:
    """The signed-in account (views behind ``login_required``)."""
    me = account_of(request.user)
    if me is None:
        raise Http404("Sign in first.")
    return me


def _fail(request: HttpRequest, exc: Exception) -> None:
    messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))


def collection_index(request: HttpRequest) -> HttpResponse:
    """Every collection (AO3's /collections)."""
    return render(
        request,
        "collections/index.html",
        {"collections": selectors.collections_listed(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def collection_new(request: HttpRequest) -> HttpResponse:
    form = CollectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            collection = services.collection_create(
                actor=request.user, owner=_me(request), **form.service_args()
            )
        except (ValidationError, PermissionDenied, NotFound) as exc:
            _fail(request, exc)
        else:
            return redirect(collection.get_absolute_url())
    return render(request, "collections/new.html", {"form": form})


def collection_detail(request: HttpRequest, name: str) -> HttpResponse:
    """The profile: description, intro, rules, maintainers, sub-collections, the challenge,
    the newest works and the number of mystery works."""
    collection = _collection(name)
    result = search_works(
        request.user, {}, within=WithinWorks(selectors.collection_works_qs(collection)), page_size=5
    )
    mysteries = selectors.mystery_count(collection, request.user)
    context: dict[str, Any] = {
        "collection": collection,
        "works": result.works,
        # AO3's "Works (N)" counts the Mystery Works too (the index's counts do as well).
        "total": result.total + mysteries,
        "mysteries": mysteries,
        "maintainers": collection.participants.filter(
            role__in=["owner", "moderator"]
        ).select_related("user"),
        "children": collection.children.all(),
        "is_maintainer": services.is_maintainer(request.user, collection),
        "signup": selectors.signup_of(collection, request.user),
        "challenge": getattr(collection, "challenge", None),
    }
    return render(request, "collections/detail.html", context)


def collection_works(request: HttpRequest, name: str) -> HttpResponse:
    """The collection's works with the full filter sidebar (the one search plan, within
    the collection's approved works, the viewer's listing rule applied)."""
    collection = _collection(name)
    within = WithinWorks(selectors.collection_works_qs(collection))
    result = search_works(request.user, request.GET, within=within)
    context = filter_context(request, result, action=request.path)
    context["collection"] = collection
    context["mysteries"] = selectors.mystery_count(collection, request.user)
    return render(request, "collections/works.html", context)


class CollectionWorksFeed(Feed):
    """The newest works of a collection as a guest sees them (anonymous bylines,
    unrevealed works left out)."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, name: str):
        return _collection(name)

    def title(self, collection) -> str:
        return _("%(title)s works") % {"title": collection.title}

    def link(self, collection) -> str:
        return reverse("collections:works", args=[collection.name])

    def feed_url(self, collection) -> str:
        return reverse("collections:feed", args=[collection.name])

    def items(self, collection) -> list:
        within = WithinWorks(selectors.collection_works_qs(collection))
        return list(search_works(None, {}, within=within, page_size=FEED_ITEMS).works)

    def item_title(self, work: Work) -> str:
        return work.title

    def item_description(self, work: Work) -> str:
        return work.summary

    def item_link(self, work: Work) -> str:
        return work.get_absolute_url()

    def item_author_name(self, work: Work) -> str:
        pseuds = access.creators_of(work, None)
        return ", ".join(p.name for p in pseuds or []) or _("Anonymous")

    def item_pubdate(self, work: Work):
        return work.published_at

    def item_updateddate(self, work: Work):
        return work.revised_at


collection_feed = CollectionWorksFeed()


@login_required
@require_http_methods(["GET", "POST"])
def collection_items(request: HttpRequest, name: str) -> HttpResponse:
    """Maintainers approve, reject and remove items; POST ``item``, ``action``."""
    collection = _collection(name)
    if not services.is_maintainer(request.user, collection):
        raise Http404("No such page.")
    if request.method == "POST":
        item = CollectionItem.objects.filter(
            collection=collection, pk=posted_id(request.POST, "item")
        ).first()
        action = request.POST.get("action")
        try:
            if item is None or action not in ("approve", "reject", "remove"):
                raise ValidationError(_("Pick an item and an action."))
            if action == "remove":
                services.item_remove(actor=request.user, item=item)
            else:
                services.item_review(actor=request.user, item=item, approve=action == "approve")
            done = {"approve": _("Item approved."), "reject": _("Item rejected.")}
            messages.success(request, done.get(action, _("Item removed.")))
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        return redirect("collections:items", collection.name)
    return render(
        request,
        "collections/items.html",
        {
            "collection": collection,
            "items": selectors.items_for_review(collection, request.user),
            "bookmark_items": selectors_bookmarks.bookmarks_for_review(collection, request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, name: str) -> HttpResponse:
    """A creator adds one of their works (POST ``work``: its id)."""
    collection = _collection(name)
    if request.method == "POST":
        try:
            work = access.access_work(request.user, posted_id(request.POST, "work"))
            item = services.item_add(actor=request.user, collection=collection, work=work)
        except (ValidationError, PermissionDenied, NotFound) as exc:
            _fail(request, exc)
        else:
            if item.approved:
                done = _("Added to %(title)s.")
            else:
                done = _("Added to %(title)s. It awaits approval.")
            messages.success(request, done % {"title": collection.title})
            return redirect(collection.get_absolute_url())
    from ficarchive.works.selectors import works_by_user

    mine = works_by_user(_me(request), request.user)
    return render(request, "collections/item_new.html", {"collection": collection, "works": mine})


@login_required
@require_POST
def collection_reveal_view(request: HttpRequest, name: str) -> HttpResponse:
    collection = _collection(name)
    try:
        count = services.collection_reveal(actor=request.user, collection=collection)
        messages.success(request, _("Revealed %(count)s works.") % {"count": count})
    except (ValidationError, PermissionDenied) as exc:
        _fail(request, exc)
    return redirect(collection.get_absolute_url())


@require_http_methods(["GET", "POST"])
def gifts(request: HttpRequest, username: str) -> HttpResponse:
    """Gifts to a user (AO3's /users/NAME/gifts); the user may refuse one (POST ``gift``),
    and, on their own Refused Gifts view (``?refused=true``, the owner's only: others get
    the gifts page), accept a refused one again (POST ``gift``, ``action=accept``)."""
    owner = User.objects.filter(username__iexact=username).first()
    if owner is None:
        raise Http404("No such user.")
    own = request.user.is_authenticated and request.user.pk == owner.pk
    if request.method == "POST":
        gift = Gift.objects.filter(pk=posted_id(request.POST, "gift"), pseud__user=owner).first()
        accept = request.POST.get("action") == "accept"
        try:
            if gift is None:
                raise ValidationError(_("No such gift."))
            if accept:
                services.gift_accept(actor=request.user, gift=gift)
                messages.success(request, _("Gift accepted: it shows among your gifts again."))
            else:
                services.gift_refuse(actor=request.user, gift=gift)
                messages.success(request, _("Gift refused: it no longer shows anywhere."))
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        url = reverse("collections:gifts", args=[owner.username])
        return redirect(url + ("?refused=true" if accept and own else ""))
    refused = own and request.GET.get("refused") == "true"
    rows = selectors.gifts_for(owner, request.user, refused=refused)
    return render(
        request,
        "collections/gifts.html",
        {"owner": owner, "rows": rows, "own": own, "refused": refused},
    )
