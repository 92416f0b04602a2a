"""Reads for responses: comment threads, kudos, the inbox and bookmarks. Each applies the
privacy gate (Work.objects.visible_to) itself."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from ficarchive.accounts.standing import write_refusal
from ficarchive.core.compiledqs import compiled_rows
from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import Viewer, is_admin, is_user, user_or_none
from ficarchive.works import access
from ficarchive.works.models import Chapter, Work
from ficarchive.works.muting import muted_works_q

from . import hooks, spam
from .models import Bookmark, Comment, CommentStatus, InboxItem, Kudos
from .services import can_delete_comment, can_edit_comment, guest_key


@dataclass
class CommentNode:
    """A comment in its thread, with what the viewer may do to it."""

    comment: Comment
    replies: list[CommentNode] = field(default_factory=list)
    author_name: str = ""
    author_url: str = ""
    by_creator: bool = False
    can_edit: bool = False
    can_delete: bool = False
    can_reply: bool = False
    # Thread state, set on thread roots for the work's moderators (Freeze or Unfreeze,
    # Hide or Unhide).
    frozen: bool = False
    hidden: bool = False

    @property
    def pk(self) -> int:
        return self.comment.pk


def _viewer(viewer: Viewer) -> Viewer:
    return viewer if is_user(viewer) else None


def work_takes_feedback(work: Work, viewer: Viewer) -> bool:
    """True when the viewer may see the work and it is posted (drafts have no comments):
    ``access.may_read`` on the loaded work, no query."""
    return work.posted and access.may_read(viewer, work)


def _author(c: Comment, anonymous_creator: bool) -> tuple[str, str]:
    """A comment's byline and link; creators of an anonymous work stay anonymous."""
    if c.deleted:
        return "", ""
    if anonymous_creator:
        return "Anonymous Creator", ""
    if c.pseud_id:
        return c.pseud.display_name, c.pseud.get_absolute_url()
    if c.user_id:
        return c.user.username, c.user.get_absolute_url()
    return c.guest_name or "Guest", ""


def comment_thread(work: Work, viewer: Viewer, chapter: Chapter | None = None) -> list[CommentNode]:
    """The comment threads of a work (every chapter's) or of one chapter, oldest first,
    built in Python from one query. Empty for drafts and works the viewer may not see."""
    if not work_takes_feedback(work, viewer):
        return []
    return _thread(
        work, viewer, chapter, may_comment=comment_permission_for(work, viewer)["allowed"]
    )


def _thread(
    work: Work, viewer: Viewer, chapter: Chapter | None, *, may_comment: bool
) -> list[CommentNode]:
    """comment_thread after its access check (one query; none when the work's comment
    counter, kept exact by the services, says it has no published comment)."""
    if not work.comment_count:
        return []
    qs = Comment.objects.filter(work=work, status=CommentStatus.PUBLISHED).select_related(
        "pseud__user", "user", "chapter"
    )
    if chapter is not None:
        qs = qs.filter(chapter=chapter)
    for hidden in hooks.hidden_authors(viewer):  # blocked and muted commenters, as
        qs = qs.exclude(user_id__in=hidden)  # subqueries; their replies go with them
    for hidden in hooks.hidden_comments(viewer, work):  # hidden threads, the same way
        qs = qs.exclude(pk__in=hidden)
    comments = list(qs.order_by("created_at", "id"))
    creator_ids = {c.pseud.user_id for c in work.creatorships.all() if c.pseud.user_id}
    hide_creators = not access.creators_shown(work, viewer)
    may_comment = comment_permission_for(work, viewer)["allowed"]
    nodes = {}
    for c in comments:
        node = CommentNode(comment=c)
        node.by_creator = c.user_id in creator_ids
        node.author_name, node.author_url = _author(c, node.by_creator and hide_creators)
        node.can_edit = can_edit_comment(viewer, c)
        node.can_delete = can_delete_comment(viewer, c, work)
        node.can_reply = may_comment and not c.deleted
        nodes[c.pk] = node
    roots: list[CommentNode] = []
    for c in comments:
        node = nodes[c.pk]
        parent = nodes.get(c.parent_id) if c.parent_id else None
        if parent is not None:
            parent.replies.append(node)
        elif c.parent_id is None:
            roots.append(node)
        # A reply whose parent is on another chapter's page is not shown here.
    frozen = hooks.frozen_threads(work) if may_comment and comments else set()
    stack = [n for n in roots if n.pk in frozen]
    while stack:  # a frozen thread offers no Reply anywhere in it
        node = stack.pop()
        node.can_reply = False
        stack.extend(node.replies)
    return roots


def work_page_feedback(
    work: Work, viewer: Viewer, *, chapter: Chapter | None, guest_address: str | None
) -> dict[str, Any]:
    """The work page's feedback block, for a work the caller has already let the viewer
    read (works.views runs the access check once; this does not repeat it). Drafts take no
    feedback: {"active": False}. Else "thread" (the comments of `chapter` when one chapter
    of a multi-chapter work is shown, else all), "chapter", "kudos" (kudos_summary),
    "bookmark" (the viewer's own), "permission" (comment_permission_for), "post_chapter"
    (where a new comment goes), "pseuds" (the viewer's, to comment as), "pending" (the
    moderation queue, for the work's creators) and "moderator" (may freeze and hide
    threads: a creator or an admin)."""
    if not work.posted:
        return {"active": False}
    on_chapter = chapter if (chapter is not None and work.chapter_count > 1) else None
    permission = comment_permission_for(work, viewer)
    thread = _thread(work, viewer, on_chapter, may_comment=permission["allowed"])
    moderator = spam.may_moderate(viewer, work)
    if moderator and thread:  # two queries, for the work's creators and admins only
        frozen, hidden = hooks.frozen_threads(work), hooks.hidden_thread_roots(work)
        for root in thread:
            root.frozen, root.hidden = root.pk in frozen, root.pk in hidden
    return {
        "active": True,
        "thread": thread,
        "chapter": on_chapter,
        "kudos": kudos_summary(work, viewer, guest_address),
        "bookmark": bookmark_of(work, viewer),
        "permission": permission,
        "post_chapter": chapter,
        "pseuds": commenter_pseuds(viewer),
        "pending": spam.pending_comments(work, viewer),
        "moderator": moderator,
    }


def comment_permission_for(work: Work, viewer: Viewer) -> dict[str, Any]:
    """Whether the viewer may comment, and as a guest (name and email asked) or not:
    ``{"allowed": bool, "guest": bool, "reason": str (translated, "" when allowed),
    "blocked": bool, "read_only": bool (only when True: the account may not write now,
    accounts.standing.write_refusal, so no kudos, comment or bookmark controls)}``. A signed-in reader refused by a feedback guard (blocked by a
    creator: AO3 shows a blocked user neither the kudos button nor the comment form) is
    not allowed, with the guard's reason."""
    from ficarchive.works.models import CommentPermission

    if work.comment_permission == CommentPermission.DISABLED or work.hidden_by_admin:
        return {
            "allowed": False,
            "guest": False,
            "reason": _("Sorry, this work doesn't allow comments."),
            "blocked": False,
        }
    if is_user(viewer):
        # A read-only account (suspended, banned, unconfirmed) is refused at the write door
        # (moderation.middleware); offering the forms would only lead to a 403 page.
        refusal = write_refusal(viewer)
        if refusal:
            return {
                "allowed": False,
                "guest": False,
                "reason": refusal,
                "blocked": False,
                "read_only": True,
            }
        try:
            hooks.feedback_guards_check(viewer, work)
        except PermissionDenied as refusal:
            return {"allowed": False, "guest": False, "reason": str(refusal), "blocked": True}
        return {"allowed": True, "guest": False, "reason": "", "blocked": False}
    if work.comment_permission == CommentPermission.ANYONE:
        return {"allowed": True, "guest": True, "reason": "", "blocked": False}
    return {
        "allowed": False,
        "guest": False,
        "reason": _("Sorry, this work only allows comments by logged-in users."),
        "blocked": False,
    }


def commenter_pseuds(viewer: Viewer) -> list[Any]:
    """The pseuds a logged-in viewer may comment as, the default first (empty for guests)."""
    if not is_user(viewer):
        return []
    return list(viewer.pseuds.order_by("-is_default", "name"))


def comment_get_for_viewer(comment_id: int, viewer: Viewer) -> Comment:
    """A published comment on a work the viewer may see; NotFound otherwise."""
    comment = (
        Comment.objects.select_related("work", "chapter", "pseud__user", "user")
        .filter(pk=comment_id, status=CommentStatus.PUBLISHED, work__posted=True)
        .first()
    )
    if (
        comment is None
        or not Work.objects.visible_to(_viewer(viewer)).filter(pk=comment.work_id).exists()
    ):
        raise NotFound(_("No such comment."))
    return comment


# The guests' kudos count read with the work page's row (works.pages), saving a query.
GUEST_KUDOS_FLAG = "feedback_guest_kudos"


def guest_kudos_flag() -> Any:
    """The number of guests' kudos on a work, as a subquery on ``Work`` (``OuterRef("pk")``)."""
    guests = (
        Kudos.objects.filter(work_id=OuterRef("pk"), user__isnull=True)
        .order_by()
        .values("work_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(guests), 0)


def _givers(limit: int) -> Any:
    """The newest ``limit`` kudos by account holders on a work, with their users."""

    def build(work_id: int) -> Any:
        kudos = Kudos.objects.filter(work_id=work_id, user__isnull=False).select_related("user")
        return kudos.order_by("-created_at")[:limit]

    return build


def kudos_summary(
    work: Work, viewer: Viewer, guest_address: str | None = None, limit: int = 100
) -> dict[str, Any]:
    """Who left kudos (account holders by name, newest first, guests as a number), and
    whether the viewer already did. No query when the work's kudos counter is 0."""
    if not work.kudos_count:
        empty = {"users": [], "guests": 0, "more": 0, "given": False}
        return {**empty, "is_creator": work.is_creator(viewer)}
    givers = compiled_rows(f"feedback.kudos.givers.{limit}", Kudos, _givers(limit), work.pk)
    guests = getattr(work, GUEST_KUDOS_FLAG, None)
    if guests is None:  # the work was not read by the work page (works.pages flags)
        guests = Kudos.objects.filter(work=work, user__isnull=True).count()
    account = user_or_none(viewer)
    if account is not None:
        given = any(k.user_id == account.pk for k in givers) or (
            len(givers) >= limit and Kudos.objects.filter(work=work, user_id=account.pk).exists()
        )
    elif guest_address:
        given = Kudos.objects.filter(
            work=work, user__isnull=True, guest_key=guest_key(guest_address)
        ).exists()
    else:
        given = False
    total = work.kudos_count
    return {
        "users": [k.user for k in givers],
        "guests": guests,
        "more": max(0, total - len(givers) - guests),
        "given": given,
        "is_creator": work.is_creator(viewer),
    }


def bookmark_of(work: Work, viewer: Viewer) -> Bookmark | None:
    """The viewer's own bookmark of the work, if any."""
    account = user_or_none(viewer)
    if account is None:
        return None
    return Bookmark.objects.filter(work=work, user_id=account.pk).prefetch_related("tags").first()


def bookmark_get_own(bookmark_id: int, viewer: Viewer) -> Bookmark:
    """One of the viewer's bookmarks (admins: anyone's), on a work they may see."""
    account = user_or_none(viewer)
    if account is None:
        raise NotFound(_("No such bookmark."))
    qs = (
        Bookmark.objects.select_related("work", "pseud")
        .prefetch_related("tags")
        .filter(pk=bookmark_id)
    )
    if not is_admin(viewer):
        qs = qs.filter(user_id=account.pk)
    bookmark = qs.first()
    if bookmark is None or not Work.objects.visible_to(viewer).filter(pk=bookmark.work_id).exists():
        raise NotFound(_("No such bookmark."))
    return bookmark


def bookmarks_for_user(owner: Any, viewer: Viewer) -> QuerySet[Bookmark]:
    """A user's bookmarks as the viewer may see them: private ones only for the owner, and
    only of works the viewer may see; none of a user the viewer blocked or muted, nor of a
    named work by a creator they muted; newest first, ready for blurbs."""
    visible = Work.objects.listed_for(_viewer(viewer))
    qs = Bookmark.objects.filter(user=owner, work__in=visible.values("pk"))
    if not (is_user(viewer) and viewer.pk == owner.pk):
        qs = qs.filter(private=False)
        for hidden in hooks.hidden_authors(viewer):  # users the viewer blocked or muted
            qs = qs.exclude(user_id__in=hidden)
        muted = muted_works_q(viewer)  # AO3: bookmarks of a muted creator's works too
        if muted is not None:
            qs = qs.exclude(work__in=Work.objects.filter(muted).values("pk"))
    return (
        qs.select_related("pseud__user")
        .prefetch_related(
            "tags",
            Prefetch("work", queryset=Work.objects.with_blurb_data()),
        )
        .order_by("-created_at", "-id")
    )


def inbox_for(owner: Any, viewer: Viewer, *, unread_only: bool = False) -> QuerySet[InboxItem]:
    """The owner's comment notifications, newest first; only the owner may read them."""
    if not is_user(viewer) or viewer.pk != owner.pk:
        raise NotFound(_("No such inbox."))
    visible = Work.objects.visible_to(viewer).filter(posted=True).values("pk")
    qs = InboxItem.objects.filter(user=owner, comment__work__in=visible).select_related(
        "comment__work",
        "comment__chapter",
        "comment__pseud__user",
        "comment__user",
        "comment__parent",
    )
    if unread_only:
        qs = qs.filter(read=False)
    return qs.prefetch_related("comment__work__creatorships__pseud").order_by("-created_at", "-id")


def inbox_with_authors(items: Any, viewer: Viewer) -> list[InboxItem]:
    """Set author_name and author_url on inbox items (a page of them), hiding the creators of
    anonymous works."""
    items = list(items)
    for item in items:
        c = item.comment
        creators = {cs.pseud.user_id for cs in c.work.creatorships.all()}
        anonymous = c.user_id in creators and not access.creators_shown(c.work, viewer)
        item.author_name, item.author_url = _author(c, anonymous)
    return items


INBOX_COUNT_TTL = 30  # seconds; bounds staleness after writes no service saw (cascades)


def _inbox_count_key(user_id: int) -> str:
    return f"feedback:inbox_unread:{user_id}"


def inbox_unread_count(user: Viewer) -> int:
    """The user's unread inbox items (0 for guests)."""
    account = user_or_none(user)
    if account is None:
        return 0
    return InboxItem.objects.filter(user_id=account.pk, read=False).count()


def inbox_unread_count_cached(user: Viewer) -> int:
    """inbox_unread_count for the header on every page: kept in the cache (dropped by the
    services that change inboxes, and after INBOX_COUNT_TTL), so pages cost no query."""
    account = user_or_none(user)
    if account is None:
        return 0
    key = _inbox_count_key(account.pk)
    count = cache.get(key)
    if count is None:
        count = inbox_unread_count(account)
        cache.set(key, count, INBOX_COUNT_TTL)
    return count


def inbox_count_forget(user_ids: Any) -> None:
    """Drop the cached counts of these users (after their inbox changed)."""
    cache.delete_many([_inbox_count_key(uid) for uid in set(user_ids)])
