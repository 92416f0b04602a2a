"""What authors decided about the tags proposed for their works."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ficarchive.tags.models import TAG_NAME_MAX
from ficarchive.tags.vocabulary import TagKind


class DismissedSuggestion(models.Model):
    """A proposed tag a creator dropped: it is not proposed for that work again."""

    work = models.ForeignKey(
        "works.Work", on_delete=models.CASCADE, related_name="dismissed_suggestions"
    )
    kind = models.CharField(max_length=20, choices=TagKind.choices)
    # Compared as tag names are (ficarchive.tags.models.tag_key); name keeps the spelling shown.
    name_key = models.CharField(max_length=TAG_NAME_MAX)
    name = models.CharField(max_length=TAG_NAME_MAX)
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "name_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["work", "kind", "name_key"], name="dismissedsuggestion_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.kind}) dismissed on {self.work_id}"
