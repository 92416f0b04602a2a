from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "ficarchive.transfer"
    label = "transfer"

    def ready(self) -> None:
        # Cached downloads of a deleted work go with it (see core/changes.py).
        from ficarchive.core.changes import Change, listen

        from .downloads import downloads_purge_later

        listen(Change.WORKS_REMOVED, downloads_purge_later)
        # Download builds keep their own table; the one worker drains it with the rest.
        from ficarchive.core.jobs import queue_register

        from .tasks import download_jobs_run_pending

        queue_register("downloads", download_jobs_run_pending)
