from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "ficarchive.moderation"
    label = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # feedback sits below moderation: it learns of blocks, mutes and banned
        # addresses through its registry (feedback.hooks).
        from ficarchive.accounts.standing import standing_listener_register
        from ficarchive.collections.notify import blocked_pairs_register, person_guard_register
        from ficarchive.core.jobs import job_register
        from ficarchive.core.pages import page_part_register
        from ficarchive.feedback import hooks
        from ficarchive.works.muting import muted_creators_register
        from ficarchive.works.services import work_hidden_listener_register

        from . import comments, mail, parts, selectors, services

        # The archive's own mails (site's and this app's) ride the job queue.
        job_register(
            mail.MAIL_JOB,
            mail.mail_deliver,
            atomic=False,
            max_attempts=mail.MAX_ATTEMPTS,
            scrub=True,  # confirmation and reset links must not outlive the send
        )

        hooks.feedback_guard_register(selectors.feedback_guard)
        hooks.feedback_guard_register(comments.thread_guard)
        hooks.hidden_authors_register(selectors.hidden_authors)
        hooks.guest_address_guard_register(selectors.address_refusal)
        hooks.comment_hold_register(comments.moderate_all)
        hooks.hidden_comments_register(comments.hidden_threads)
        hooks.frozen_threads_register(comments.frozen_threads)
        hooks.hidden_thread_roots_register(comments.hidden_thread_roots)
        # Gifts and co-creator invitations.
        person_guard_register(selectors.person_guard)
        blocked_pairs_register(selectors.blocked_pairs)  # exchanges match no blocked pair
        # Series pages leave out the works of creators the viewer muted.
        muted_creators_register(selectors.muted_creator_ids)
        # Suspension and ban notices, whichever door suspended or banned.
        standing_listener_register(services.standing_notice)
        # Creators of a work an admin hides are mailed, whichever door hid it.
        work_hidden_listener_register(services.work_hidden_notice)
        # Block and Mute on a user's profile.
        page_part_register("profile", "moderation", parts.profile_part)
