from django.contrib import admin

from .models import DismissedSuggestion


@admin.register(DismissedSuggestion)
class DismissedSuggestionAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "work", "dismissed_by", "created_at")
    list_filter = ("kind",)
    search_fields = ("name", "work__title")
    raw_id_fields = ("work", "dismissed_by")
