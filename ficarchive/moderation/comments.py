"""Comment moderation a work's creators (and admins) do: "moderate all comments" on a work,
freezing a thread (no more replies) and hiding one (from everyone but the creators and
admins), and the creator's queue of comments awaiting approval across their works.

Comments themselves are feedback's: approving, marking spam and deleting go through
``feedback.services``; this module keeps its own flags and registers them with
``feedback.hooks``."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from ficarchive.accounts.selectors import account_of
from ficarchive.core import changes
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin
from ficarchive.feedback.models import Comment, CommentStatus
from ficarchive.works import access
from ficarchive.works.models import Work

from .models import ThreadFlag, WorkCommentPolicy


def _may_moderate(actor: Viewer, work: Work) -> bool:
    return is_admin(actor) or access.is_creator(actor, work)


@transaction.atomic
def work_moderate_all_set(*, actor: Viewer, work: Work, on: bool) -> WorkCommentPolicy:
    """Hold (or stop holding) every new comment on the work until a creator approves it.
    PermissionDenied unless the actor is a creator of the work or an admin."""
    if not _may_moderate(actor, work):
        raise PermissionDenied(_("Only the work's creators can change how it takes comments."))
    policy, _created = WorkCommentPolicy.objects.get_or_create(work=work)
    policy.moderate_all = on
    policy.save(update_fields=["moderate_all"])
    creator_ids = set(work.creatorships.values_list("pseud__user_id", flat=True))
    transaction.on_commit(lambda: cache.delete_many([_queue_key(i) for i in creator_ids if i]))
    return policy


def moderate_all(work: Any) -> bool:
    """True when the work holds every new comment for approval (a feedback hold)."""
    return WorkCommentPolicy.objects.filter(work_id=work.pk, moderate_all=True).exists()


def _thread_root(comment: Comment) -> Comment:
    root = comment
    seen = set()
    while root.parent_id and root.pk not in seen:
        seen.add(root.pk)
        root = Comment.objects.get(pk=root.parent_id)
    return root


@transaction.atomic
def thread_flag_set(
    *, actor: Viewer, comment: Comment, frozen: bool | None = None, hidden: bool | None = None
) -> ThreadFlag:
    """Freeze or hide the thread a comment belongs to (its top comment's), or undo either.
    NotFound when the actor may not see the comment; PermissionDenied unless they are a
    creator of the work or an admin. Admins' changes go to the audit log."""
    work = Work.objects.prefetch_related("creatorships__pseud").filter(pk=comment.work_id).first()
    if work is None:
        raise NotFound(_("No such comment."))
    if not _may_moderate(actor, work):
        raise PermissionDenied(_("Only the work's creators and admins moderate its threads."))
    root = _thread_root(comment)
    flag, _created = ThreadFlag.objects.get_or_create(comment=root)
    if frozen is not None:
        flag.frozen = frozen
    if hidden is not None:
        flag.hidden = hidden
    flag.changed_by = account_of(actor)
    flag.save()
    changes.work_pages_changed([work.pk])  # cached work pages drop the thread or its Reply
    if is_admin(actor) and not access.is_creator(actor, work):
        audit_record(
            actor=actor,
            action="comment.thread_flag",
            target=f"comment {root.pk}",
            detail={"frozen": flag.frozen, "hidden": flag.hidden},
        )
    return flag


def thread_guard(actor: Viewer, work: Any, parent: Any = None) -> None:
    """No replies in a frozen thread (a feedback guard)."""
    if parent is None:
        return
    if ThreadFlag.objects.filter(comment=_thread_root(parent), frozen=True).exists():
        raise PermissionDenied(_("This thread has been frozen: it takes no more replies."))


def frozen_threads(work: Any) -> set[int]:
    """The work's frozen thread roots (a feedback hook: the page offers no Reply there)."""
    return set(
        ThreadFlag.objects.filter(comment__work_id=work.pk, frozen=True).values_list(
            "comment_id", flat=True
        )
    )


def hidden_thread_roots(work: Any) -> set[int]:
    """The work's hidden thread roots (a feedback hook: its moderators see Unhide there)."""
    return set(
        ThreadFlag.objects.filter(comment__work_id=work.pk, hidden=True).values_list(
            "comment_id", flat=True
        )
    )


def hidden_threads(viewer: Viewer, work: Any) -> list[QuerySet]:
    """Hidden thread roots, for everyone but the work's creators and admins."""
    if _may_moderate(viewer, work):
        return []
    return [
        ThreadFlag.objects.filter(comment__work_id=work.pk, hidden=True).values_list(
            "comment_id", flat=True
        )
    ]


def moderation_queue(user: Viewer) -> QuerySet[Comment]:
    """Comments awaiting approval on any work the user is a creator of, oldest first."""
    account = account_of(user)
    if account is None:
        return Comment.objects.none()
    return (
        Comment.objects.filter(
            status=CommentStatus.PENDING,
            deleted=False,
            work__creatorships__pseud__user=account,
        )
        .select_related("work", "chapter")
        .distinct()
        .order_by("created_at", "id")
    )


# How long the header's answer to "show the Comment Queue link?" is kept: turning
# moderation on or off forgets it at once; a guest comment held on a work without
# moderation shows the link within this time (the work page lists it for its creators).
QUEUE_LINK_SECONDS = 60


def _queue_key(user_id: int) -> str:
    return f"moderation:queue-link:{user_id}"


def comment_queue_shown(user: Viewer) -> bool:
    """Whether the header offers this reader the Comment Queue: AO3 shows it to creators
    whose works moderate comments, so here to a user who is a creator of a work with
    "moderate all comments" on, or who has comments awaiting approval on their works
    (held guest comments). Cached per account for ``QUEUE_LINK_SECONDS``, every page
    asks; the page itself (``views.comment_queue``) is open to any signed-in user and
    shows only their own works' comments."""
    account = account_of(user)
    if account is None:
        return False
    key = _queue_key(account.pk)
    shown = cache.get(key)
    if shown is None:
        mine = Work.objects.filter(creatorships__pseud__user=account)
        shown = (
            WorkCommentPolicy.objects.filter(moderate_all=True, work__in=mine).exists()
            or moderation_queue(account).exists()
        )
        cache.set(key, shown, QUEUE_LINK_SECONDS)
    return bool(shown)


def recent_comments(user: Viewer, *, limit: int = 50) -> QuerySet[Comment]:
    """The latest published comments on the user's works by others, newest first: what a
    creator may mark as spam."""
    account = account_of(user)
    if account is None:
        return Comment.objects.none()
    return (
        Comment.objects.filter(
            status=CommentStatus.PUBLISHED,
            deleted=False,
            work__creatorships__pseud__user=account,
        )
        .exclude(user=account)
        .select_related("work", "chapter", "user", "pseud")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


def spam_on_works_of(user: Viewer, *, limit: int = 50) -> QuerySet[Comment]:
    """Comments marked as spam on the user's works, newest first, to restore by mistake."""
    account = account_of(user)
    if account is None:
        return Comment.objects.none()
    return (
        Comment.objects.filter(status=CommentStatus.SPAM, work__creatorships__pseud__user=account)
        .select_related("work", "chapter", "user", "pseud")
        .distinct()
        .order_by("-created_at", "-id")[:limit]
    )


def thread_flags(work: Work) -> dict[int, ThreadFlag]:
    """The flags of a work's threads, by top comment id."""
    return {f.comment_id: f for f in ThreadFlag.objects.filter(comment__work_id=work.pk)}
