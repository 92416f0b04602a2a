"""The result orders, one list for both engines and for the forms (a leaf: imports nothing
of discovery's own, so the engines, the index and the forms may all import it)."""

from __future__ import annotations

# Sort key → label, in the order the sidebar offers them.
SORTS = {
    "updated": "Date Updated",
    "posted": "Date Posted",
    "title": "Title",
    "creator": "Creator",
    "words": "Word Count",
    "kudos": "Kudos",
    "comments": "Comments",
    "bookmarks": "Bookmarks",
    "hits": "Hits",
    "relevance": "Best Match",
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
