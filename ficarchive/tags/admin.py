"""The Django admin for tags: for looking things up. Wrangling goes through /tags/wrangle
and the services (audit log, closure stamps), so the wrangling fields are read-only here."""

from __future__ import annotations

from django.contrib import admin

from .models import Tag


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "canonical", "synonym_of", "unwrangleable", "uses")
    list_filter = ("kind", "canonical", "unwrangleable")
    search_fields = ("name_key",)
    ordering = ("name_key",)
    readonly_fields = (
        "name",
        "name_key",
        "kind",
        "canonical",
        "synonym_of",
        "unwrangleable",
        "uses",
        "created_at",
        "updated_at",
    )
    exclude = ("parents", "fandoms", "characters")

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
