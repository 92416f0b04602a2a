from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "ficarchive.feedback"
    label = "feedback"

    def ready(self) -> None:
        # works sits below feedback: it learns of the feedback block through its registry.
        from ficarchive.works.pages import work_page_part_register

        from .views import work_page_part

        work_page_part_register("feedback", work_page_part)
