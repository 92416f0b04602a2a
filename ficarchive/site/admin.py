"""The site's admin: settings (sign-up mode, invitations, banner), site pages with their
history, admin posts and their comments, invitations and the invite queue. Every save goes
through ``services`` or ``pages`` (sanitizing, history, audit log)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from . import pages, services
from .models import (
    AdminPost,
    AdminPostComment,
    Invitation,
    InviteRequest,
    SitePage,
    SitePageVersion,
    SiteSettings,
)


@admin.register(SiteSettings)
class SiteSettingsAdmin(admin.ModelAdmin):
    fields = ("signup_mode", *services.SETTINGS_NUMBERS, "banner")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not SiteSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: SiteSettings, form: Any, change: bool) -> None:
        services.site_settings_update(
            actor=request.user, **{n: getattr(obj, n) for n in services.SETTINGS_NUMBERS}
        )
        if "signup_mode" in form.changed_data:
            services.signup_mode_set(actor=request.user, mode=obj.signup_mode)
        if "banner" in form.changed_data:
            pages.banner_set(actor=request.user, text=obj.banner)


class SitePageForm(forms.ModelForm):
    major = forms.BooleanField(
        label=_("Users must accept this version again (terms of service)"),
        required=False,
        initial=True,
    )

    class Meta:
        model = SitePage
        fields = ("slug", "title", "body")


class SitePageVersionInline(admin.TabularInline):
    model = SitePageVersion
    fields = ("version", "title", "major", "editor", "created_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(SitePage)
class SitePageAdmin(admin.ModelAdmin):
    form = SitePageForm
    list_display = ("title", "slug", "version", "updated_at")
    inlines = [SitePageVersionInline]

    def save_model(self, request: HttpRequest, obj: SitePage, form: Any, change: bool) -> None:
        saved = pages.page_save(
            actor=request.user,
            slug=obj.slug,
            title=obj.title,
            body=obj.body,
            major=form.cleaned_data.get("major", True),
        )
        obj.pk = saved.pk

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        # The version history is written by page_save; the change message needs these.
        for formset in formsets:
            formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []


class AdminPostCommentInline(admin.TabularInline):
    model = AdminPostComment
    fields = ("user", "body", "hidden", "created_at")
    readonly_fields = ("user", "body", "created_at")
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AdminPost)
class AdminPostAdmin(admin.ModelAdmin):
    list_display = ("title", "published_at", "author")
    fields = ("title", "body", "comments_allowed")
    inlines = [AdminPostCommentInline]

    def save_model(self, request: HttpRequest, obj: AdminPost, form: Any, change: bool) -> None:
        saved = pages.admin_post_save(
            actor=request.user,
            title=obj.title,
            body=obj.body,
            post=AdminPost.objects.get(pk=obj.pk) if change else None,
            comments_allowed=obj.comments_allowed,
        )
        obj.pk = saved.pk

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline in formset.forms:
            if inline.instance.pk and "hidden" in inline.changed_data:
                pages.admin_post_comment_hide(
                    actor=request.user,
                    comment=inline.instance,
                    hidden=inline.cleaned_data["hidden"],
                )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ("code", "creator", "email", "used_by", "expires_at", "created_at")
    search_fields = ("code", "email", "creator__username", "used_by__username")
    readonly_fields = ("code", "creator", "email", "used_by", "used_at", "expires_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # codes come from /invitations or `ficarchive invite create`


@admin.register(InviteRequest)
class InviteRequestAdmin(admin.ModelAdmin):
    list_display = ("email", "created_at", "invitation")
    search_fields = ("email",)
    readonly_fields = ("email", "created_at", "invitation")
    actions = ["send_next_batch"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Send today's batch of invitations now (oldest first)"))
    def send_next_batch(self, request: HttpRequest, queryset: QuerySet[InviteRequest]) -> None:
        sent = services.invite_queue_send(actor=request.user)
        self.message_user(
            request, _("Sent %(count)s invitations.") % {"count": len(sent)}, messages.SUCCESS
        )
