"""Django admin for works, chapters and series.

Edits here go through the works services like any other: a saved work is sanitized,
recounted and re-indexed by ``work_admin_save``; hiding and deleting call ``work_hide`` and
``work_delete``, so guests' listings and search follow at once."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db import transaction

from ficarchive.core.admin import SanitizedHtmlAdmin
from ficarchive.core.html import sanitize_html

from .models import Chapter, Creatorship, SerialWork, Series, Work
from .services import work_admin_save, work_delete, work_hide


class ChapterInline(admin.StackedInline):
    model = Chapter
    extra = 0
    fields = (
        "position",
        "title",
        "posted",
        "word_count",
        "published_at",
        "summary",
        "notes",
        "end_notes",
        "body",
    )
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
    list_display = (
        "title",
        "rating",
        "posted",
        "restricted",
        "anonymous",
        "hidden_by_admin",
        "chapters_display",
        "word_count",
        "revised_at",
    )
    list_filter = ("rating", "posted", "restricted", "anonymous", "hidden_by_admin", "language")
    search_fields = ("title",)
    date_hierarchy = "published_at"
    readonly_fields = (
        "word_count",
        "chapter_count",
        "kudos_count",
        "comment_count",
        "bookmark_count",
        "hit_count",
        "created_at",
        "updated_at",
        "source_hash",
    )
    inlines = [CreatorshipInline, ChapterInline]
    list_select_related = True
    actions = ["hide_works", "unhide_works"]

    def save_related(self, request, form, formsets, change) -> None:
        # The row and inlines are saved by now (in the admin's transaction); the service
        # sanitizes, recounts and re-indexes them together.
        super().save_related(request, form, formsets, change)
        work_admin_save(actor=request.user, work=form.instance)

    def delete_model(self, request, obj: Work) -> None:
        work_delete(actor=request.user, work=obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset) -> None:
        for work in queryset:
            work_delete(actor=request.user, work=work)

    @admin.action(description="Hide selected works from everyone but their creators")
    @transaction.atomic
    def hide_works(self, request, queryset) -> None:
        for work in queryset:
            work_hide(actor=request.user, work=work, hidden=True)
        self.message_user(request, f"Hid {queryset.count()} works.", messages.SUCCESS)

    @admin.action(description="Show selected hidden works again")
    @transaction.atomic
    def unhide_works(self, request, queryset) -> None:
        for work in queryset:
            work_hide(actor=request.user, work=work, hidden=False)
        self.message_user(request, f"Showed {queryset.count()} works again.", messages.SUCCESS)

    @admin.display(description="Chapters")
    def chapters_display(self, obj: Work) -> str:
        return obj.chapters_display


@admin.register(Series)
class SeriesAdmin(SanitizedHtmlAdmin):
    list_display = ("title", "complete", "updated_at")
    html_fields = {"summary": sanitize_html, "notes": sanitize_html}
    list_filter = ("complete",)
    search_fields = ("title",)
    inlines = [SerialWorkInline]
