from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import strip_tags
from django.utils.text import Truncator

from ficarchive.core.admin import SanitizedHtmlAdmin
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.html import sanitize_comment_html
from ficarchive.core.viewers import Viewer

from . import services
from .models import Bookmark, Comment, CommentStatus, InboxItem, Kudos


def _apply(
    admin_obj: admin.ModelAdmin,
    request: HttpRequest,
    queryset: QuerySet[Comment],
    service: Callable[..., Any],
    done: str,
) -> None:
    """Run a moderation service on each selected comment (each in its own transaction, so
    counters stay right), then say how many were done and which were skipped."""
    ok, skipped = 0, []
    for comment in queryset.order_by("pk"):
        try:
            service(actor=request.user, comment=comment)
        except (NotFound, PermissionDenied, ValidationError):
            skipped.append(str(comment.pk))
        else:
            ok += 1
    admin_obj.message_user(
        request, f"{ok} comment{'s' if ok != 1 else ''} {done}.", messages.SUCCESS
    )
    if skipped:
        admin_obj.message_user(
            request,
            f"Skipped (not in a state this applies to): {', '.join(skipped)}.",
            messages.WARNING,
        )


class ModerationFilter(admin.SimpleListFilter):
    """The site-wide moderation queue: held (pending or spam) comments across works."""

    title = "moderation"
    parameter_name = "queue"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("held", "Pending or spam")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Comment]) -> QuerySet[Comment]:
        if self.value() == "held":
            return queryset.filter(status__in=[CommentStatus.PENDING, CommentStatus.SPAM])
        return queryset


@admin.register(Comment)
class CommentAdmin(SanitizedHtmlAdmin):
    """Comments across the archive. Filter by status (or "Pending or spam") for the
    moderation queue; the actions go through the feedback services, so work comment counts
    and inboxes stay right."""

    list_display = [
        "pk",
        "excerpt",
        "work",
        "chapter",
        "user",
        "guest_name",
        "status",
        "deleted",
        "created_at",
    ]
    list_filter = [ModerationFilter, "status", "deleted"]
    search_fields = ["body", "guest_name", "guest_email", "user__username"]
    raw_id_fields = ["work", "chapter", "parent", "user", "pseud"]
    list_select_related = ["work", "chapter", "user"]
    date_hierarchy = "created_at"
    actions = ["approve_comments", "mark_spam", "delete_comments"]
    # Status and counters change through the actions only, never by editing a row.
    readonly_fields = ["status", "deleted", "created_at", "edited_at"]
    html_fields = {"body": sanitize_comment_html}

    @admin.display(description="comment")
    def excerpt(self, obj: Comment) -> str:
        return Truncator(strip_tags(obj.body)).chars(80)

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        # Django's own bulk delete would skip the counters and inboxes.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    def has_delete_permission(self, request: HttpRequest, obj: Comment | None = None) -> bool:
        return False

    @admin.action(description="Approve selected comments (pending, or spam by mistake)")
    def approve_comments(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _apply(self, request, queryset, services.comment_approve, "approved")

    @admin.action(description="Mark selected comments as spam (pending or published)")
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        _apply(self, request, queryset, services.comment_mark_spam, "marked as spam")

    @admin.action(description="Delete selected comments")
    def delete_comments(self, request: HttpRequest, queryset: QuerySet[Comment]) -> None:
        def delete(*, actor: Viewer, comment: Comment) -> None:
            if comment.status == CommentStatus.PUBLISHED:
                services.comment_delete(actor=actor, comment=comment)
            else:
                services.comment_discard(actor=actor, comment=comment)

        _apply(self, request, queryset, delete, "deleted")


@admin.register(Kudos)
class KudosAdmin(admin.ModelAdmin):
    list_display = ["pk", "work", "user", "created_at"]
    search_fields = ["user__username", "work__title"]
    raw_id_fields = ["work", "user"]
    # The guest key is a keyed hash; showing it helps nobody.
    exclude = ["guest_key"]


@admin.register(Bookmark)
class BookmarkAdmin(SanitizedHtmlAdmin):
    list_display = ["pk", "work", "user", "pseud", "private", "rec", "created_at"]
    list_filter = ["private", "rec"]
    search_fields = ["user__username", "work__title", "notes"]
    raw_id_fields = ["work", "user", "pseud", "tags"]
    html_fields = {"notes": sanitize_comment_html}


@admin.register(InboxItem)
class InboxItemAdmin(admin.ModelAdmin):
    list_display = ["pk", "user", "comment", "read", "created_at"]
    list_filter = ["read"]
    raw_id_fields = ["user", "comment"]
