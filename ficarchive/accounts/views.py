"""Account pages: sign up, profile, pseuds, preferences. Log in, log out and passwords are
Django's own views, configured in urls.py."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.views.decorators.http import require_POST

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.works.selectors import works_by_user

from . import selectors, services
from .forms import PreferencesForm, ProfileForm, PseudForm, SignupForm, add_service_errors
from .models import Pseud

PER_PAGE = 20


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; the email names the site as configured when it is sent."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        self.extra_email_context = {"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL}
        return super().form_valid(form)


def _own_user(request: HttpRequest, username: str):
    try:
        return selectors.user_get_own(username, request.user)
    except NotFound:
        raise Http404


def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("accounts:profile", request.user.username)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                username=form.cleaned_data["username"],
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc, {"password": "password1"})
        else:
            # The first configured backend (the lock-out backend), so the session stays valid.
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            messages.success(request, f"Welcome to the archive, {user.username}! You are logged in.")
            return redirect("accounts:profile", user.username)
    return render(request, "accounts/signup.html", {"form": form})


def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        owner = selectors.user_get(username)
    except NotFound:
        raise Http404
    page = Paginator(works_by_user(owner, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {"owner": owner, "works": page.object_list, "page_obj": page, "pseuds": selectors.pseuds_of(owner)},
    )


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = ProfileForm(request.POST or None, initial={"profile": owner.profile})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(actor=request.user, user=owner, profile=form.cleaned_data["profile"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, "Your profile was updated.")
            return redirect("accounts:profile", owner.username)
    return render(request, "accounts/form.html", {"form": form, "title": "Edit Profile", "submit": "Update"})


def pseud(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    try:
        p = selectors.pseud_get(username, pseud_name)
    except NotFound:
        raise Http404
    page = Paginator(selectors.works_by_pseud(p, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "accounts/pseud.html", {"pseud": p, "owner": p.user, "works": page.object_list, "page_obj": page}
    )


def pseuds(request: HttpRequest, username: str) -> HttpResponse:
    try:
        owner = selectors.user_get(username)
    except NotFound:
        raise Http404
    return render(request, "accounts/pseuds.html", {"owner": owner, "pseuds": selectors.pseuds_of(owner)})


@login_required
def pseud_new(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.pseud_create(actor=request.user, user=owner, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Pseud {p.name} was created.")
            return redirect("accounts:pseuds", owner.username)
    return render(request, "accounts/pseud_form.html", {"form": form, "owner": owner, "title": "New Pseud"})


@login_required
def pseud_edit(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    owner = _own_user(request, username)
    p = get_object_or_404(Pseud, user=owner, name=pseud_name)
    form = PseudForm(
        request.POST or None, initial={"name": p.name, "description": p.description, "is_default": p.is_default}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(actor=request.user, pseud=p, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, f"Pseud {p.name} was updated.")
            return redirect("accounts:pseuds", owner.username)
    return render(
        request, "accounts/pseud_form.html", {"form": form, "owner": owner, "pseud": p, "title": f"Edit Pseud {p.name}"}
    )


@require_POST
@login_required
def pseud_delete(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    owner = _own_user(request, username)
    p = get_object_or_404(Pseud, user=owner, name=pseud_name)
    try:
        services.pseud_delete(actor=request.user, pseud=p)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, f"Pseud {pseud_name} was deleted.")
    return redirect("accounts:pseuds", owner.username)


@login_required
def preferences(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = PreferencesForm(request.POST or None, instance=owner)
    if request.method == "POST" and form.is_valid():
        services.preferences_update(actor=request.user, user=owner, **form.cleaned_data)
        messages.success(request, "Your preferences were saved.")
        return redirect("accounts:preferences", owner.username)
    return render(request, "accounts/preferences.html", {"form": form, "owner": owner})


def unclaimed_pseud(request: HttpRequest, pseud_id: int) -> HttpResponse:
    p = get_object_or_404(Pseud, pk=pseud_id, user__isnull=True)
    page = Paginator(selectors.works_by_pseud(p, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "accounts/pseud.html", {"pseud": p, "owner": None, "works": page.object_list, "page_obj": page}
    )
