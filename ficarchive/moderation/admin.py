"""The moderators' admin: the abuse report queue (status, assignment, notes, outcome, and
actions on the reported object), accounts (warn, suspend until a date, ban, notes, hide
all works), banned addresses, and blocks (read only). Every change goes through
``services`` or ``reports``, which write the audit log."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.selectors import account_of
from ficarchive.core.errors import PermissionDenied

from . import reports, services
from .models import (
    AbuseReport,
    AccountNote,
    BannedAddress,
    Block,
    ModeratedUser,
    ReportNote,
    ReportStatus,
)
from .selectors import spam_count


def _each(
    model_admin: admin.ModelAdmin, request: HttpRequest, items: Any, do: Callable, done: str
) -> None:
    ok, failed = 0, []
    for item in items:
        try:
            do(item)
        except (ValidationError, PermissionDenied) as exc:
            failed.append(f"{item}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
        else:
            ok += 1
    model_admin.message_user(request, f"{ok} {done}.", messages.SUCCESS)
    for line in failed:
        model_admin.message_user(request, line, messages.WARNING)


class ReportNoteInline(admin.TabularInline):
    model = ReportNote
    extra = 1
    fields = ("body", "author", "created_at")
    readonly_fields = ("author", "created_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AbuseReport)
class AbuseReportAdmin(admin.ModelAdmin):
    list_display = ("pk", "status", "kind", "reported", "reason", "assigned_to", "created_at")
    list_filter = ("status", "kind", "reason", "assigned_to")
    search_fields = ("object_name", "details", "email")
    readonly_fields = (
        "kind",
        "reported",
        "url",
        "reason",
        "details",
        "reporter",
        "email",
        "created_at",
        "closed_at",
    )
    fields = readonly_fields + ("status", "assigned_to", "outcome")
    inlines = [ReportNoteInline]
    actions = [
        "assign_to_me",
        "mark_resolved",
        "mark_rejected",
        "hide_reported_works",
        "ban_reported_users",
        "spam_reported_comments",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # reports come from the form at /abuse_reports/new

    @admin.display(description=_("reported"))
    def reported(self, obj: AbuseReport) -> str:
        path = reports.reported_url(obj) or "#"
        return format_html(
            '<a href="{}">{} {}</a>', path, obj.kind, obj.object_name or obj.object_id
        )

    def save_model(self, request: HttpRequest, obj: AbuseReport, form: Any, change: bool) -> None:
        """Status, assignment and outcome go through the report services (audit, mail)."""
        fresh = AbuseReport.objects.get(pk=obj.pk)
        if obj.assigned_to_id != fresh.assigned_to_id:
            fresh = reports.report_assign(actor=request.user, report=fresh, to=obj.assigned_to)
        if obj.status != fresh.status or obj.outcome != fresh.outcome:
            reports.report_status_set(
                actor=request.user, report=fresh, status=obj.status, outcome=obj.outcome
            )

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Notes are added through the service; the admin's change message needs these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            body = inline_form.cleaned_data.get("body") if inline_form.has_changed() else None
            if body and not inline_form.instance.pk:
                reports.report_note_add(actor=request.user, report=form.instance, body=body)

    @admin.action(description=_("Assign to me"))
    def assign_to_me(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda r: reports.report_assign(
                actor=request.user, report=r, to=account_of(request.user)
            ),
            "assigned",
        )

    @admin.action(description=_("Mark resolved (the reporter is told)"))
    def mark_resolved(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda r: reports.report_status_set(
                actor=request.user, report=r, status=ReportStatus.RESOLVED
            ),
            "resolved",
        )

    @admin.action(description=_("Mark rejected (the reporter is told)"))
    def mark_rejected(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        _each(
            self,
            request,
            queryset,
            lambda r: reports.report_status_set(
                actor=request.user, report=r, status=ReportStatus.REJECTED
            ),
            "rejected",
        )

    @admin.action(description=_("Hide the reported works (work, chapter or comment's work)"))
    def hide_reported_works(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        def hide(report: AbuseReport) -> None:
            from ficarchive.works.services import work_hide

            work = reports.reported_work(report)
            if work is None:
                raise ValidationError("no work to hide")
            work_hide(actor=request.user, work=work, hidden=True)  # type: ignore[arg-type]

        _each(self, request, queryset, hide, "works hidden")

    @admin.action(description=_("Ban the reported users (user, or the comment's author)"))
    def ban_reported_users(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        def ban(report: AbuseReport) -> None:
            user = reports.reported_user(report)
            if user is None:
                raise ValidationError("no account to ban")
            services.user_ban(actor=request.user, user=user, reason=f"report {report.pk}")

        _each(self, request, queryset, ban, "accounts banned")

    @admin.action(description=_("Mark the reported comments as spam (undo: approve them)"))
    def spam_reported_comments(self, request: HttpRequest, queryset: QuerySet[AbuseReport]) -> None:
        def spam(report: AbuseReport) -> None:
            from ficarchive.feedback.models import Comment
            from ficarchive.feedback.services import comment_mark_spam

            comment = (
                Comment.objects.filter(pk=report.object_id).first()
                if report.kind == "comment" and report.object_id is not None
                else None
            )
            if comment is None:
                raise ValidationError("no comment to mark")
            comment_mark_spam(actor=request.user, comment=comment)

        _each(self, request, queryset, spam, "comments marked as spam")


class SuspendForm(forms.Form):
    until = forms.DateField(help_text=_("YYYY-MM-DD: the day the suspension ends."))
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}), help_text=_("Shown to the user.")
    )


class WarnForm(forms.Form):
    body = forms.CharField(label=_("Warning"), widget=forms.Textarea(attrs={"rows": 4}))


class AccountNoteInline(admin.TabularInline):
    model = AccountNote
    fk_name = "user"
    extra = 1
    fields = ("kind", "body", "author", "created_at", "seen_at")
    readonly_fields = ("author", "created_at", "seen_at")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(ModeratedUser)
class ModeratedUserAdmin(admin.ModelAdmin):
    list_display = (
        "username",
        "email",
        "email_confirmed",
        "suspended_until",
        "banned",
        "date_joined",
    )
    list_filter = ("banned", "email_confirmed")
    search_fields = ("username", "email")
    fields = (
        "username",
        "email",
        "email_confirmed",
        "suspended_until",
        "suspension_reason",
        "banned",
        "spam_comments",
    )
    readonly_fields = fields
    inlines = [AccountNoteInline]
    actions = ["suspend", "unsuspend", "warn", "ban", "unban", "hide_works", "unhide_works"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("comments marked as spam"))
    def spam_comments(self, obj: Any) -> int:
        return spam_count(obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        pass  # nothing on the account is edited here; notes are saved below

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        # Notes are added through the service; the admin's change message needs these.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for inline_form in formset.forms:
            body = inline_form.cleaned_data.get("body") if inline_form.has_changed() else None
            if body and not inline_form.instance.pk:
                services.account_note_add(
                    actor=request.user,
                    user=form.instance,
                    body=body,
                    warning=inline_form.cleaned_data.get("kind") == "warning",
                )

    def _with_form(
        self,
        request: HttpRequest,
        queryset: QuerySet,
        form_class: type[forms.Form],
        title: str,
        apply: Callable,
    ) -> HttpResponse | None:
        """An action that asks for details first (Django's intermediate-page pattern)."""
        form = form_class(request.POST if "apply" in request.POST else None)
        if form.is_valid():
            _each(self, request, queryset, lambda u: apply(u, form.cleaned_data), "accounts done")
            return None
        return render(
            request,
            "moderation/admin_action.html",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "form": form,
                "queryset": queryset,
                "action": request.POST.get("action"),
                "opts": self.model._meta,
            },
        )

    @admin.action(description=_("Suspend until a date…"))
    def suspend(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def apply(user: Any, data: dict) -> None:
            services.user_suspend(
                actor=request.user, user=user, until=data["until"], reason=data["reason"]
            )

        return self._with_form(request, queryset, SuspendForm, "Suspend accounts", apply)

    @admin.action(description=_("Warn…"))
    def warn(self, request: HttpRequest, queryset: QuerySet) -> HttpResponse | None:
        def apply(user: Any, data: dict) -> None:
            services.account_note_add(
                actor=request.user, user=user, body=data["body"], warning=True
            )

        return self._with_form(request, queryset, WarnForm, "Warn accounts", apply)

    @admin.action(description=_("End suspension"))
    def unsuspend(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(
            self,
            request,
            queryset,
            lambda u: services.user_unsuspend(actor=request.user, user=u),
            "unsuspended",
        )

    @admin.action(description=_("Ban"))
    def ban(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(
            self,
            request,
            queryset,
            lambda u: services.user_ban(actor=request.user, user=u),
            "banned",
        )

    @admin.action(description=_("Lift ban"))
    def unban(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(
            self,
            request,
            queryset,
            lambda u: services.user_ban(actor=request.user, user=u, banned=False),
            "unbanned",
        )

    @admin.action(description=_("Hide all their works"))
    def hide_works(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(
            self,
            request,
            queryset,
            lambda u: services.user_works_hide(actor=request.user, user=u),
            "accounts' works hidden",
        )

    @admin.action(description=_("Show all their works again"))
    def unhide_works(self, request: HttpRequest, queryset: QuerySet) -> None:
        _each(
            self,
            request,
            queryset,
            lambda u: services.user_works_hide(actor=request.user, user=u, hidden=False),
            "accounts' works shown",
        )


@admin.register(BannedAddress)
class BannedAddressAdmin(admin.ModelAdmin):
    list_display = ("value", "reason", "created_at")
    search_fields = ("value",)
    fields = ("value", "reason")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: BannedAddress, form: Any, change: bool) -> None:
        saved = services.banned_address_add(actor=request.user, value=obj.value, reason=obj.reason)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: BannedAddress) -> None:
        services.banned_address_remove(actor=request.user, value=obj.value)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[BannedAddress]) -> None:
        for obj in queryset:
            services.banned_address_remove(actor=request.user, value=obj.value)


@admin.register(Block)
class BlockAdmin(admin.ModelAdmin):
    list_display = ("blocker", "blocked", "created_at")
    search_fields = ("blocker__username", "blocked__username")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
