"""Works in every visibility state, made through the services."""

from __future__ import annotations

from ficarchive.testing import make_work
from ficarchive.works.models import Work


def works_by_state(author) -> dict[str, Work]:
    return {
        "public": make_work(author, title="Public", comment_permission="anyone"),
        "restricted": make_work(
            author, title="Restricted", restricted=True, comment_permission="anyone"
        ),
        "draft": make_work(author, title="Draft", draft=True, comment_permission="anyone"),
        "anonymous": make_work(
            author, title="Anonymous", anonymous=True, comment_permission="anyone"
        ),
    }


def counters_match(work: Work) -> bool:
    """The stored counters equal the rows they count."""
    work.refresh_from_db()
    return (
        work.kudos_count == work.kudos.count()
        and work.comment_count == work.comments.filter(deleted=False, status="published").count()
        and work.bookmark_count == work.bookmarks.filter(private=False).count()
    )
