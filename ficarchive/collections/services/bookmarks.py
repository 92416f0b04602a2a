"""Bookmarks in collections (AO3: a user adds their own bookmark to a collection; a
moderated collection holds it until a maintainer approves it, as it does works)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.feedback.models import Bookmark
from ficarchive.works import access

from ..models import Approval, Collection, CollectionBookmark
from .collections import is_maintainer, viewer_id


@transaction.atomic
def bookmark_item_add(
    *, actor: Viewer, collection: Collection, bookmark: Bookmark
) -> CollectionBookmark:
    """Put the actor's own bookmark in a collection: approved at once, or pending when the
    collection is moderated and the actor is not one of its maintainers. Raises
    ``PermissionDenied`` (someone else's bookmark), ``ValidationError`` (a private bookmark,
    a closed collection, already in it), ``NotFound`` (a work the actor may no longer see)."""
    if not is_user(actor) or bookmark.user_id != viewer_id(actor):
        raise PermissionDenied(_("Only a bookmark's owner can add it to a collection."))
    access.access_work(actor, bookmark.work_id)  # NotFound when the work is gone from view
    if bookmark.private:
        raise ValidationError(_("A private bookmark cannot be added to a collection."))
    maintainer = is_maintainer(actor, collection)
    if collection.closed and not maintainer:
        raise ValidationError(
            _("The collection %(title)s is closed to new bookmarks.") % {"title": collection.title}
        )
    if CollectionBookmark.objects.filter(collection=collection, bookmark=bookmark).exists():
        raise ValidationError(
            _("That bookmark is already in %(title)s.") % {"title": collection.title}
        )
    approved = maintainer or not collection.moderated
    return CollectionBookmark.objects.create(
        collection=collection,
        bookmark=bookmark,
        collection_approval=Approval.APPROVED if approved else Approval.PENDING,
    )


@transaction.atomic
def bookmark_item_review(*, actor: Viewer, item: CollectionBookmark, approve: bool) -> None:
    """Approve or reject a bookmark in the collection (its maintainers). Raises
    ``PermissionDenied``."""
    if not is_maintainer(actor, item.collection):
        raise PermissionDenied(_("Only the collection's maintainers can review bookmarks."))
    item.collection_approval = Approval.APPROVED if approve else Approval.REJECTED
    item.save(update_fields=["collection_approval"])


@transaction.atomic
def bookmark_item_remove(*, actor: Viewer, item: CollectionBookmark) -> None:
    """Take the bookmark out of the collection (its maintainers, or the bookmark's owner).
    Raises ``PermissionDenied``."""
    own = is_user(actor) and item.bookmark.user_id == viewer_id(actor)
    if not (own or is_maintainer(actor, item.collection)):
        raise PermissionDenied(
            _("Only maintainers or the bookmark's owner can remove it from the collection.")
        )
    item.delete()
