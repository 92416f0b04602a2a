from django.apps import AppConfig


class NotifyConfig(AppConfig):
    """Subscriptions, notifications and email (issue 13, first half)."""

    name = "ficarchive.notify"
    label = "notify"

    def ready(self) -> None:
        # The writers (works, feedback) announce events through core.changes; this app
        # turns them into notifications and mail, on the job queue.
        from ficarchive.collections.notify import (
            gift_announcer_register,
            reveal_announcer_register,
        )
        from ficarchive.core.changes import Change, listen
        from ficarchive.core.jobs import job_register
        from ficarchive.core.pages import page_part_register
        from ficarchive.reading.stats import subscriber_counts_register
        from ficarchive.works.pages import work_page_part_register
        from ficarchive.works.series_stats import series_subscriber_counts_register

        from . import events, mail, parts, selectors, services, tasks

        listen(Change.CHAPTERS_POSTED, events.chapters_posted)
        listen(Change.WORKS_POSTED, events.works_posted)
        listen(Change.SERIES_PARTS_ADDED, events.series_parts_added)
        listen(Change.COMMENTS_PUBLISHED, events.comments_published)
        listen(Change.KUDOS_GIVEN, events.kudos_given)
        job_register(tasks.FANOUT, tasks.fanout_run)
        job_register(tasks.DIGEST, tasks.digest_run)
        job_register(tasks.SEND, mail.mail_send, atomic=False, max_attempts=12)
        work_page_part_register("notify", parts.work_part)
        page_part_register("series", "notify", parts.series_part)
        page_part_register("profile", "notify", parts.profile_part)
        page_part_register("inbox", "notify", parts.inbox_part)
        # The apps below cannot call this one; it hands them what they need.
        subscriber_counts_register(selectors.subscriber_counts)
        series_subscriber_counts_register(selectors.series_subscriber_counts)
        gift_announcer_register(services.notification_gift)
        reveal_announcer_register(services.notification_reveal)
