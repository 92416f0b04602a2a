"""What the reading app keeps for each signed-in reader: their history and Marked for
Later (one ``Reading`` row per reader and work, as AO3's readings table), their reading
list with its statuses, and their reading settings (history on or off)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Reading(models.Model):
    """A reader and a work: when they last opened it, which chapter, how often, and
    whether they marked it for later. ``views`` is 0 (and ``visited_at`` null) for a work
    only marked for later, or whose history entry was cleared while still marked."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    last_chapter = models.ForeignKey(
        "works.Chapter", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    visited_at = models.DateTimeField(null=True, blank=True)
    views = models.PositiveIntegerField(default=0)
    # The work's chapter count at the last visit: later chapters are "new since you read".
    chapters_seen = models.PositiveIntegerField(default=0)
    marked_for_later = models.BooleanField(default=False)
    marked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="reading_unique_user_work")
        ]
        indexes = [
            models.Index(fields=["user", "-visited_at"], name="reading_history"),
            models.Index(fields=["user", "marked_for_later"], name="reading_later"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} read work {self.work_id}"


class ListStatus(models.TextChoices):
    TO_READ = "to_read", _("To read")
    READING = "reading", _("Reading")
    READ = "read", _("Read")
    DROPPED = "dropped", _("Dropped")


class ReadingListEntry(models.Model):
    """A work on a reader's reading list, with its status."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    work = models.ForeignKey("works.Work", on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=ListStatus.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "work"], name="readinglist_unique_user_work")
        ]
        indexes = [models.Index(fields=["user", "status"], name="readinglist_status")]

    def __str__(self) -> str:
        return f"{self.user_id}: work {self.work_id} {self.status}"


class ReaderSettings(models.Model):
    """A reader's reading preferences; no row means the defaults (history on, list
    private)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    history_enabled = models.BooleanField(default=True)
    reading_list_public = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"reading settings of {self.user_id}"
