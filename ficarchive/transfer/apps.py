from django.apps import AppConfig


class TransferConfig(AppConfig):
    name = "ficarchive.transfer"
    label = "transfer"
