from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse


class Kudos(models.Model):
    """One per account, or one per guest address, per work."""

    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="kudos")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="kudos",
    )
    # A keyed hash of the guest's address; never the address itself.
    guest_key = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "kudos"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "user"], condition=Q(user__isnull=False), name="kudos_once_per_user"
            ),
            models.UniqueConstraint(
                fields=["work", "guest_key"],
                condition=Q(user__isnull=True),
                name="kudos_once_per_guest",
            ),
        ]

    def __str__(self) -> str:
        return f"kudos on {self.work_id}"


class CommentStatus(models.TextChoices):
    PUBLISHED = "published"
    PENDING = "pending", "Awaiting moderation"
    SPAM = "spam"


class Comment(models.Model):
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="comments")
    chapter = models.ForeignKey(
        "works.Chapter", on_delete=models.CASCADE, null=True, blank=True, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="comments",
    )
    pseud = models.ForeignKey(
        "accounts.Pseud", on_delete=models.SET_NULL, null=True, blank=True, related_name="comments"
    )
    guest_name = models.CharField(max_length=100, blank=True)
    guest_email = models.EmailField(blank=True)
    body = models.TextField(help_text="Sanitized HTML.")
    status = models.CharField(
        max_length=10, choices=CommentStatus.choices, default=CommentStatus.PUBLISHED, db_index=True
    )
    # A deleted comment with replies stays as "(Previous comment deleted.)" so threads hold.
    deleted = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["work", "created_at"], name="comment_work_created")]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.work_id}"

    def get_absolute_url(self) -> str:
        return reverse("works:detail", args=[self.work_id]) + f"#comment_{self.pk}"

    @property
    def author_name(self) -> str:
        if self.pseud_id:
            return self.pseud.display_name
        if self.user_id:
            return self.user.username
        return self.guest_name or "Guest"


class InboxItem(models.Model):
    """A comment notification for a creator or for the author of the comment replied to."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox"
    )
    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="inbox_items")
    read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "comment"], name="inbox_once_per_comment")
        ]

    def __str__(self) -> str:
        return f"inbox {self.user_id}: {self.comment_id}"


class Bookmark(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookmarks"
    )
    pseud = models.ForeignKey("accounts.Pseud", on_delete=models.CASCADE, related_name="bookmarks")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="bookmarks")
    notes = models.TextField(blank=True, help_text="Sanitized HTML.")
    tags = models.ManyToManyField("tags.Tag", blank=True, related_name="bookmarks")
    private = models.BooleanField(default=False)
    rec = models.BooleanField("recommendation", default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="bookmark_once_per_user")
        ]

    def __str__(self) -> str:
        return f"bookmark {self.user_id}: {self.work_id}"
