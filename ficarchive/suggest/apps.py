from django.apps import AppConfig


class SuggestConfig(AppConfig):
    name = "ficarchive.suggest"
    label = "suggest"
