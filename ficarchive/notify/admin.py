"""Read-only admin views of outgoing mail and subscriptions: for an operator checking
what was sent and what waits (writes go through notify.services and the job queue)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from .models import OutgoingMail, Subscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(OutgoingMail)
class OutgoingMailAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "frequency", "status", "attempts", "created_at", "sent_at")
    list_filter = ("status", "frequency")
    search_fields = ("message_id", "user__username")
    raw_id_fields = ("user",)


@admin.register(Subscription)
class SubscriptionAdmin(ReadOnlyAdmin):
    list_display = ("id", "user", "kind", "work_id", "series_id", "creator", "created_at")
    list_filter = ("kind",)
    raw_id_fields = ("user", "work", "series", "creator")
