"""The result orders, one list for both engines and for the forms (a leaf: imports nothing
of discovery's own, so the engines, the index and the forms may all import it)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

# Sort key (the ``sort`` URL parameter, API enum and CLI choice: English, as AO3's) → the
# sidebar's label in the interface language, in the order the sidebar offers them.
SORTS: dict[str, Promise] = {
    "updated": _("Date Updated"),
    "posted": _("Date Posted"),
    "title": _("Title"),
    "creator": _("Creator"),
    "words": _("Word Count"),
    "kudos": _("Kudos"),
    "comments": _("Comments"),
    "bookmarks": _("Bookmarks"),
    "hits": _("Hits"),
    "relevance": _("Best Match"),
}
ASCENDING_BY_DEFAULT = {"title", "creator"}

# The sorts on a ``Work`` column, which the bitmap index also holds (title and creator are
# text and sort in the database only; relevance comes from the full-text engine).
SORT_COLUMNS = {
    "updated": "revised_at",
    "posted": "published_at",
    "words": "word_count",
    "kudos": "kudos_count",
    "comments": "comment_count",
    "bookmarks": "bookmark_count",
    "hits": "hit_count",
}
DATE_SORTS = {"updated", "posted"}
