"""Subscriptions, notifications, mail preferences, outgoing mail and feed tokens.

Comments and replies keep their inbox rows in ``feedback.InboxItem`` (that app's inbox
page lists them); a ``Notification`` is made for them too, so that every kind is mailed by
one path. The inbox page shows this app's notifications of the other kinds (subscription
updates, kudos, gifts) above the comments, through ``core.pages``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SubscriptionKind(models.TextChoices):
    WORK = "work", _("Work")
    USER = "user", _("Creator")
    SERIES = "series", _("Series")


class Subscription(models.Model):
    """A reader following one work (new chapters), one creator (new works and chapters) or one series
    (new parts), as AO3's subscriptions. Exactly one target is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions"
    )
    kind = models.CharField(max_length=10, choices=SubscriptionKind.choices)
    work = models.ForeignKey(
        "works.Work", null=True, blank=True, on_delete=models.CASCADE, related_name="subscriptions"
    )
    series = models.ForeignKey(
        "works.Series",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscriptions",
    )
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="subscribers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(
                name="subscription_one_target",
                condition=(
                    Q(kind="work", work__isnull=False, series__isnull=True, creator__isnull=True)
                    | Q(
                        kind="series", series__isnull=False, work__isnull=True, creator__isnull=True
                    )
                    | Q(kind="user", creator__isnull=False, work__isnull=True, series__isnull=True)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "work"], condition=Q(kind="work"), name="subscription_once_work"
            ),
            models.UniqueConstraint(
                fields=["user", "series"],
                condition=Q(kind="series"),
                name="subscription_once_series",
            ),
            models.UniqueConstraint(
                fields=["user", "creator"],
                condition=Q(kind="user"),
                name="subscription_once_user",
            ),
        ]
        # The fan-out walks one target's subscribers in id order (keyset batches).
        indexes = [
            models.Index(fields=["work", "id"], name="subscription_work_walk"),
            models.Index(fields=["series", "id"], name="subscription_series_walk"),
            models.Index(fields=["creator", "id"], name="subscription_creator_walk"),
        ]

    def __str__(self) -> str:
        return f"subscription {self.user_id}: {self.kind}"


class NotificationKind(models.TextChoices):
    """What a reader may be told of; each has its own mail preference."""

    SUBSCRIPTION = "subscription", _("Subscription updates")
    COMMENT = "comment", _("Comments on my works")
    REPLY = "reply", _("Replies to my comments")
    KUDOS = "kudos", _("Kudos on my works")
    GIFT = "gift", _("Gifts to me")


class Frequency(models.TextChoices):
    """How mail of one kind is sent (AO3 sends kudos once a day, the rest at once)."""

    OFF = "off", _("No email")
    IMMEDIATE = "immediate", _("Immediately")
    HOURLY = "hourly", _("Hourly digest")
    DAILY = "daily", _("Daily digest")


DEFAULT_FREQUENCY = {
    NotificationKind.SUBSCRIPTION: Frequency.IMMEDIATE,
    NotificationKind.COMMENT: Frequency.IMMEDIATE,
    NotificationKind.REPLY: Frequency.IMMEDIATE,
    NotificationKind.KUDOS: Frequency.DAILY,
    NotificationKind.GIFT: Frequency.IMMEDIATE,
}


class MailPreference(models.Model):
    """A reader's choice for one kind; absent rows mean ``DEFAULT_FREQUENCY``."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mailpreference_once_per_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} {self.frequency}"


class MailStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Claimed by a worker"
    SENT = "sent", "Sent"
    CANCELLED = "cancelled", "Nothing left to send"


class OutgoingMail(models.Model):
    """One mail to one reader: one notification, or a digest of several.

    ``message_id`` is fixed when the row is made, before any attempt to send, and every
    attempt sends it under that Message-ID (see ``notify.mail.mail_send``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="outgoing_mail"
    )
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    message_id = models.CharField(max_length=200, unique=True)
    status = models.CharField(max_length=10, choices=MailStatus.choices, default=MailStatus.PENDING)
    subject = models.CharField(max_length=300, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"mail {self.message_id} ({self.status})"


class Notification(models.Model):
    """Something a reader is told of, in the inbox and (per preference) by mail.

    ``key`` names the event, unique per reader, so that an event heard twice (a job run
    again after a crash, a work posted into a series) makes one notification."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    key = models.CharField(max_length=100)
    work = models.ForeignKey("works.Work", null=True, blank=True, on_delete=models.CASCADE)
    chapter = models.ForeignKey("works.Chapter", null=True, blank=True, on_delete=models.CASCADE)
    series = models.ForeignKey("works.Series", null=True, blank=True, on_delete=models.CASCADE)
    comment = models.ForeignKey("feedback.Comment", null=True, blank=True, on_delete=models.CASCADE)
    kudos = models.ForeignKey("feedback.Kudos", null=True, blank=True, on_delete=models.CASCADE)
    # "chapter", "work" (a creator's new work) or "series" (a new part): what a
    # subscription update is about.
    subject = models.CharField(max_length=10, blank=True)
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # The frequency the reader wanted when it was made ("off" or no address: no mail), and
    # the mail that carries it once one is made.
    mail_due = models.CharField(max_length=10, choices=Frequency.choices, default=Frequency.OFF)
    mail = models.ForeignKey(
        OutgoingMail,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="notifications",
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notification_once_per_event")
        ]
        indexes = [
            models.Index(fields=["user", "mail_due", "mail"], name="notification_awaiting_mail"),
            models.Index(fields=["user", "kind", "-id"], name="notification_inbox"),
        ]

    def __str__(self) -> str:
        return f"notification {self.user_id}: {self.key}"


class FeedToken(models.Model):
    """The secret in the address of a reader's private Atom feed of subscription updates.
    Only its SHA-256 is kept; revoking deletes the row, making a new one changes the
    address."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="feed_token"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"feed token of {self.user_id}"
