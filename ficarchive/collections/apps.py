from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "ficarchive.collections"
    label = "collections"
    verbose_name = "Collections and challenges"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # works sits below collections: the work page learns of this part through its registry.
        from ficarchive.works.pages import work_page_flag_register, work_page_part_register

        from .work_part import PRESENT_FLAGS, work_page_part

        work_page_part_register("collections", work_page_part)
        for name, flag in PRESENT_FLAGS.items():
            work_page_flag_register(name, flag)

        # A work page names its related works as its viewer may read them: their changes
        # (and deletions) move its cached page on.
        from ficarchive.core.changes import Change, listen

        from .services.links import related_pages_changed

        listen(Change.WORKS, related_pages_changed)
        listen(Change.WORKS_DELETING, related_pages_changed)

        # The maintainers of an unrevealed collection read its works before the reveal;
        # the one access module asks this app which works those are.
        from ficarchive.works.access import unrevealed_readers_register

        from .selectors import maintained_unrevealed_q

        unrevealed_readers_register(maintained_unrevealed_q)

        # Reveal dates come due without anyone asking: the one worker checks them on each
        # pass (one indexed query), as it drains every other queue.
        from ficarchive.core.jobs import queue_register

        from .services.collections import collections_reveal_due

        queue_register("collection_reveals", lambda: len(collections_reveal_due()))
