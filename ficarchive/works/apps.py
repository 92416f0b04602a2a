from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "ficarchive.works"
    label = "works"

    def ready(self) -> None:
        # Creatorships follow pseuds that accounts merges or hands to a claimer (core.changes).
        import datetime as dt

        from ficarchive.core.changes import Change, listen, listen_pseud_merged
        from ficarchive.core.jobs import periodic_register

        from .hits import FLUSH_SECONDS, hits_flush
        from .services import creatorships_pseud_merged, creatorships_pseuds_claimed

        listen_pseud_merged(creatorships_pseud_merged)
        listen(Change.PSEUDS_CLAIMED, creatorships_pseuds_claimed)
        # Buffered hits reach the works' counts from the worker (works.hits).
        periodic_register("works.hits_flush", hits_flush, every=dt.timedelta(seconds=FLUSH_SECONDS))
