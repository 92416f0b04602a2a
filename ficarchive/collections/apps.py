from django.apps import AppConfig


class CollectionsConfig(AppConfig):
    name = "ficarchive.collections"
    label = "collections"
    verbose_name = "Collections and challenges"
    default_auto_field = "django.db.models.BigAutoField"
