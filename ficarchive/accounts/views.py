"""Account pages: profile, pseuds, preferences. Log in, log out and passwords are
Django's own views, configured in urls.py. Sign-up is the site app's (``site.views``), as
it follows the archive's sign-up mode."""

from __future__ import annotations

import math
from typing import cast
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from ficarchive.core import ratelimit
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.pages import page_parts
from ficarchive.works.selectors import pseuds_with_work_counts, works_by_pseud, works_by_user

from . import selectors, services
from .display import display_preferences_update
from .forms import DISPLAY_FIELDS, PreferencesForm, ProfileForm, PseudForm, add_service_errors
from .models import Pseud, User
from .tokens import tokens_of

PER_PAGE = 20


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset view; the email names the site as configured when it is sent."""

    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # The link is built from the configured SITE_URL, never from the request's Host
        # header, which an attacker sends (a poisoned link would leak the reset token).
        site = urlsplit(settings.SITE_URL)
        form.save(
            domain_override=site.netloc,
            use_https=site.scheme == "https",
            token_generator=self.token_generator,
            from_email=self.from_email,
            email_template_name=self.email_template_name,
            subject_template_name=self.subject_template_name,
            request=self.request,
            html_email_template_name=self.html_email_template_name,
            extra_email_context={"site_name": settings.SITE_NAME, "site_url": settings.SITE_URL},
        )
        return redirect(self.get_success_url())


def _tokens_revoked_message(request: HttpRequest, count: int) -> None:
    if count:
        messages.info(
            request,
            ngettext(
                "Your %(count)d personal access token was revoked with the old password; "
                "make new ones for your apps.",
                "Your %(count)d personal access tokens were revoked with the old password; "
                "make new ones for your apps.",
                count,
            )
            % {"count": count},
        )


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's password change; every API token of the account is revoked with it."""

    template_name = "accounts/form.html"
    success_url = reverse_lazy("accounts:password_change_done")
    extra_context = {
        "title": gettext_lazy("Change Password"),
        "submit": gettext_lazy("Change Password"),
        "intro": gettext_lazy(
            "Changing your password also revokes your personal access tokens (API, OPDS)."
        ),
    }

    def form_valid(self, form):
        count = tokens_of(form.user).count()
        response = super().form_valid(form)  # saving the password revokes the tokens
        _tokens_revoked_message(self.request, count)
        return response


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's set-a-new-password step of a reset; every API token is revoked with it."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        count = tokens_of(form.user).count()
        response = super().form_valid(form)  # saving the password revokes the tokens
        _tokens_revoked_message(self.request, count)
        return response


class LoginView(auth_views.LoginView):
    """Django's log-in view; a failed log-in on a locked account (or from an address that
    kept failing) says so and for how long, instead of only "incorrect". The lock is kept
    per account name whether or not the account exists, so this tells nothing about which
    names are taken."""

    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        username = (self.request.POST.get("username") or "").strip()
        seconds = ratelimit.login_locked_for(username)
        if seconds:
            minutes = math.ceil(seconds / 60)
            form.errors.pop("__all__", None)
            form.add_error(
                None,
                ngettext(
                    "This account is locked after too many failed log-ins. Try again in "
                    "%(minutes)d minute, or reset your password.",
                    "This account is locked after too many failed log-ins. Try again in "
                    "%(minutes)d minutes, or reset your password.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        elif ratelimit.login_ip_blocked(self.request):
            form.errors.pop("__all__", None)
            form.add_error(
                None,
                _(
                    "Too many failed log-ins from your network. "
                    "Please wait a while before trying again."
                ),
            )
        return super().form_invalid(form)


def canonical_user_redirect(request: HttpRequest, username: str) -> HttpResponse:
    """/users/reader/... when the account is "Reader": a permanent redirect to the same page
    under the name as spelt (user names are unique regardless of case); 404 when there is
    no such user."""
    canonical = selectors.user_canonical_name(username)
    match = request.resolver_match
    if canonical is None or canonical == username or match is None:
        raise Http404
    url = reverse(match.view_name, args=match.args, kwargs={**match.kwargs, "username": canonical})
    if request.META.get("QUERY_STRING"):
        url += "?" + request.META["QUERY_STRING"]
    return redirect(url, permanent=True)


def _me(request: HttpRequest) -> User:
    """The logged-in user (views calling this are behind login_required)."""
    return cast(User, request.user)


def _own_user(request: HttpRequest, username: str):
    try:
        return selectors.user_get_own(username, request.user)
    except NotFound:
        raise Http404


def profile(request: HttpRequest, username: str) -> HttpResponse:
    try:
        owner = selectors.user_get(username)
    except NotFound:
        return canonical_user_redirect(request, username)
    page = Paginator(works_by_user(owner, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/profile.html",
        {
            "owner": owner,
            "works": page.object_list,
            "page_obj": page,
            "pseuds": pseuds_with_work_counts(owner, request.user),
            "page_parts": page_parts("profile", request, owner),
        },
    )


@login_required
def profile_edit(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = ProfileForm(request.POST or None, initial={"profile": owner.profile})
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_update(
                actor=_me(request), user=owner, profile=form.cleaned_data["profile"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Your profile was updated."))
            return redirect("accounts:profile", owner.username)
    return render(
        request,
        "accounts/form.html",
        {"form": form, "title": _("Edit Profile"), "submit": _("Update")},
    )


def pseud(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    try:
        p = selectors.pseud_get(username, pseud_name)
    except NotFound:
        if selectors.user_canonical_name(username) in (None, username):
            raise Http404
        return canonical_user_redirect(request, username)
    page = Paginator(works_by_pseud(p, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/pseud.html",
        {"pseud": p, "owner": p.user, "works": page.object_list, "page_obj": page},
    )


def pseuds(request: HttpRequest, username: str) -> HttpResponse:
    try:
        owner = selectors.user_get(username)
    except NotFound:
        return canonical_user_redirect(request, username)
    return render(
        request,
        "accounts/pseuds.html",
        {"owner": owner, "pseuds": pseuds_with_work_counts(owner, request.user)},
    )


@login_required
def pseud_new(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = PseudForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            p = services.pseud_create(actor=_me(request), user=owner, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pseud %(name)s was created.") % {"name": p.name})
            return redirect("accounts:pseuds", owner.username)
    return render(
        request, "accounts/pseud_form.html", {"form": form, "owner": owner, "title": _("New Pseud")}
    )


@login_required
def pseud_edit(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    owner = _own_user(request, username)
    p = get_object_or_404(Pseud, user=owner, name=pseud_name)
    form = PseudForm(
        request.POST or None,
        initial={"name": p.name, "description": p.description, "is_default": p.is_default},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pseud_update(actor=_me(request), pseud=p, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Pseud %(name)s was updated.") % {"name": p.name})
            return redirect("accounts:pseuds", owner.username)
    return render(
        request,
        "accounts/pseud_form.html",
        {
            "form": form,
            "owner": owner,
            "pseud": p,
            "title": _("Edit Pseud %(name)s") % {"name": p.name},
        },
    )


@require_POST
@login_required
def pseud_delete(request: HttpRequest, username: str, pseud_name: str) -> HttpResponse:
    owner = _own_user(request, username)
    p = get_object_or_404(Pseud, user=owner, name=pseud_name)
    try:
        services.pseud_delete(actor=_me(request), pseud=p)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Pseud %(name)s was deleted.") % {"name": pseud_name})
    return redirect("accounts:pseuds", owner.username)


@login_required
def preferences(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own_user(request, username)
    form = PreferencesForm(request.POST or None, instance=owner)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        language = data.pop("language")
        display = {name: data.pop(name) for name in DISPLAY_FIELDS}
        display["site_skin"] = display["site_skin"] or None
        with transaction.atomic():
            services.preferences_update(actor=_me(request), user=owner, **data)
            services.language_update(actor=_me(request), user=owner, language=language)
            display_preferences_update(actor=_me(request), user=owner, **display)
        response = redirect("accounts:preferences", owner.username)
        _language_follow(request, response, language)
        messages.success(request, _("Your preferences were saved."))
        return response
    return render(request, "accounts/preferences.html", {"form": form, "owner": owner})


def unclaimed_pseud(request: HttpRequest, pseud_id: int) -> HttpResponse:
    p, claimed = selectors.pseud_unclaimed_or_claimed(pseud_id)
    if claimed is not None:
        return redirect(claimed.get_absolute_url(), permanent=True)
    if p is None:
        raise Http404
    page = Paginator(works_by_pseud(p, request.user), PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/pseud.html",
        {
            "pseud": p,
            "owner": None,
            "works": page.object_list,
            "page_obj": page,
            "claimable": bool(p.claim_email),
        },
    )


@require_POST
@login_required
def pseud_claim(request: HttpRequest, pseud_id: int) -> HttpResponse:
    """ "Claim these works": email a claim link to the imported author's address on record."""
    p = get_object_or_404(Pseud, pk=pseud_id, user__isnull=True)
    try:
        services.pseud_claim_request(actor=_me(request), pseud=p)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            _(
                "We have emailed a claim link to the address the imported archive had for this "
                "author. Open it within %(days)d days while logged in as %(name)s."
            )
            % {"days": services.CLAIM_MAX_AGE.days, "name": request.user.username},
        )
    return redirect("accounts:unclaimed_pseud", p.pk)


@login_required
def pseud_claim_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: a page saying what will happen, and a button (so that mail scanners
    following links claim nothing)."""
    try:
        if request.method == "POST":
            claimed = services.pseud_claim_confirm(actor=_me(request), token=token)
            messages.success(
                request,
                _("The works of %(name)s are now in your account.") % {"name": claimed.name},
            )
            return redirect(claimed.get_absolute_url())
        p = services.pseud_claim_preview(actor=_me(request), token=token)
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(getattr(exc, "messages", [str(exc)]))
        return render(
            request,
            "accounts/message.html",
            {"title": _("Claim Not Possible"), "message": message},
            status=400,
        )
    merge = request.user.pseuds.filter(name__iexact=p.name).first()
    return render(
        request,
        "accounts/claim_confirm.html",
        {"pseud": p, "merge": merge, "works": works_by_pseud(p, request.user), "token": token},
    )


def _language_follow(request: HttpRequest, response: HttpResponse, language: str) -> None:
    """Make ``language`` this request's and the cookie's too, so the next page (and this
    browser after logging out) is in it; an empty preference leaves the cookie alone."""
    if language:
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,  # type: ignore[arg-type]
            secure=settings.LANGUAGE_COOKIE_SECURE,
            httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        )


@csrf_exempt
def language_choose(request: HttpRequest) -> HttpResponse:
    """The language chooser's form (``language``, ``next``), posted from every page: Django's
    ``set_language`` view (the language cookie, then back to ``next`` when it is a safe
    address), and for a signed-in reader also their language preference, so the choice
    follows them to other browsers. An unknown language changes nothing.

    A guest's form carries no CSRF token (a token on every page would make guest pages
    uncacheable, ``discovery.cache``); the worst a forged post does to a guest is change
    their language cookie. A signed-in reader's post writes their account, so it must pass
    Django's CSRF check."""
    if request.user.is_authenticated:
        refused = CsrfViewMiddleware(set_language).process_view(request, set_language, (), {})
        if refused is not None:
            return refused
    response = set_language(request)
    language = request.POST.get("language", "") if request.method == "POST" else ""
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        services.language_update(actor=_me(request), user=_me(request), language=language)
    return response
