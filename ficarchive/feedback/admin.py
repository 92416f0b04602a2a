from django.contrib import admin

from .models import Bookmark, Comment, InboxItem, Kudos


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "chapter", "user", "guest_name", "status", "deleted", "created_at"]
    list_filter = ["status", "deleted"]
    search_fields = ["body", "guest_name", "guest_email", "user__username"]
    raw_id_fields = ["work", "chapter", "parent", "user", "pseud"]
    date_hierarchy = "created_at"


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "user", "created_at"]
    search_fields = ["user__username", "work__title"]
    raw_id_fields = ["work", "user"]
    # The guest key is a keyed hash; showing it helps nobody.
    exclude = ["guest_key"]


@admin.register(Bookmark)
class BookmarkAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "user", "pseud", "private", "rec", "created_at"]
    list_filter = ["private", "rec"]
    search_fields = ["user__username", "work__title", "notes"]
    raw_id_fields = ["work", "user", "pseud", "tags"]


@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "comment", "read", "created_at"]
    list_filter = ["read"]
    raw_id_fields = ["user", "comment"]
