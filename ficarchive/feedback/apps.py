from django.apps import AppConfig


class FeedbackConfig(AppConfig):
    name = "ficarchive.feedback"
    label = "feedback"

    def ready(self) -> None:
        # works sits below feedback: it learns of the feedback block through its registry.
        from ficarchive.works.pages import work_page_flag_register, work_page_part_register

        from .selectors import GUEST_KUDOS_FLAG, guest_kudos_flag
        from .views import work_page_part

        work_page_part_register("feedback", work_page_part)
        work_page_flag_register(GUEST_KUDOS_FLAG, guest_kudos_flag)
        # Comments and bookmarks follow pseuds that accounts merges or hands to a claimer.
        from ficarchive.core.changes import Change, listen, listen_pseud_merged

        from .services_bulk import (
            feedback_pseud_merged,
            feedback_pseuds_claimed,
            feedback_pseuds_renamed,
        )

        listen_pseud_merged(feedback_pseud_merged)
        listen(Change.PSEUDS_CLAIMED, feedback_pseuds_claimed)
        listen(Change.PSEUDS_RENAMED, feedback_pseuds_renamed)
