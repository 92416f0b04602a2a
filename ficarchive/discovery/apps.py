from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "ficarchive.discovery"
    label = "discovery"

    def ready(self) -> None:
        # The search indexes hear of every search-visible write through core.changes, so
        # the apps below discovery never import it (see core/changes.py).
        from ficarchive.core.changes import Change, listen

        from . import indexing

        listen(Change.WORKS, indexing.works_changed)
        listen(Change.WORKS_REMOVED, indexing.works_removed)
        listen(Change.TAGS, indexing.tags_changed)
        listen(Change.COUNTERS, indexing.counters_changed)
        # Guests' work pages are cached under each work's version (works.page_cache).
        from ficarchive.works.page_cache import work_page_stamp_register

        from .cache import (
            versions_bump,
            work_page_stamp,
            work_page_stamp_columns,
            work_page_stamp_from_row,
        )

        work_page_stamp_register(
            work_page_stamp, columns=work_page_stamp_columns, from_row=work_page_stamp_from_row
        )
        listen(Change.WORK_PAGES, versions_bump)
