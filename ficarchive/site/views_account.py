"""Account pages the site app adds: changing the email address, deleting the account,
downloading everything."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ficarchive.accounts import standing
from ficarchive.accounts.forms import add_service_errors
from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound

from . import account, exports, services
from .forms import AccountDeleteForm, EmailChangeForm, RenameForm
from .models import ExportStatus


@login_required
def email_change(request: HttpRequest) -> HttpResponse:
    """Ask for a new address: confirmed at the new address, the old one told afterwards."""
    me = cast(User, request.user)
    form = EmailChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.email_change_request(
                user=me, email=form.cleaned_data["email"], password=form.cleaned_data["password"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("We have sent a link to %(email)s. Your address changes when you open it.")
                % {"email": form.cleaned_data["email"]},
            )
            return redirect("accounts:preferences", me.username)
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": "Change Email", "submit": "Send Confirmation"},
    )


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    """Delete my account: orphan or delete my works, confirmed by my password."""
    me = cast(User, request.user)
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            count = account.account_delete(
                user=me, password=form.cleaned_data["password"], works=form.cleaned_data["works"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            logout(request)
            if form.cleaned_data["works"] == "orphan":
                done = ngettext(
                    "Your account was deleted; %(count)s work orphaned.",
                    "Your account was deleted; %(count)s works orphaned.",
                    count,
                )
            else:
                done = ngettext(
                    "Your account was deleted; %(count)s work deleted or orphaned.",
                    "Your account was deleted; %(count)s works deleted or orphaned.",
                    count,
                )
            messages.success(request, done % {"count": count})
            return redirect("core:home")
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": "Delete My Account", "submit": "Delete My Account"},
    )


@login_required
def account_export(request: HttpRequest) -> HttpResponse:
    """Download everything I made: the page that asks for it (GET) and the request (POST),
    which the job queue builds; then the export's own page."""
    me = cast(User, request.user)
    if request.method == "POST":
        return redirect(exports.export_request(user=me).get_absolute_url())
    return render(request, "site/export.html", {"export": None})


@login_required
def account_export_status(request: HttpRequest, token: str) -> HttpResponse:
    """An export's page: refreshes itself while the file is prepared, then links it."""
    try:
        export = exports.export_for_owner(user=request.user, token=token)
    except NotFound:
        raise Http404
    return render(
        request,
        "site/export.html",
        {"export": export, "failed": exports.export_failed(export), "refresh": 5},
    )


@login_required
def account_export_download(request: HttpRequest, token: str) -> HttpResponseBase:
    """The ZIP, to its owner only (404 to anyone else, and once it has expired)."""
    try:
        export = exports.export_for_owner(user=request.user, token=token)
    except NotFound:
        raise Http404
    path = exports.export_path(export)
    if export.status != ExportStatus.READY or not path.exists():
        raise Http404
    name = f"{export.user.username}-{export.created_at:%Y-%m-%d}.zip"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def rename(request: HttpRequest) -> HttpResponse:
    """Change my user name; pages under the old name redirect for a while."""
    me = cast(User, request.user)
    form = RenameForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old = me.username
        try:
            standing.user_rename(
                user=me,
                new_name=form.cleaned_data["username"],
                password=form.cleaned_data["password"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("You are %(name)s now. Links to %(old)s lead here for %(days)s days.")
                % {"name": me.username, "old": old, "days": standing.RENAME_REDIRECT_DAYS},
            )
            return redirect("accounts:profile", me.username)
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": "Change User Name", "submit": "Change User Name"},
    )
