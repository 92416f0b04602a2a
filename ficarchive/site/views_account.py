"""Account pages the site app adds: changing the email address."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from ficarchive.accounts.forms import add_service_errors
from ficarchive.accounts.models import User

from . import services
from .forms import EmailChangeForm


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
                f"We have sent a link to {form.cleaned_data['email']}. Your address changes when "
                "you open it.",
            )
            return redirect("accounts:preferences", me.username)
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": "Change Email", "submit": "Send Confirmation"},
    )
