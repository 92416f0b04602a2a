from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "ficarchive.api"
    label = "api"
