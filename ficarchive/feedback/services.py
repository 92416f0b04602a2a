"""Writes for responses: kudos, comments, the inbox and bookmarks. Web views and the API
call these; each checks who may do what itself, so no caller can skip a rule.

Errors: NotFound when the actor may not see the work (the same answer as "no such work",
so restricted works and drafts never leak), PermissionDenied when they may see it but not
do this, ValidationError for bad input."""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.selectors import account_of
from ficarchive.core import changes
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.html import has_block_markup, sanitize_comment_html
from ficarchive.core.viewers import Viewer, is_admin, is_user
from ficarchive.tags.models import Tag
from ficarchive.tags.services import split_tag_list, tags_find_or_create
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works import access, limits
from ficarchive.works.models import Chapter, CommentPermission, Work
from ficarchive.works.services import work_counter_add
from ficarchive.works.text import html_to_text

from . import hooks, spam
from .models import Bookmark, Comment, CommentStatus, InboxItem, Kudos

# AO3's limits, from the one place every door reads them (works/limits.py).
COMMENT_MAX = limits.COMMENT_MAX  # in characters as typed
BOOKMARK_NOTES_MAX = limits.NOTES_MAX
BOOKMARK_TAGS_MAX = limits.USER_TAGS_MAX
GUEST_NAME_MAX = 100


def guest_key(address: str) -> str:
    """A keyed hash of a guest's network address: enough to refuse a second kudos, useless
    for finding the address again without the secret key."""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


def work_for_feedback(actor: Viewer, work: Work | int) -> Work:
    """The work, if the actor may respond to it (``access.access_work`` with
    ``Need.FEEDBACK``): NotFound when they may not see it or it is a draft (drafts take no
    feedback, not even from their creators), PermissionDenied when an admin hid it."""
    return access.access_work(actor, work, need=access.Need.FEEDBACK)


def _sync(target: Work | None, source: Work, field: str) -> None:
    if target is not None and target is not source:
        setattr(target, field, getattr(source, field))


# --- Kudos ----------------------------------------------------------------------------


@transaction.atomic
def kudos_give(*, actor: Viewer, work: Work, guest_address: str | None = None) -> Kudos:
    """Leave kudos: once per account, once per guest address. Creators cannot give kudos
    to their own work. Keeps Work.kudos_count in step in the same transaction."""
    found = work_for_feedback(actor, work)
    hooks.feedback_guards_check(actor, found)
    account = account_of(actor)
    if account is not None:
        if access.is_creator(account, found):
            raise PermissionDenied(_("You can't leave kudos on your own work."))
        kudos = Kudos(work=found, user=account)
        exists = Kudos.objects.filter(work=found, user=account).exists()
    else:
        if not guest_address:
            raise ValidationError(_("A guest's kudos needs the guest's address."))
        key = guest_key(guest_address)
        kudos = Kudos(work=found, guest_key=key)
        exists = Kudos.objects.filter(work=found, user__isnull=True, guest_key=key).exists()
    if exists:
        raise ValidationError(_("You have already left kudos here. :)"))
    try:
        with transaction.atomic():
            kudos.save()
    except IntegrityError:  # a second click racing the first
        raise ValidationError(_("You have already left kudos here. :)"))
    work_counter_add(work_id=found.pk, counter="kudos_count", delta=1)
    changes.kudos_given([kudos.pk])
    found.refresh_from_db(fields=["kudos_count"])
    _sync(work, found, "kudos_count")
    return kudos


# --- Comments -------------------------------------------------------------------------


def comment_body_to_html(body: str) -> str:
    """A comment as stored: sanitized HTML; plain text (or text with inline markup only)
    becomes paragraphs at blank lines and line breaks at single newlines."""
    cleaned = sanitize_comment_html(body.replace("\r\n", "\n").replace("\r", "\n"))
    if has_block_markup(cleaned.replace("<br>", "")):
        return cleaned
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n", cleaned.strip()) if p.strip()]
    return "\n".join(
        "<p>" + "<br>".join(line.strip() for line in p.split("\n")) + "</p>" for p in paragraphs
    )


def _clean_comment_body(body: str) -> str:
    if not body or not body.strip():
        raise ValidationError({"body": _("Please enter a comment.")})
    if len(body.strip()) > COMMENT_MAX:
        raise ValidationError(
            {
                "body": _("A comment can be at most %(max)s characters (this one is %(length)s).")
                % {"max": f"{COMMENT_MAX:,}", "length": f"{len(body.strip()):,}"}
            }
        )
    html = comment_body_to_html(body)
    if not html_to_text(html).strip() and "<img" not in html:
        raise ValidationError(
            {
                "body": _(
                    "Please enter a comment (nothing readable is left once unsafe markup "
                    "is removed)."
                )
            }
        )
    return html


def _check_comment_permission(actor: Viewer, work: Work) -> None:
    if work.comment_permission == CommentPermission.DISABLED:
        raise PermissionDenied(_("Sorry, this work doesn't allow comments."))
    if not is_user(actor) and work.comment_permission != CommentPermission.ANYONE:
        raise PermissionDenied(_("Sorry, this work only allows comments by logged-in users."))


def _inbox_changed(user_ids: Iterable[int]) -> None:
    """Drop the header's cached unread counts of these users once the change is committed
    (and now, so this request's own pages see it too)."""
    from .selectors import inbox_count_forget

    ids = list(user_ids)
    if ids:
        inbox_count_forget(ids)
        transaction.on_commit(lambda: inbox_count_forget(ids))


def _notify(comment: Comment, work: Work, parent: Comment | None) -> None:
    """Inbox items: each creator of the work for a comment not their own, and the author of
    the comment replied to."""
    recipients: list[int] = []
    for creatorship in work.creatorships.all():
        uid = creatorship.pseud.user_id
        if uid is not None and uid != comment.user_id and uid not in recipients:
            recipients.append(uid)
    if (
        parent is not None
        and parent.user_id
        and parent.user_id != comment.user_id
        and parent.user_id not in recipients
    ):
        recipients.append(parent.user_id)
    InboxItem.objects.bulk_create([InboxItem(user_id=uid, comment=comment) for uid in recipients])
    _inbox_changed(recipients)
    changes.comments_published([comment.pk])


@transaction.atomic
def comment_create(
    *,
    actor: Viewer,
    work: Work,
    body: str,
    chapter: Chapter | None = None,
    parent: Comment | None = None,
    guest_name: str = "",
    guest_email: str = "",
    pseud: Pseud | None = None,
) -> Comment:
    """Comment on a work, on one of its chapters, or reply to a comment. Guests comment with
    a name and an email only where the work allows anyone to. Notifies creators and the
    author of the comment replied to; keeps Work.comment_count in step."""
    found = work_for_feedback(actor, work)
    _check_comment_permission(actor, found)
    hooks.feedback_guards_check(actor, found, parent)
    if parent is not None:
        if parent.work_id != found.pk or parent.status != CommentStatus.PUBLISHED:
            raise NotFound(_("No such comment."))
        if parent.deleted:
            raise ValidationError(_("You can't reply to a deleted comment."))
        chapter_id = parent.chapter_id
    elif chapter is not None:
        if chapter.work_id != found.pk or not chapter.posted:
            raise NotFound(_("No such chapter."))
        chapter_id = chapter.pk
    else:
        chapter_id = None
    errors: dict[str, list[str]] = {}
    html = ""
    try:
        html = _clean_comment_body(body)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    comment = Comment(work=found, chapter_id=chapter_id, parent=parent, body=html)
    account = account_of(actor)
    if account is not None:
        if pseud is None:
            pseud = account.default_pseud()
        elif pseud.user_id != account.pk:
            raise PermissionDenied(_("That pseud is not yours."))
        comment.user = account
        comment.pseud = pseud
        if not access.is_creator(account, found) and hooks.comment_held(found):
            comment.status = CommentStatus.PENDING  # "moderate all comments" on this work
    else:
        guest_name = " ".join(guest_name.split())
        guest_email = guest_email.strip()
        if not guest_name:
            errors.setdefault("guest_name", []).append(_("Please enter your name."))
        elif len(guest_name) > GUEST_NAME_MAX:
            errors.setdefault("guest_name", []).append(
                _("A name can be at most %(max)s characters.") % {"max": GUEST_NAME_MAX}
            )
        try:
            validate_email(guest_email)
        except ValidationError:
            errors.setdefault("guest_email", []).append(_("Please enter a valid email address."))
        else:
            refusal = hooks.guest_address_refusal(guest_email)
            if refusal:
                errors.setdefault("guest_email", []).append(refusal)
        comment.guest_name = guest_name
        comment.guest_email = guest_email
        # Guest comments may wait for the creators' approval (see spam.py).
        comment.status = spam.guest_comment_status(body)
        if hooks.comment_held(found):
            comment.status = CommentStatus.PENDING
    if errors:
        raise ValidationError(errors)
    comment.save()
    if comment.status == CommentStatus.PUBLISHED:
        _publish_counted(comment, found, parent)
        _sync(work, found, "comment_count")
    return comment


def _publish_counted(comment: Comment, work: Work, parent: Comment | None) -> None:
    """A comment just published: count it and tell the creators (and the replied-to)."""
    work_counter_add(work_id=work.pk, counter="comment_count", delta=1)
    _notify(comment, work, parent)
    work.refresh_from_db(fields=["comment_count"])


def _held_for_moderator(
    actor: Viewer, comment: Comment, statuses: tuple[str, ...]
) -> tuple[Comment, Work]:
    """The comment, locked, if it is held (in one of `statuses`) and the actor moderates its
    work; NotFound otherwise, so others do not learn it exists."""
    fresh = Comment.objects.select_for_update().filter(pk=comment.pk, status__in=statuses).first()
    if fresh is None:
        raise NotFound(_("No such comment."))
    work = Work.objects.prefetch_related("creatorships__pseud").get(pk=fresh.work_id)
    if not spam.may_moderate(actor, work):
        raise NotFound(_("No such comment."))
    return fresh, work


@transaction.atomic
def comment_approve(*, actor: Viewer, comment: Comment) -> Comment:
    """A creator of the work, or an admin, approves a comment awaiting moderation, or
    undoes "mark as spam": it is shown, counted and notified as if just posted (a
    notification already made is not made twice)."""
    fresh, work = _held_for_moderator(actor, comment, (CommentStatus.PENDING, CommentStatus.SPAM))
    parent = fresh.parent if fresh.parent_id else None
    fresh.status = CommentStatus.PUBLISHED
    fresh.save(update_fields=["status"])
    _publish_counted(fresh, work, parent)
    return fresh


@transaction.atomic
def comment_mark_spam(*, actor: Viewer, comment: Comment) -> Comment:
    """A creator of the work, or an admin, marks a comment as spam, held or published: it
    goes out of sight (kept, so it can be restored with ``comment_approve`` and counted
    against its author, ``moderation.selectors.spam_count``) and no longer counts; a
    published one leaves the work's comment count and the inboxes it reached."""
    fresh, work = _held_for_moderator(
        actor, comment, (CommentStatus.PENDING, CommentStatus.PUBLISHED)
    )
    if fresh.deleted:
        raise NotFound(_("No such comment."))
    if fresh.status == CommentStatus.PUBLISHED:
        work_counter_add(work_id=work.pk, counter="comment_count", delta=-1)
        _inbox_changed(InboxItem.objects.filter(comment=fresh).values_list("user_id", flat=True))
        InboxItem.objects.filter(comment=fresh).delete()
    fresh.status = CommentStatus.SPAM
    fresh.save(update_fields=["status"])
    return fresh


@transaction.atomic
def comment_discard(*, actor: Viewer, comment: Comment) -> None:
    """A creator of the work, or an admin, deletes a comment awaiting moderation or marked as
    spam. Such comments were never counted or notified, so no counter changes."""
    fresh, _work = _held_for_moderator(actor, comment, (CommentStatus.PENDING, CommentStatus.SPAM))
    fresh.delete()


def _comment_for_actor(actor: Viewer, comment: Comment) -> tuple[Comment, Work]:
    """The comment, fresh from the database, and its work, if the actor may see them."""
    fresh = Comment.objects.filter(pk=comment.pk, status=CommentStatus.PUBLISHED).first()
    if fresh is None:
        raise NotFound(_("No such comment."))
    try:
        work = work_for_feedback(actor, fresh.work_id)
    except PermissionDenied:
        if not is_admin(actor):
            raise
        work = Work.objects.prefetch_related("creatorships__pseud").get(pk=fresh.work_id)
    return fresh, work


def can_edit_comment(actor: Viewer, comment: Comment) -> bool:
    return is_user(actor) and not comment.deleted and comment.user_id == actor.pk


def can_delete_comment(actor: Viewer, comment: Comment, work: Work) -> bool:
    """The comment's author, the work's creators and admins may delete a comment."""
    if not is_user(actor) or comment.deleted:
        return False
    return comment.user_id == actor.pk or is_admin(actor) or access.is_creator(actor, work)


@transaction.atomic
def comment_edit(*, actor: Viewer, comment: Comment, body: str) -> Comment:
    """Change one's own comment; it is marked as edited. PermissionDenied for someone
    else's comment, and for one on a work whose creator has since blocked the author
    (AO3: a blocked user cannot edit what they left on the blocker's works)."""
    fresh, work = _comment_for_actor(actor, comment)
    if not can_edit_comment(actor, fresh):
        raise PermissionDenied(_("You can only edit your own comments."))
    hooks.feedback_guards_check(actor, work)  # no parent: a frozen thread is no block
    fresh.body = _clean_comment_body(body)
    fresh.edited_at = timezone.now()
    fresh.save(update_fields=["body", "edited_at"])
    changes.work_pages_changed([fresh.work_id])  # cached work pages show the new text
    return fresh


@transaction.atomic
def comment_delete(*, actor: Viewer, comment: Comment) -> None:
    """Delete a comment. One with replies stays in the thread as "(Previous comment
    deleted.)"; one without goes, and so do deleted ancestors left with no replies."""
    fresh, work = _comment_for_actor(actor, comment)
    if not can_delete_comment(actor, fresh, work):
        raise PermissionDenied(_("You can't delete this comment."))
    work_counter_add(work_id=work.pk, counter="comment_count", delta=-1)
    _inbox_changed(InboxItem.objects.filter(comment=fresh).values_list("user_id", flat=True))
    InboxItem.objects.filter(comment=fresh).delete()
    if fresh.replies.exists():
        fresh.deleted = True
        fresh.body = ""
        fresh.save(update_fields=["deleted", "body"])
        return
    parent_id = fresh.parent_id
    fresh.delete()
    while parent_id is not None:
        parent = Comment.objects.filter(pk=parent_id, deleted=True).first()
        if parent is None or parent.replies.exists():
            break
        parent_id = parent.parent_id
        parent.delete()


# --- Inbox ----------------------------------------------------------------------------


@transaction.atomic
def inbox_mark_read(*, actor: User, item_ids: Iterable[int], read: bool = True) -> int:
    """Mark some of the actor's own inbox items read (or unread); returns how many."""
    if not is_user(actor):
        raise PermissionDenied(_("Log in to see your inbox."))
    _inbox_changed([actor.pk])
    return InboxItem.objects.filter(user=actor, pk__in=list(item_ids)).update(read=read)


@transaction.atomic
def inbox_delete(*, actor: User, item_ids: Iterable[int]) -> int:
    """Delete some of the actor's own inbox items (the comments stay); returns how many."""
    if not is_user(actor):
        raise PermissionDenied(_("Log in to see your inbox."))
    _inbox_changed([actor.pk])
    deleted, _kinds = InboxItem.objects.filter(user=actor, pk__in=list(item_ids)).delete()
    return deleted


# --- Bookmarks ------------------------------------------------------------------------


def bookmark_tags_find_or_create(names: Sequence[str]) -> list[Tag]:
    """A bookmarker's tags: an existing tag of any kind when the name is taken (so a
    bookmark tagged with a fandom lands under that fandom), else a new unwrangled
    additional tag, made by the tags app as authors' tags are (autocomplete words
    included). The work's own tags are not touched. ValidationError for a bad name."""
    found = tags_find_or_create(kind=TagKind.FREEFORM, names=names, any_kind=True)
    return list({tag.pk: tag for tag in found}.values())


@transaction.atomic
def bookmark_save(
    *,
    actor: User,
    work: Work,
    notes: str = "",
    tags: str | Sequence[str] = (),
    private: bool = False,
    rec: bool = False,
    pseud: Pseud | None = None,
) -> Bookmark:
    """Bookmark a work, or update the actor's bookmark of it (one per user and work).
    Tags are comma-separated names or a list; notes are sanitized. Keeps
    Work.bookmark_count (public bookmarks) in step."""
    if not is_user(actor):
        raise PermissionDenied(_("Log in to bookmark works."))
    found = work_for_feedback(actor, work)
    if pseud is None:
        pseud = actor.default_pseud()
    elif pseud.user_id != actor.pk:
        raise PermissionDenied(_("That pseud is not yours."))
    errors: dict[str, list[str]] = {}
    notes_html = ""
    if notes and notes.strip():
        notes_html = comment_body_to_html(notes)
        if len(html_to_text(notes_html)) > BOOKMARK_NOTES_MAX:
            errors["notes"] = [
                _("Notes can be at most %(max)s characters.") % {"max": f"{BOOKMARK_NOTES_MAX:,}"}
            ]
    names = split_tag_list(tags) if isinstance(tags, str) else [n for n in tags if n.strip()]
    tag_objs: list[Tag] = []
    if len(names) > BOOKMARK_TAGS_MAX:
        errors["tags"] = [
            _("A bookmark can have at most %(max)s tags.") % {"max": BOOKMARK_TAGS_MAX}
        ]
    else:
        try:
            tag_objs = bookmark_tags_find_or_create(names)
        except ValidationError as exc:
            errors["tags"] = exc.messages
    if errors:
        raise ValidationError(errors)
    bookmark = Bookmark.objects.select_for_update().filter(user=actor, work=found).first()
    was_public = bookmark is not None and not bookmark.private
    if bookmark is None:
        bookmark = Bookmark(user=actor, work=found)
    bookmark.pseud = pseud
    bookmark.notes = notes_html
    bookmark.private = private
    bookmark.rec = rec
    try:
        with transaction.atomic():
            bookmark.save()
    except IntegrityError:
        raise ValidationError(_("You have already bookmarked this work."))
    bookmark.tags.set(tag_objs)
    delta = int(not private) - int(was_public)
    if delta:
        work_counter_add(work_id=found.pk, counter="bookmark_count", delta=delta)
        found.refresh_from_db(fields=["bookmark_count"])
        _sync(work, found, "bookmark_count")
    return bookmark


@transaction.atomic
def bookmark_delete(*, actor: Viewer, bookmark: Bookmark) -> None:
    """Delete a bookmark: its owner, or an admin."""
    if not is_user(actor):
        raise PermissionDenied(_("Log in to manage bookmarks."))
    fresh = Bookmark.objects.select_for_update().filter(pk=bookmark.pk).first()
    if fresh is None or (fresh.user_id != actor.pk and not is_admin(actor)):
        raise NotFound(_("No such bookmark."))
    if not fresh.private:
        work_counter_add(work_id=fresh.work_id, counter="bookmark_count", delta=-1)
    fresh.delete()
