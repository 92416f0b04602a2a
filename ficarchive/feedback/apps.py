from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "ficarchive.feedback"
    label = "feedback"
