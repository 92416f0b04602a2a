"""Reads of moderation: who blocked whom, muted creators, banned addresses, warnings.
The feedback rules registered in ``apps.ModerationConfig.ready`` live here."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import account_of
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer
from ficarchive.discovery.models import Mute, MuteKind
from ficarchive.feedback.models import Comment, CommentStatus

from .models import AccountNote, BannedAddress, Block, NoteKind


def blocks_of(user: User) -> QuerySet[Block]:
    """The users ``user`` has blocked, newest first."""
    return Block.objects.filter(blocker=user).select_related("blocked")


def creator_mutes_of(user: User) -> QuerySet[Mute]:
    """The users ``user`` has muted (discovery's creator mutes), newest first."""
    return (
        Mute.objects.filter(user=user, kind=MuteKind.CREATOR)
        .select_related("creator")
        .order_by("-created_at", "-id")
    )


def blocked_by_any(blocker_ids: set[int], user_id: int) -> bool:
    """True when any of ``blocker_ids`` has blocked ``user_id``."""
    ids = {i for i in blocker_ids if i and i != user_id}
    return bool(ids) and Block.objects.filter(blocker_id__in=ids, blocked_id=user_id).exists()


def feedback_guard(actor: Viewer, work: Any, parent: Any = None) -> None:
    """Refuse kudos, comments and replies from a user blocked by a creator of the work, and
    replies to a comment whose author blocked them (registered with feedback.hooks)."""
    user = account_of(actor)
    if user is None:
        return
    # One query: a block by any account behind the work's creatorships (a creator cannot
    # block themselves, so no exclusion is needed).
    creator_accounts = work.creatorships.values("pseud__user_id")
    if Block.objects.filter(blocker_id__in=creator_accounts, blocked_id=user.pk).exists():
        raise PermissionDenied(_("Sorry, you have been blocked by the creator of this work."))
    if parent is not None and parent.user_id and blocked_by_any({parent.user_id}, user.pk):
        raise PermissionDenied(_("Sorry, you have been blocked by the author of that comment."))


def person_guard(actor: Viewer, recipient: User) -> None:
    """Refuse a gift, a co-creator invitation, a related-work link to their work or an
    invitation of their work into a collection, to someone who has blocked the actor
    (registered with collections; AO3: a blocked user cannot gift the blocker)."""
    user = account_of(actor)
    if user is not None and blocked_by_any({recipient.pk}, user.pk):
        raise PermissionDenied(_("Sorry, this user has blocked you."))


def blocked_pairs(user_ids: set[int]) -> set[tuple[int, int]]:
    """The (blocker id, blocked id) pairs with both accounts in ``user_ids`` (one query;
    registered with collections for the exchange's matcher)."""
    if not user_ids:
        return set()
    rows = Block.objects.filter(blocker_id__in=user_ids, blocked_id__in=user_ids)
    return set(rows.values_list("blocker_id", "blocked_id"))


def hidden_authors(viewer: Viewer) -> list[QuerySet]:
    """Accounts whose comments the viewer no longer sees: those they blocked or muted, as
    querysets of ids for the comment query to use as subqueries."""
    user = account_of(viewer)
    if user is None:
        return []
    blocked = Block.objects.filter(blocker=user).order_by().values_list("blocked_id", flat=True)
    muted = (
        Mute.objects.filter(user=user, kind=MuteKind.CREATOR, creator__isnull=False)
        .order_by()
        .values_list("creator_id", flat=True)
    )
    return [blocked, muted]


def muted_creator_ids(viewer: Viewer) -> set[int]:
    """Accounts whose works the viewer does not want listed (their creator mutes), for
    ``works.muting`` (registered from ``ModerationConfig.ready``)."""
    user = account_of(viewer)
    if user is None:
        return set()
    return set(
        Mute.objects.filter(user=user, kind=MuteKind.CREATOR, creator__isnull=False).values_list(
            "creator_id", flat=True
        )
    )


def spam_count(user: User) -> int:
    """How many of the account's comments creators or admins marked as spam: part of its
    standing, shown to admins beside suspensions and bans."""
    return Comment.objects.filter(user=user, status=CommentStatus.SPAM).count()


def address_banned(address: str) -> bool:
    """True when the address, or its domain or any parent domain, is banned."""
    address = (address or "").strip().lower()
    if "@" not in address:
        return False
    domain = address.rpartition("@")[2]
    parts = domain.split(".")
    candidates = [address] + [".".join(parts[i:]) for i in range(len(parts) - 1)]
    return BannedAddress.objects.filter(value__in=candidates).exists()


def address_refusal(address: str) -> str | None:
    """The message for a banned sign-up or guest-comment address, or None."""
    if address_banned(address):
        return "This email address can't be used on this archive."
    return None


def _warnings_key(user_id: int) -> str:
    return f"moderation:warnings:{user_id}"


def warnings_unseen(user: Viewer) -> list[AccountNote]:
    """Warnings the user has not dismissed yet, oldest first. Cached per account (every
    page asks), forgotten by the services that add or dismiss one."""
    account = account_of(user)
    if account is None:
        return []
    key = _warnings_key(account.pk)
    found = cache.get(key)
    if found is None:
        found = list(
            AccountNote.objects.filter(
                user=account, kind=NoteKind.WARNING, seen_at__isnull=True
            ).order_by("created_at")
        )
        cache.set(key, found, 300)
    return found


def warnings_forget(user_id: int) -> None:
    """Drop the cached warnings of an account (after a change)."""
    cache.delete(_warnings_key(user_id))
