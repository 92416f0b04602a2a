"""The audit log: who changed what, for moderation and wrangling. Every app writes it
through ``audit_record``; it lives in ``core`` so that writing it imports no domain app."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.db import models

from .viewers import Viewer, user_or_none

# Every action is named ``area.verb`` (``user.suspend``, ``tag.synonym``, ``work.hide``):
# lower case, one dot, so that one area's rows filter as ``action__startswith="user."``.
# Rows written before this rule had ``area_verb`` names; migration core 0004 renamed them.
ACTION_NAME = re.compile(r"[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*")


class AuditLog(models.Model):
    """Who changed what, for moderation and wrangling (moved from ``works``; same table)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    action = models.CharField(max_length=60)
    target = models.CharField(max_length=255)
    detail = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        app_label = "core"
        db_table = "works_auditlog"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.action} {self.target}"


def audit_record(
    *, actor: Viewer, action: str, target: str, detail: dict[str, Any] | None = None
) -> AuditLog:
    """Write one audit entry. ``action`` is ``area.verb`` (``ACTION_NAME``; ``ValueError``
    otherwise, so a new name cannot drift from the style); ``actor`` is an account, or a
    guest/None/the operator (stored without an actor); ``target`` is cut to the column's
    255 characters."""
    if not ACTION_NAME.fullmatch(action):
        raise ValueError(f"audit action {action!r} is not named area.verb")
    user = user_or_none(actor)
    return AuditLog.objects.create(
        # By id: ``core`` may not import ``accounts.User``, the column's model.
        actor_id=user.pk if user is not None else None,
        action=action,
        target=target[:255],
        detail=detail or {},
    )
