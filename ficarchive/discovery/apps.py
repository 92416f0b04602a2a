from django.apps import AppConfig


class DiscoveryConfig(AppConfig):
    name = "ficarchive.discovery"
    label = "discovery"
