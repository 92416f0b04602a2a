from django.apps import AppConfig


class WorksConfig(AppConfig):
    name = "ficarchive.works"
    label = "works"

    def ready(self) -> None:
        # Creatorships follow pseuds that accounts merges or hands to a claimer (core.changes).
        from ficarchive.core.changes import Change, listen, listen_pseud_merged

        from .services import creatorships_pseud_merged, creatorships_pseuds_claimed

        listen_pseud_merged(creatorships_pseud_merged)
        listen(Change.PSEUDS_CLAIMED, creatorships_pseuds_claimed)
