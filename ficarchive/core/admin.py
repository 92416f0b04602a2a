"""Django admin for the audit log (read-only: entries are written by the services)."""

from __future__ import annotations

from django.contrib import admin

from .audit import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target",)
    readonly_fields = ("created_at", "actor", "action", "target", "detail")
