"""Writes to collections: creating and editing them, maintainers, the works in them
(adding, inviting, approving, rejecting, removing) and the reveal.

The anonymous and unrevealed flags reach the works through
``works.services.works_collection_state_set`` (``_sync_works``), so the one access module
(``works.access``) hides bylines and works on every surface."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.html import sanitize_html
from ficarchive.core.viewers import Viewer, is_admin, is_user
from ficarchive.works import access
from ficarchive.works.models import Creatorship, Work
from ficarchive.works.services import works_collection_state_set

from ..models import (
    Approval,
    ChallengeKind,
    Collection,
    CollectionItem,
    CollectionParticipant,
    Gift,
    Role,
    collection_name_validator,
)
from ..notify import gift_announce, person_guards_check, reveal_announce

MAINTAINER_ROLES = (Role.OWNER, Role.MODERATOR)


def viewer_id(viewer: Viewer) -> int:
    """The signed-in viewer's account id (callers have checked ``is_user``); 0 otherwise."""
    return int(getattr(viewer, "pk", 0) or 0)


def is_maintainer(viewer: Viewer, collection: Collection) -> bool:
    """Owners and moderators of the collection (or of a parent), and admins."""
    if is_admin(viewer):
        return True
    if not is_user(viewer):
        return False
    ids = [collection.pk] + ([collection.parent_id] if collection.parent_id else [])
    return CollectionParticipant.objects.filter(
        collection_id__in=ids, user_id=viewer_id(viewer), role__in=MAINTAINER_ROLES
    ).exists()


def is_owner(viewer: Viewer, collection: Collection) -> bool:
    if is_admin(viewer):
        return True
    return (
        is_user(viewer)
        and CollectionParticipant.objects.filter(
            collection=collection, user_id=viewer_id(viewer), role=Role.OWNER
        ).exists()
    )


def _need_maintainer(actor: Viewer, collection: Collection) -> None:
    if not is_maintainer(actor, collection):
        raise PermissionDenied(_("Only the collection's maintainers can do that."))


@transaction.atomic
def collection_create(
    *,
    actor: Viewer,
    owner: User,
    name: str,
    title: str,
    description: str = "",
    rules: str = "",
    intro: str = "",
    parent: Collection | None = None,
    moderated: bool = False,
    closed: bool = False,
    anonymous: bool = False,
    unrevealed: bool = False,
    reveal_at: dt.datetime | None = None,
    challenge: str = ChallengeKind.NONE,
) -> Collection:
    """A new collection owned by ``owner``; a gift exchange or prompt meme gets its
    challenge settings (``challenges.challenge_ensure``). Raises ``ValidationError`` (a bad
    or taken name, no title, both kinds of challenge), ``PermissionDenied`` (a parent the
    actor does not maintain)."""
    from .challenges import challenge_ensure

    collection_name_validator(name)
    if Collection.objects.filter(name__iexact=name).exists():
        raise ValidationError(_("A collection named %(name)s already exists.") % {"name": name})
    title = " ".join(title.split())[:255]
    if not title:
        raise ValidationError(_("A collection needs a title."))
    if challenge not in ChallengeKind.values:
        raise ValidationError(
            _("Unknown challenge type %(challenge)s.") % {"challenge": repr(challenge)}
        )
    if parent is not None:
        _need_maintainer(actor, parent)
        if parent.parent_id:
            raise ValidationError(_("A sub-collection cannot have sub-collections of its own."))
    collection = Collection.objects.create(
        name=name,
        title=title,
        description=sanitize_html(description),
        rules=sanitize_html(rules),
        intro=sanitize_html(intro),
        parent=parent,
        moderated=moderated,
        closed=closed,
        anonymous=anonymous,
        unrevealed=unrevealed,
        reveal_at=reveal_at,
        challenge_kind=challenge,
    )
    CollectionParticipant.objects.create(collection=collection, user=owner, role=Role.OWNER)
    if challenge:
        challenge_ensure(collection)
    audit_record(actor=actor, action="collection.create", target=name)
    return collection


@transaction.atomic
def collection_update(*, actor: Viewer, collection: Collection, **fields: object) -> Collection:
    """Change the profile (``title``, ``description``, ``intro``, ``rules``: HTML sanitized)
    or settings (``moderated``, ``closed``, ``reveal_at``). Anonymity and unrevealing are
    turned off by ``collection_reveal`` only. Raises ``PermissionDenied``, ``ValidationError``."""
    _need_maintainer(actor, collection)
    allowed = {"title", "description", "intro", "rules", "moderated", "closed", "reveal_at"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(
            _("Cannot change %(value)s here.") % {"value": ", ".join(sorted(unknown))}
        )
    for key, value in fields.items():
        if key in ("description", "intro", "rules"):
            value = sanitize_html(str(value or ""))
        if key == "title":
            value = " ".join(str(value).split())[:255]
            if not value:
                raise ValidationError(_("A collection needs a title."))
        setattr(collection, key, value)
    collection.save(update_fields=list(fields))
    return collection


@transaction.atomic
def maintainer_set(*, actor: Viewer, collection: Collection, user: User, role: str | None) -> None:
    """Make ``user`` an owner or moderator (``role``), or no maintainer (None). Owners only;
    the last owner cannot step down. Raises ``PermissionDenied``, ``ValidationError``."""
    if not is_owner(actor, collection):
        raise PermissionDenied(_("Only the collection's owners can change its maintainers."))
    if role is not None and role not in Role.values:
        raise ValidationError(_("Unknown role %(role)s.") % {"role": repr(role)})
    owners = CollectionParticipant.objects.filter(collection=collection, role=Role.OWNER)
    if role != Role.OWNER and list(owners.values_list("user_id", flat=True)) == [user.pk]:
        raise ValidationError(_("A collection needs at least one owner."))
    if role is None:
        CollectionParticipant.objects.filter(collection=collection, user=user).delete()
    else:
        CollectionParticipant.objects.update_or_create(
            collection=collection, user=user, defaults={"role": role}
        )


def _sync_works(work_ids: list[int]) -> None:
    """Recompute each work's collection flags from its items (rejected ones do not count)."""
    states = {wid: (False, False) for wid in work_ids}
    items = CollectionItem.objects.filter(work_id__in=work_ids).exclude(
        Q(collection_approval=Approval.REJECTED) | Q(creator_approval=Approval.REJECTED)
    )
    for wid, anonymous, unrevealed in items.values_list("work_id", "anonymous", "unrevealed"):
        old = states[wid]
        states[wid] = (old[0] or anonymous, old[1] or unrevealed)
    works_collection_state_set(states=states)


def _is_creator(actor: Viewer, work: Work) -> bool:
    return (
        is_user(actor)
        and Creatorship.objects.filter(work=work, pseud__user_id=viewer_id(actor)).exists()
    )


@transaction.atomic
def item_add(*, actor: Viewer, collection: Collection, work: Work) -> CollectionItem:
    """Put a work in a collection. Its creator adds it (approved at once unless the
    collection is moderated); a maintainer may invite someone else's work (the creator
    approves). A closed collection takes works from its maintainers only. The item is
    anonymous and unrevealed as the collection is now. Raises ``PermissionDenied``,
    ``ValidationError`` (already in it, closed), ``NotFound`` (a work the actor cannot see)."""
    creator = _is_creator(actor, work)
    maintainer = is_maintainer(actor, collection)
    if not creator:
        access.access_work(actor, work.pk)  # NotFound when the actor may not see it
    if not creator and not maintainer:
        raise PermissionDenied(_("Only a work's creators can add it to a collection."))
    if not creator:  # a maintainer's invitation reaches the work's creators
        for owner in User.objects.filter(pseuds__creatorships__work=work).distinct():
            person_guards_check(actor, owner)  # someone who blocked the maintainer
    if collection.closed and not maintainer:
        raise ValidationError(
            _("The collection %(title)s is closed to new works.") % {"title": collection.title}
        )
    if CollectionItem.objects.filter(collection=collection, work=work).exists():
        raise ValidationError(_("That work is already in %(title)s.") % {"title": collection.title})
    item = CollectionItem.objects.create(
        collection=collection,
        work=work,
        collection_approval=(
            Approval.APPROVED if maintainer or not collection.moderated else Approval.PENDING
        ),
        creator_approval=Approval.APPROVED if creator else Approval.PENDING,
        anonymous=collection.anonymous,
        unrevealed=collection.unrevealed,
    )
    _sync_works([work.pk])
    return item


@transaction.atomic
def item_review(*, actor: Viewer, item: CollectionItem, approve: bool) -> CollectionItem:
    """Approve or reject an item: as a maintainer for the collection, as the work's creator
    for the work (an invitation). Raises ``PermissionDenied``."""
    decision = Approval.APPROVED if approve else Approval.REJECTED
    fields = []
    if is_maintainer(actor, item.collection):
        item.collection_approval = decision
        fields.append("collection_approval")
    if _is_creator(actor, item.work):
        item.creator_approval = decision
        fields.append("creator_approval")
    if not fields:
        raise PermissionDenied(_("Only maintainers or the work's creators can review it."))
    item.save(update_fields=fields)
    _sync_works([item.work_id])
    return item


@transaction.atomic
def item_remove(*, actor: Viewer, item: CollectionItem) -> None:
    """Take the work out of the collection (maintainers, or the work's creators)."""
    if not (is_maintainer(actor, item.collection) or _is_creator(actor, item.work)):
        raise PermissionDenied(_("Only maintainers or the work's creators can remove it."))
    work_id = item.work_id
    item.delete()
    _sync_works([work_id])


@transaction.atomic
def collection_reveal(*, actor: Viewer, collection: Collection) -> int:
    """Reveal the collection: its works (unrevealed) and their creators (anonymous), and
    those of its sub-collections; the collection takes new works named from then on.
    Returns how many works were revealed. Raises ``ValidationError`` when there is nothing
    to reveal (already revealed, or never anonymous nor unrevealed), ``PermissionDenied``."""
    _need_maintainer(actor, collection)
    locked = Collection.objects.select_for_update().get(pk=collection.pk)
    family = [locked, *Collection.objects.filter(parent=locked)]
    if not any(c.anonymous or c.unrevealed for c in family):
        if locked.revealed_at:
            raise ValidationError(_("%(title)s was already revealed.") % {"title": locked.title})
        raise ValidationError(
            _("%(title)s is neither anonymous nor unrevealed.") % {"title": locked.title}
        )
    now = timezone.now()
    for c in family:
        c.anonymous = c.unrevealed = False
        c.revealed_at = c.revealed_at or now
        c.save(update_fields=["anonymous", "unrevealed", "revealed_at"])
    items = CollectionItem.objects.filter(collection__in=family)
    work_ids = list(items.values_list("work_id", flat=True))
    items.update(anonymous=False, unrevealed=False)
    _sync_works(work_ids)
    _gifts_announce_revealed(work_ids, occasion=f"reveal:{locked.pk}")
    reveal_announce(work_ids=work_ids, occasion=f"reveal:{locked.pk}")
    collection.anonymous = collection.unrevealed = False
    collection.revealed_at = locked.revealed_at
    audit_record(actor=actor, action="collection.reveal", target=locked.name)
    return len(work_ids)


def _gifts_announce_revealed(work_ids: list[int], *, occasion: str) -> None:
    """Tell the recipients of the revealed works' gifts (not told while the works were
    unrevealed, as on AO3); a work still unrevealed elsewhere waits for that reveal."""
    by_work: dict[int, list[User]] = {}
    gifts = Gift.objects.filter(
        work_id__in=work_ids, refused=False, pseud__user__isnull=False
    ).select_related("pseud__user")
    for gift in gifts:
        user = gift.pseud.user if gift.pseud is not None else None
        if user is not None:
            by_work.setdefault(gift.work_id, []).append(user)
    for work_id, users in by_work.items():
        gift_announce(work_id=work_id, url="", users=users, occasion=occasion)


def collections_reveal_due(*, now: dt.datetime | None = None) -> list[str]:
    """Reveal every collection whose reveal date has come (for ``ficarchive collection
    reveal --due``, run from cron or the worker). Returns their names."""
    from ficarchive.core.viewers import OPERATOR

    now = now or timezone.now()
    due = Collection.objects.filter(reveal_at__lte=now).filter(
        Q(anonymous=True) | Q(unrevealed=True)
    )
    names = []
    for collection in due:
        collection_reveal(actor=OPERATOR, collection=collection)
        names.append(collection.name)
    return names


def collection_by_name(name: str) -> Collection:
    """The collection of that name (case-insensitive). Raises ``NotFound``."""
    collection = Collection.objects.filter(name__iexact=name).first()
    if collection is None:
        raise NotFound(_("No collection named %(name)s.") % {"name": name})
    return collection
