"""Django admin for works, chapters, series and the audit log."""

from __future__ import annotations

from django.contrib import admin

from .models import AuditLog, Chapter, Creatorship, SerialWork, Series, Work


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = ("position", "title", "posted", "word_count", "published_at", "summary", "notes", "end_notes", "body")
    readonly_fields = ("word_count",)
    ordering = ("position",)


class CreatorshipInline(admin.TabularInline):
    model = Creatorship
    extra = 0
    raw_id_fields = ("pseud",)


class SerialWorkInline(admin.TabularInline):
    model = SerialWork
    extra = 0
    raw_id_fields = ("work",)


@admin.register(Work)
class WorkAdmin(admin.ModelAdmin):
    list_display = ("title", "rating", "posted", "restricted", "anonymous", "hidden_by_admin",
                    "chapters_display", "word_count", "revised_at")
    list_filter = ("rating", "posted", "restricted", "anonymous", "hidden_by_admin", "language")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    readonly_fields = ("word_count", "chapter_count", "kudos_count", "comment_count", "bookmark_count",
                       "hit_count", "created_at", "updated_at", "source_hash")
    inlines = [CreatorshipInline, ChapterInline]
    list_select_related = True

    @admin.display(description="Chapters")
    def chapters_display(self, obj: Work) -> str:
        return obj.chapters_display


@admin.register(Series)
class SeriesAdmin(admin.ModelAdmin):
    list_display = ("title", "complete", "updated_at")
    list_filter = ("complete",)
    search_fields = ("title",)
    inlines = [SerialWorkInline]


@admin.register(AuditLog)
class AuditLogAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target")
    list_filter = ("action",)
    search_fields = ("target",)
    readonly_fields = ("created_at", "actor", "action", "target", "detail")
