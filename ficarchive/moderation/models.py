"""Moderation's tables: blocks between users, abuse reports and their notes, admin notes
and warnings on accounts, banned email addresses and domains. Written only by
``moderation.services`` and ``moderation.reports``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import User


class Block(models.Model):
    """``blocker`` no longer hears from ``blocked``: no comments, replies, kudos or gifts
    on the blocker's works, and the blocker no longer sees the blocked user's comments
    (AO3's blocking, 2023)."""

    blocker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_made"
    )
    blocked = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks_received"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_once"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker_id} blocks {self.blocked_id}"


class ReportKind(models.TextChoices):
    WORK = "work", _("Work")
    CHAPTER = "chapter", _("Chapter")
    COMMENT = "comment", _("Comment")
    USER = "user", _("User")
    TAG = "tag", _("Tag")


class ReportReason(models.TextChoices):
    """The reasons AO3's Policy and Abuse form offers, shortened."""

    SPAM = "spam", _("Spam or commercial promotion")
    HARASSMENT = "harassment", _("Harassment or threats")
    PERSONAL = "personal", _("Personal information shared without consent")
    PLAGIARISM = "plagiarism", _("Plagiarism or copyright")
    ILLEGAL = "illegal", _("Illegal or non-fanwork content")
    TAGS = "tags", _("Wrong rating, warnings or tags")
    IMPERSONATION = "impersonation", _("Impersonation")
    OTHER = "other", _("Something else")


class ReportStatus(models.TextChoices):
    NEW = "new", _("New")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    REJECTED = "rejected", _("Rejected")


class AbuseReport(models.Model):
    kind = models.CharField(max_length=10, choices=ReportKind.choices)
    # Works, chapters and comments by id; users and tags by name.
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    object_name = models.CharField(max_length=150, blank=True)
    url = models.CharField("address reported", max_length=500, blank=True)
    reason = models.CharField(max_length=20, choices=ReportReason.choices)
    details = models.TextField(blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_made",
    )
    email = models.EmailField("reporter's email", blank=True)
    status = models.CharField(
        max_length=12, choices=ReportStatus.choices, default=ReportStatus.NEW, db_index=True
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="reports_assigned",
        limit_choices_to={"is_staff": True},
    )
    # What the reporter is told when the report is closed.
    outcome = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        target = self.object_name or self.object_id
        return f"report {self.pk}: {self.kind} {target}"


class ReportNote(models.Model):
    report = models.ForeignKey(AbuseReport, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note on report {self.report_id}"


class NoteKind(models.TextChoices):
    NOTE = "note", _("Note (admins only)")
    WARNING = "warning", _("Warning (shown to the user)")


class AccountNote(models.Model):
    """An admin's note on an account, or a warning the account's owner is shown."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_notes"
    )
    kind = models.CharField(max_length=10, choices=NoteKind.choices, default=NoteKind.NOTE)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)
    seen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.user_id}"


class BannedAddress(models.Model):
    """An email address (``name@example.org``) or a whole domain (``example.org``) that may
    not sign up or leave guest comments. Stored lower-cased."""

    value = models.CharField(max_length=254, unique=True)
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["value"]
        verbose_name_plural = "banned addresses"

    def __str__(self) -> str:
        return self.value


class WorkCommentPolicy(models.Model):
    """A work's comment moderation beyond ``Work.comment_permission``: hold every comment
    (but its creators') until a creator approves it ("moderate all comments" on AO3)."""

    work = models.OneToOneField(
        "works.Work", on_delete=models.CASCADE, primary_key=True, related_name="comment_policy"
    )
    moderate_all = models.BooleanField("moderate all comments", default=False)

    def __str__(self) -> str:
        return f"comment policy of work {self.work_id}"


class ThreadFlag(models.Model):
    """A comment thread (its top comment) frozen (no more replies) or hidden (from all but
    the work's creators and admins) by a creator of the work or an admin."""

    comment = models.OneToOneField(
        "feedback.Comment", on_delete=models.CASCADE, primary_key=True, related_name="thread_flag"
    )
    frozen = models.BooleanField(default=False)
    hidden = models.BooleanField(default=False)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"thread {self.comment_id}"


class ModeratedUser(User):
    """Accounts as moderators see them in the admin (warn, suspend, ban, hide works); a
    proxy of ``accounts.User``, so no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "account (moderation)"
        verbose_name_plural = "accounts (moderation)"
