"""Feedback that arrives in bulk from other apps: comments brought in by an archive import,
and comments and bookmarks following pseuds that accounts merges or hands to a claimer
(``core.changes`` listeners, registered in ``FeedbackConfig.ready``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, SystemRole
from ficarchive.core import changes
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.html import sanitize_comment_html
from ficarchive.core.viewers import Viewer
from ficarchive.works.models import Chapter, Work
from ficarchive.works.services import work_counter_set

from .models import Bookmark, Comment, CommentStatus
from .services import COMMENT_MAX, GUEST_NAME_MAX, is_admin


@dataclass
class ImportedComment:
    """A comment as an archive import found it (an eFiction review), before sanitizing."""

    work: Work
    body: str
    chapter: Chapter | None = None
    pseud: Pseud | None = None
    guest_name: str = ""
    created_at: dt.datetime | None = None


@transaction.atomic
def comments_import(*, actor: Viewer, comments: Sequence[ImportedComment]) -> list[Comment]:
    """Bring in comments from an imported archive: bodies sanitized as comments are, empty
    ones dropped, published with their original dates and without notifications (they are
    old news); each work's comment count is recounted and the filters told. The actor must
    be the archivist system account (which imports archives), an admin, or a creator of
    every work concerned (PermissionDenied otherwise). Returns the comments made."""
    work_ids = {c.work.pk for c in comments}
    importer = getattr(actor, "system_role", "") == SystemRole.ARCHIVIST
    for work in {c.work.pk: c.work for c in comments}.values():
        if not (importer or is_admin(actor) or work.is_creator(actor)):
            raise PermissionDenied(_("Only a work's creators or an admin can import its comments."))
    made: list[Comment] = []
    dates: list[dt.datetime | None] = []
    for item in comments:
        # AO3's comment limit holds for imported reviews too: cut, not refused, so one long
        # review does not stop a whole archive's import (sanitizing closes any cut tag).
        body = sanitize_comment_html(item.body[:COMMENT_MAX])
        if not body:
            continue
        made.append(
            Comment(
                work=item.work,
                chapter=item.chapter,
                pseud=item.pseud,
                user_id=item.pseud.user_id if item.pseud else None,
                guest_name="" if item.pseud else (item.guest_name or "Guest")[:GUEST_NAME_MAX],
                body=body,
            )
        )
        dates.append(item.created_at)
    created = Comment.objects.bulk_create(made)
    for comment, date in zip(created, dates, strict=True):
        if date is not None and comment.pk is not None:  # auto_now_add set it on insert
            Comment.objects.filter(pk=comment.pk).update(created_at=date)
    published = {
        work_id: Comment.objects.filter(
            work_id=work_id, status=CommentStatus.PUBLISHED, deleted=False
        ).count()
        for work_id in work_ids
    }
    work_counter_set(work_ids=published, counter="comment_count")
    return created


def feedback_pseud_merged(pseud_id: int, into_id: int) -> None:
    """Listener (core.changes.pseud_merged): comments and bookmarks written under the merged
    pseud move to the pseud it goes into, and to that pseud's account."""
    into = Pseud.objects.get(pk=into_id)
    feedback_pseuds_renamed([pseud_id])  # their bylines change with the pseud
    Comment.objects.filter(pseud_id=pseud_id).update(pseud=into, user_id=into.user_id)
    Bookmark.objects.filter(pseud_id=pseud_id).update(pseud=into)


def feedback_pseuds_claimed(pseud_ids: list[int]) -> None:
    """Listener (core.changes.pseuds_claimed): imported comments under a claimed pseud
    become its account's."""
    feedback_pseuds_renamed(pseud_ids)  # their bylines now link the account
    for pseud in Pseud.objects.filter(pk__in=pseud_ids, user__isnull=False):
        Comment.objects.filter(pseud=pseud, user__isnull=True).update(user_id=pseud.user_id)


def feedback_pseuds_renamed(pseud_ids: list[int]) -> None:
    """Listener (core.changes.pseuds_renamed): the works these pseuds commented on show
    their names in comment bylines, so their cached pages move on."""
    works = Comment.objects.filter(pseud_id__in=pseud_ids).values_list("work_id", flat=True)
    changes.work_pages_changed(works.distinct())
