import datetime as dt

from django.apps import AppConfig


class SuggestConfig(AppConfig):
    name = "ficarchive.suggest"
    label = "suggest"

    def ready(self) -> None:
        # The worker retrains the archive's model as works arrive; the check is one count
        # query and a file stat, and training itself happens only when enough has changed
        # (training.model_retrain_if_due), never in a web process.
        from ficarchive.core.jobs import periodic_register

        from .services import model_retrain_if_due

        periodic_register("suggest_retrain", model_retrain_if_due, every=dt.timedelta(minutes=10))
