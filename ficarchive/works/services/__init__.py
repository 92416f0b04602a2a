"""Writes to works, chapters and series. The web views, the command line, the importers
and the API all go through these functions; each module holds one concern:

- ``_inputs``: what authors and importers hand in, validated and sanitized;
- ``works``: creating, editing, posting, hiding, deleting works, admin edits, hits;
- ``creatorships``: who a work is credited to (the only writer of Creatorship);
- ``chapters``: a work's chapters;
- ``series``: series;
- ``collection_state``: the collection flags (anonymous, unrevealed).

Every name is re-exported here, so callers import ``ficarchive.works.services``."""

from ._inputs import (
    LANGUAGE_MAX,
    NOTES_MAX,
    SUMMARY_MAX,
    TITLE_MAX,
    ChapterInput,
    PreparedChapter,
    WorkMeta,
    prepare_chapter,
)
from .chapters import chapter_add, chapter_delete, chapter_update, chapters_reorder
from .collection_state import works_collection_state_set
from .counters import work_counter_add, work_counter_set
from .creatorships import (
    creatorships_pseud_merged,
    creatorships_pseuds_claimed,
    orphan_pseud,
    work_creators_set,
    work_orphan,
)
from .hits import hit_record, hits_add, visitor_digest
from .series import (
    series_add_work,
    series_delete,
    series_for_work_add,
    series_may_manage,
    series_remove_work,
    series_reorder,
    series_update,
)
from .works import (
    can_edit_work,
    source_hash_of,
    work_admin_save,
    work_create,
    work_delete,
    work_hidden_listener_register,
    work_hide,
    work_post,
    work_recount,
    work_update,
)

__all__ = [
    "work_counter_add",
    "work_counter_set",
    "LANGUAGE_MAX",
    "NOTES_MAX",
    "SUMMARY_MAX",
    "TITLE_MAX",
    "ChapterInput",
    "PreparedChapter",
    "WorkMeta",
    "can_edit_work",
    "chapter_add",
    "chapter_delete",
    "chapter_update",
    "chapters_reorder",
    "creatorships_pseud_merged",
    "creatorships_pseuds_claimed",
    "hit_record",
    "hits_add",
    "visitor_digest",
    "orphan_pseud",
    "prepare_chapter",
    "series_add_work",
    "series_delete",
    "series_for_work_add",
    "series_may_manage",
    "series_remove_work",
    "series_reorder",
    "series_update",
    "works_collection_state_set",
    "source_hash_of",
    "work_admin_save",
    "work_create",
    "work_creators_set",
    "work_delete",
    "work_hidden_listener_register",
    "work_hide",
    "work_orphan",
    "work_post",
    "work_recount",
    "work_update",
]
