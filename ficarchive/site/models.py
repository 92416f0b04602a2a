"""The site app's tables: the archive's settings (sign-up mode, banner), invitations and
the invite queue, site pages (terms of service, content policy, privacy policy, FAQ) with
their history, and admin posts (news) with their comments. Written only by
``site.services`` and ``site.pages``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class SignupMode(models.TextChoices):
    OPEN = "open", _("Open: anyone signs up and posts at once")
    CONFIRM = "confirm", _("Open with email confirmation: read at once, post once confirmed")
    INVITE = "invite", _("Invitation only: a code from a user or an admin")
    QUEUE = "queue", _("Invite queue: leave an email, get an invitation in turn")


class SiteSettings(models.Model):
    """One row (pk 1): what an admin sets for the whole archive."""

    signup_mode = models.CharField(
        max_length=10, choices=SignupMode.choices, default=SignupMode.CONFIRM
    )
    # The invite queue: invitations sent per day, oldest request first (AO3 sends a daily batch).
    invites_per_day = models.PositiveIntegerField(default=20)
    # Invitations each account earns to hand out (0: only admins invite).
    user_invitations = models.PositiveIntegerField(default=0)
    # Unconfirmed accounts are deleted this many days after sign-up.
    unconfirmed_days = models.PositiveIntegerField(default=14)
    # Invitation codes and confirmation links stop working after this many days.
    invitation_days = models.PositiveIntegerField(default=30)
    banner = models.TextField(blank=True, help_text="Sanitized HTML shown on every page.")
    # Raised at each banner change, so a dismissed banner comes back when it changes.
    banner_version = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = verbose_name_plural = "site settings"

    def __str__(self) -> str:
        return "site settings"


class Invitation(models.Model):
    code = models.CharField(max_length=32, unique=True)
    creator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_made",
    )
    # Where it was sent (the invite queue, or a user inviting a friend); blank for codes
    # handed out by hand.
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_used",
    )
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.code


class InviteRequest(models.Model):
    """A place in the invite queue."""

    email = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    invitation = models.OneToOneField(
        Invitation, on_delete=models.SET_NULL, null=True, blank=True, related_name="request"
    )

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.email


class PageSlug(models.TextChoices):
    TOS = "tos", _("Terms of Service")
    CONTENT = "content", _("Content Policy")
    PRIVACY = "privacy", _("Privacy Policy")
    FAQ = "faq", _("Frequently Asked Questions")


class SitePage(models.Model):
    """A page an admin writes; each save adds a ``SitePageVersion``."""

    slug = models.CharField(max_length=20, choices=PageSlug.choices, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Sanitized HTML.")
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(f"site:{self.slug}")


class SitePageVersion(models.Model):
    page = models.ForeignKey(SitePage, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    title = models.CharField(max_length=200)
    body = models.TextField()
    # A change users must accept again (terms of service only).
    major = models.BooleanField(default=True)
    editor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["page", "version"], name="sitepage_version_once")
        ]

    def __str__(self) -> str:
        return f"{self.page_id} v{self.version}"


class AdminPost(models.Model):
    """News from the archive's admins (AO3's admin posts)."""

    title = models.CharField(max_length=200)
    body = models.TextField(help_text="Sanitized HTML.")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    comments_allowed = models.BooleanField(default=True)
    published_at = models.DateTimeField(db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("site:admin_post", args=[self.pk])


class AdminPostComment(models.Model):
    post = models.ForeignKey(AdminPost, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(help_text="Sanitized HTML.")
    hidden = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on admin post {self.post_id}"


class ExportStatus(models.TextChoices):
    QUEUED = "queued", _("Being prepared")
    READY = "ready", _("Ready to download")
    FAILED = "failed", _("Could not be made")


class AccountExport(models.Model):
    """A "download everything I made" ZIP, built by the job queue (``site.exports``). The
    file lives in ``FICARCHIVE_HOME/exports/<token>.zip`` and is served to its owner only,
    until ``expires_at``; the secret token names it so its address cannot be guessed."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_exports"
    )
    token = models.CharField(max_length=64, unique=True)
    status = models.CharField(
        max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"export {self.pk} of {self.user_id} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("site:account_export_status", args=[self.token])
