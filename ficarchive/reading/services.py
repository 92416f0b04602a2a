"""Writes of the reading app: history, Marked for Later, the reading list and the reading
settings. Callers fetch the work through ``works.access`` first (a reader marks, lists
and records only what they may read); these services trust that check and never repeat
it. Behaviour follows AO3's readings (History, Marked for Later)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer
from ficarchive.works.models import Chapter, Work

from .models import ListStatus, ReaderSettings, Reading, ReadingListEntry

MAX_READING_LIST = 10_000


def _require_login(actor: Viewer) -> User:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep a history, a reading list or works for later."))
    return actor  # type: ignore[return-value]


def _quoted(model: type[models.Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _upsert_sql() -> str:
    """One statement records a visit and answers whether the work is marked for later:
    insert or update the reader's row unless they turned history off (then no row comes
    back). ``ON CONFLICT ... RETURNING`` is in SQLite 3.35+ and PostgreSQL 9.5+."""
    reading, chapter, prefs = _quoted(Reading), _quoted(Chapter), _quoted(ReaderSettings)
    return (
        f"INSERT INTO {reading} (user_id, work_id, last_chapter_id, visited_at, views,"  # noqa: S608 - table names only
        " chapters_seen, marked_for_later)"
        f" SELECT %s, %s, COALESCE(%s, (SELECT id FROM {chapter} WHERE work_id = %s"
        " AND posted = %s ORDER BY position DESC, id DESC LIMIT 1)), %s, 1, %s, %s"
        f" WHERE NOT EXISTS (SELECT 1 FROM {prefs} WHERE user_id = %s AND history_enabled = %s)"
        " ON CONFLICT (user_id, work_id) DO UPDATE SET"
        " last_chapter_id = excluded.last_chapter_id, visited_at = excluded.visited_at,"
        f" views = {reading}.views + 1, chapters_seen = excluded.chapters_seen"
        " RETURNING marked_for_later"
    )


def history_record(*, user: User, work: Work, chapter: Chapter | None) -> bool | None:
    """Record that ``user`` opened ``work`` at ``chapter`` (None: the whole work, recorded
    at its last posted chapter): the visit time, one more view, and the work's chapter
    count now (chapters posted later are "new since you read"). One SQL statement.

    Returns whether the work is marked for later, or None when nothing was recorded
    (a draft, or history turned off): the caller then asks ``later_flag`` if it must know."""
    if not work.posted or not getattr(user, "is_authenticated", False):
        return None
    params = [
        user.pk,
        work.pk,
        chapter.pk if chapter is not None else None,
        work.pk,
        True,
        timezone.now(),
        work.chapter_count,
        False,
        user.pk,
        False,
    ]
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), params)
        row = cursor.fetchone()
    return bool(row[0]) if row else None


@transaction.atomic
def later_mark(*, actor: User, work: Work) -> Reading:
    """Mark for Later: the work joins the actor's Marked for Later list (again a no-op)."""
    user = _require_login(actor)
    reading, created = Reading.objects.get_or_create(
        user=user, work=work, defaults={"marked_for_later": True, "marked_at": timezone.now()}
    )
    if not created and not reading.marked_for_later:
        reading.marked_for_later, reading.marked_at = True, timezone.now()
        reading.save(update_fields=["marked_for_later", "marked_at"])
    return reading


@transaction.atomic
def later_unmark(*, actor: User, work_id: int) -> None:
    """Mark as Read: the work leaves Marked for Later. A row kept only for the mark goes."""
    user = _require_login(actor)
    rows = Reading.objects.filter(user=user, work_id=work_id)
    rows.filter(views=0).delete()
    rows.update(marked_for_later=False, marked_at=None)


@transaction.atomic
def history_delete(*, actor: User, work_id: int) -> bool:
    """Clear one history entry (the work's mark for later, if any, stays). Returns False
    when the work was not in the actor's history."""
    user = _require_login(actor)
    rows = Reading.objects.filter(user=user, work_id=work_id, views__gt=0)
    found = rows.exists()
    rows.filter(marked_for_later=False).delete()
    rows.update(views=0, visited_at=None, last_chapter=None, chapters_seen=0)
    return found


@transaction.atomic
def history_clear(*, actor: User) -> int:
    """Clear the whole history; works marked for later stay marked. Returns how many
    entries were cleared."""
    user = _require_login(actor)
    rows = Reading.objects.filter(user=user, views__gt=0)
    count = rows.count()
    rows.filter(marked_for_later=False).delete()
    rows.update(views=0, visited_at=None, last_chapter=None, chapters_seen=0)
    return count


@transaction.atomic
def reader_settings_update(
    *, actor: User, history_enabled: bool | None = None, reading_list_public: bool | None = None
) -> ReaderSettings:
    """Turn history on or off (off: nothing more is recorded; what is kept stays until
    cleared), and make the reading list public or private (private by default)."""
    user = _require_login(actor)
    prefs, _made = ReaderSettings.objects.get_or_create(user=user)
    if history_enabled is not None:
        prefs.history_enabled = history_enabled
    if reading_list_public is not None:
        prefs.reading_list_public = reading_list_public
    prefs.save(update_fields=["history_enabled", "reading_list_public"])
    return prefs


@transaction.atomic
def reading_list_set(*, actor: User, work: Work, status: str) -> ReadingListEntry:
    """Put the work on the actor's reading list with ``status`` (to_read, reading, read,
    dropped), or change its status. Raises ValidationError for another status."""
    user = _require_login(actor)
    if status not in ListStatus.values:
        raise ValidationError(
            {
                "status": [
                    _("Choose a status: %(statuses)s.") % {"statuses": ", ".join(ListStatus.values)}
                ]
            }
        )
    entry = ReadingListEntry.objects.filter(user=user, work=work).first()
    if entry is not None:
        entry.status = status
        entry.save(update_fields=["status", "updated_at"])
        return entry
    if ReadingListEntry.objects.filter(user=user).count() >= MAX_READING_LIST:
        raise ValidationError(
            {"status": [f"A reading list holds at most {MAX_READING_LIST} works."]}
        )
    return ReadingListEntry.objects.create(user=user, work=work, status=status)


@transaction.atomic
def reading_list_remove(*, actor: User, work_id: int) -> None:
    """Take the work off the actor's reading list."""
    user = _require_login(actor)
    ReadingListEntry.objects.filter(user=user, work_id=work_id).delete()
