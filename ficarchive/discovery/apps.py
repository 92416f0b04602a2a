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
