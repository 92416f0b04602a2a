"""Objects as JSON. Every function takes the viewer when what it shows depends on who
looks (an anonymous work's creators)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from ficarchive.accounts.models import User
from ficarchive.core.viewers import Viewer
from ficarchive.discovery.serializers import work_summary_json
from ficarchive.works import access
from ficarchive.works.models import Chapter, Series, Work

DOWNLOAD_FORMATS = ("epub", "azw3", "mobi", "pdf", "html")
ANONYMOUS = "Anonymous"


def absolute(path: str) -> str:
    return settings.SITE_URL + path


def api_url(name: str, *args: Any) -> str:
    return absolute(reverse(f"api:{name}", args=args))


def _dt(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def pseud_json(pseud: Any) -> dict[str, Any]:
    user = pseud.user if pseud.user_id else None
    return {
        "pseud": pseud.name,
        "user": user.username if user else None,
        "name": pseud.display_name,
        "url": absolute(pseud.get_absolute_url()),
    }


def work_json(work: Work, viewer: Viewer) -> dict[str, Any]:
    """A work's metadata (no chapter text), as its page shows it to this viewer. Needs
    ``taggings__tag``, ``creatorships__pseud__user`` and ``serial_works__series`` prefetched."""
    data = work_summary_json(work)
    data.pop("suggested", None)
    pseuds = access.creators_of(work, viewer)
    creators = [pseud_json(p) for p in pseuds] if pseuds is not None else None
    data.update(
        {
            "api_url": api_url("work", work.pk),
            "creators": creators,
            "byline": ", ".join(c["name"] for c in creators) if creators is not None else ANONYMOUS,
            "anonymous": access.is_anonymous(work),
            "summary": work.summary,
            "notes": work.notes,
            "end_notes": work.end_notes,
            "language": work.language,
            "expected_chapters": work.expected_chapters,
            "chapters_display": work.chapters_display,
            "complete": work.is_complete,
            "posted": work.posted,
            "restricted": work.restricted,
            "hidden_by_admin": work.hidden_by_admin,
            "comment_permission": work.comment_permission,
            "published_at": _dt(work.published_at),
            "revised_at": _dt(work.revised_at),
            "kudos": work.kudos_count,
            "comments": work.comment_count,
            "bookmarks": work.bookmark_count,
            "hits": work.hit_count,
            "series": [
                {"id": sw.series_id, "title": sw.series.title, "position": sw.position}
                for sw in access.series_shown(work, viewer)
            ],
            "downloads": {
                ext: absolute(
                    reverse(
                        "transfer:download",
                        kwargs={"work_id": work.pk, "slug": work.slug, "ext": ext},
                    )
                )
                for ext in DOWNLOAD_FORMATS
            },
        }
    )
    return data


def chapter_json(chapter: Chapter, *, body: bool = True) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": chapter.pk,
        "work_id": chapter.work_id,
        "position": chapter.position,
        "title": chapter.title,
        "heading": chapter.heading,
        "url": absolute(chapter.get_absolute_url()),
        "api_url": api_url("chapter", chapter.work_id, chapter.pk),
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "words": chapter.word_count,
        "posted": chapter.is_posted,
        "published_at": _dt(chapter.published_at),
    }
    if body:
        data["body"] = chapter.body
    return data


def comment_json(node: Any) -> dict[str, Any]:
    """A comment from feedback's thread (a CommentNode), replies flattened by parent_id."""
    c = node.comment
    return {
        "id": c.pk,
        "work_id": c.work_id,
        "chapter_id": c.chapter_id,
        "parent_id": c.parent_id,
        "author": node.author_name or None,
        "author_url": absolute(node.author_url) if node.author_url else None,
        "by_creator": node.by_creator and bool(node.author_url),
        "body": c.body,
        "deleted": c.deleted,
        "created_at": _dt(c.created_at),
        "edited_at": _dt(c.edited_at),
        "can_edit": node.can_edit,
        "can_delete": node.can_delete,
        "api_url": api_url("comment", c.pk),
    }


def bookmark_json(bookmark: Any, viewer: Viewer) -> dict[str, Any]:
    return {
        "id": bookmark.pk,
        "user": bookmark.pseud.user.username if bookmark.pseud.user_id else None,
        "pseud": bookmark.pseud.name,
        "work_id": bookmark.work_id,
        "work": work_json(bookmark.work, viewer),
        "notes": bookmark.notes,
        "tags": [t.name for t in bookmark.tags.all()],
        "private": bookmark.private,
        "rec": bookmark.rec,
        "created_at": _dt(bookmark.created_at),
        "updated_at": _dt(bookmark.updated_at),
    }


def user_json(user: User, pseuds: list[Any]) -> dict[str, Any]:
    """A user's public fields only (no email, no preferences, no roles)."""
    return {
        "username": user.username,
        "url": absolute(user.get_absolute_url()),
        "api_url": api_url("user", user.username),
        "joined": user.date_joined.date().isoformat(),
        "profile": user.profile,
        "pseuds": [
            {"name": p.name, "url": absolute(p.get_absolute_url()), "default": p.is_default}
            for p in pseuds
        ],
    }


def series_json(series: Series, works: list[Work], viewer: Viewer) -> dict[str, Any]:
    """A series and the works in it the viewer may see, in series order. The creators are
    those of its works shown to this viewer (anonymous works add no names); a series that
    holds an anonymous work names no one, on itself or on any entry, unless
    ``access.series_creators_shown``."""
    named = access.series_creators_shown(series, viewer)
    creators: dict[str, dict[str, Any]] = {}
    items = []
    for work in works:
        data = work_json(work, viewer)
        if not named:
            data.update(creators=None, byline=ANONYMOUS)
        items.append(data)
        for creator in data["creators"] or []:
            creators.setdefault(creator["url"], creator)
    return {
        "id": series.pk,
        "title": series.title,
        "url": absolute(series.get_absolute_url()),
        "api_url": api_url("series", series.pk),
        "creators": list(creators.values()),
        "byline": ", ".join(c["name"] for c in creators.values()) or ANONYMOUS,
        "summary": series.summary,
        "notes": series.notes,
        "complete": series.complete,
        "words": sum(w["words"] for w in items),
        "works": items,
    }


def inbox_item_json(item: Any) -> dict[str, Any]:
    """An inbox notification (author_name/author_url set by inbox_with_authors)."""
    c = item.comment
    return {
        "id": item.pk,
        "read": item.read,
        "created_at": _dt(item.created_at),
        "reply": c.parent_id is not None,
        "work": {
            "id": c.work_id,
            "title": c.work.title,
            "url": absolute(c.work.get_absolute_url()),
            "api_url": api_url("work", c.work_id),
        },
        "comment": {
            "id": c.pk,
            "chapter_id": c.chapter_id,
            "parent_id": c.parent_id,
            "author": item.author_name or None,
            "author_url": absolute(item.author_url) if item.author_url else None,
            "body": c.body,
            "created_at": _dt(c.created_at),
            "edited_at": _dt(c.edited_at),
            "api_url": api_url("comment", c.pk),
        },
    }


def suggestions_json(work: Work, panel: Any) -> dict[str, Any]:
    """The open proposals for a work (in the panel's order: AO3's order of tag fields, best
    first within each), with their passages, and what its creators dismissed."""
    return {
        "work_id": work.pk,
        "count": panel.count,
        "items": [
            {
                "kind": item.kind,
                "name": item.name,
                "score": round(item.score, 4),
                "strength": item.strength,
                "passages": [
                    {"chapter": ps.chapter, "before": ps.before, "cue": ps.cue, "after": ps.after}
                    for ps in item.passages
                ],
                "more_passages": item.more_passages,
            }
            for group in panel.groups
            for item in group.items
        ],
        "dismissed": [
            {"kind": d.kind, "name": d.name, "dismissed_at": _dt(d.created_at)}
            for d in panel.dismissed
        ],
        "page": absolute(reverse("suggest:panel", args=[work.pk])),
    }
