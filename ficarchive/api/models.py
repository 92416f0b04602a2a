"""Personal access tokens for the JSON API. Only a SHA-256 of each token is stored: the
token itself is shown once, when it is made."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class TokenScope(models.TextChoices):
    READ = "read", "Read: see what you can see on the site"
    WRITE = "write", "Read and write: also post, edit, comment, give kudos and bookmark"


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    scope = models.CharField(max_length=10, choices=TokenScope.choices, default=TokenScope.READ)
    # sha256 hex of the whole token ("fa_..."); the token cannot be recovered from it.
    token_hash = models.CharField(max_length=64, unique=True)
    # The first characters, so the owner can tell tokens apart in the list.
    prefix = models.CharField(max_length=12)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def can_write(self) -> bool:
        return self.scope == TokenScope.WRITE
