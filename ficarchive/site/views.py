"""Pages of the site app: sign-up, the invite queue, email confirmation, the terms of
service prompt, site pages with their history, admin posts with their Atom feed, the
banner, and a user's invitations. Views parse and delegate to ``services`` and ``pages``."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.forms import add_service_errors
from ficarchive.accounts.models import User
from ficarchive.core.errors import PermissionDenied

from . import pages, selectors, services
from .forms import InvitationsForm, InviteRequestForm, SignupForm
from .models import AdminPost, PageSlug, SignupMode

# What a page says before the admins have written it.
PAGE_PLACEHOLDER = gettext_lazy("The admins of this archive have not written this page yet.")


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _message(request: HttpRequest, title: str, message: str, status: int = 200) -> HttpResponse:
    return render(
        request, "accounts/message.html", {"title": title, "message": message}, status=status
    )


def signup(request: HttpRequest) -> HttpResponse:
    """Sign up under the archive's mode; ``?invitation=CODE`` fills in the code."""
    if request.user.is_authenticated:
        return redirect("accounts:profile", request.user.username)
    mode = selectors.site_settings().signup_mode
    needs_tos = bool(selectors.tos_version())
    initial = {"invitation": request.GET.get("invitation", "")}
    needs_invitation = mode in (SignupMode.INVITE, SignupMode.QUEUE)
    form = SignupForm(
        request.POST or None,
        initial=initial,
        needs_tos=needs_tos,
        needs_invitation=needs_invitation,
    )
    if request.method == "POST" and form.is_valid():
        data = services.SignupInput(
            username=form.cleaned_data["username"],
            email=form.cleaned_data["email"],
            password=form.cleaned_data["password1"],
            invitation=form.cleaned_data.get("invitation") or "",
            tos_accepted=bool(form.cleaned_data.get("tos")),
        )
        try:
            user = services.account_sign_up(data=data)
        except ValidationError as exc:
            add_service_errors(form, exc, {"password": "password1"})
        else:
            login(request, user, backend=settings.AUTHENTICATION_BACKENDS[0])
            welcome = _("Welcome to the archive, %(name)s! You are logged in.") % {
                "name": user.username
            }
            if not user.email_confirmed:
                welcome += " " + _(
                    "We have sent a link to %(email)s: open it to confirm your address, "
                    "then you can post, comment and give kudos."
                ) % {"email": user.email}
            messages.success(request, welcome)
            return redirect("accounts:profile", user.username)
    return render(
        request,
        "site/signup.html",
        {
            "form": form,
            "mode": mode,
            "needs_invitation": needs_invitation,
            "queue": mode == SignupMode.QUEUE,
        },
    )


def invite_requests(request: HttpRequest) -> HttpResponse:
    """The invite queue: join it, or look up your place (``?email=``)."""
    form = InviteRequestForm(request.POST or None)
    place = None
    looked_up = request.GET.get("email", "").strip()
    if looked_up:
        found = selectors.invite_request_for(looked_up)
        place = selectors.queue_position(found) if found else -1
    if request.method == "POST" and form.is_valid():
        try:
            _req, position = services.invite_request_create(email=form.cleaned_data["email"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "You are number %(position)s in the queue. We send %(per_day)s invitations "
                    "a day; yours will come to this address."
                )
                % {"position": position, "per_day": selectors.site_settings().invites_per_day},
            )
            return redirect(
                reverse("site:invite_requests") + f"?email={form.cleaned_data['email']}"
            )
    return render(
        request,
        "site/invite_requests.html",
        {
            "form": form,
            "place": place,
            "looked_up": looked_up,
            "queue_length": selectors.queue_length(),
            "per_day": selectors.site_settings().invites_per_day,
            "queue_open": selectors.site_settings().signup_mode == SignupMode.QUEUE,
        },
    )


def confirm_email(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: confirm the address (sign-up or a new address)."""
    try:
        user = services.email_confirm(token=token)
    except ValidationError as exc:
        return _message(request, _("Confirmation Not Possible"), " ".join(exc.messages), status=400)
    return _message(
        request,
        _("Address Confirmed"),
        _("Thank you, %(name)s: %(email)s is confirmed. You can post, comment and give kudos now.")
        % {"name": user.username, "email": user.email},
    )


@require_POST
@login_required
def confirm_resend(request: HttpRequest) -> HttpResponse:
    try:
        services.confirmation_resend(user=_me(request))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("We have sent a new confirmation link to %(email)s.") % {"email": _me(request).email},
        )
    return redirect("accounts:preferences", request.user.username)


def _safe_next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
        return "/"
    return target


@login_required
def tos_accept(request: HttpRequest) -> HttpResponse:
    """The prompt shown when the terms of service changed since the user last accepted."""
    page = selectors.page_get(PageSlug.TOS)
    if request.method == "POST":
        if request.POST.get("accept"):
            services.tos_accept(user=_me(request))
            messages.success(request, _("Thank you for accepting the Terms of Service."))
            return redirect(_safe_next(request))
        messages.error(request, _("Please tick the box to accept the Terms of Service."))
    return render(request, "site/tos_accept.html", {"page": page, "next": _safe_next(request)})


def site_page(request: HttpRequest, slug: str) -> HttpResponse:
    """/tos, /content, /privacy, /faq."""
    page = selectors.page_get(slug)
    return render(
        request,
        "site/page.html",
        {
            "page": page,
            "slug": slug,
            "title": page.title if page else PageSlug(slug).label,
            "placeholder": PAGE_PLACEHOLDER,
        },
    )


def site_page_history(request: HttpRequest, slug: str) -> HttpResponse:
    """Every version of a site page, newest first (AO3 keeps its ToS history public)."""
    page = selectors.page_get(slug)
    if page is None:
        raise Http404
    return render(
        request, "site/page_history.html", {"page": page, "versions": page.versions.all()}
    )


def admin_posts(request: HttpRequest) -> HttpResponse:
    return render(request, "site/admin_posts.html", {"posts": selectors.admin_posts()})


def admin_post(request: HttpRequest, post_id: int) -> HttpResponse:
    post = get_object_or_404(selectors.admin_posts(), pk=post_id)
    if request.method == "POST":
        try:
            pages.admin_post_comment(
                actor=request.user, post=post, body=request.POST.get("body", "")
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(request, _("Your comment was posted."))
            return redirect(post.get_absolute_url() + "#comments")
    comments = post.comments.filter(hidden=False).select_related("user")
    return render(request, "site/admin_post.html", {"post": post, "comments": comments})


class AdminPostsFeed(Feed):
    """/admin_posts/feed.atom: the news as an Atom feed (Django's syndication framework)."""

    feed_type = Atom1Feed
    description_template = None

    def title(self) -> str:
        return _("%(site)s News") % {"site": settings.SITE_NAME}

    def link(self) -> str:
        return reverse("site:admin_posts")

    def subtitle(self) -> str:
        return _("News from the admins of %(site)s") % {"site": settings.SITE_NAME}

    def items(self):
        return selectors.admin_posts(limit=20)

    def item_title(self, item: AdminPost) -> str:
        return item.title

    def item_description(self, item: AdminPost) -> str:
        return item.body

    def item_pubdate(self, item: AdminPost):
        return item.published_at

    def item_updateddate(self, item: AdminPost):
        return item.updated_at


@require_POST
def banner_dismiss(request: HttpRequest) -> HttpResponse:
    """Hide the banner for this browser until it changes (kept in the session)."""
    request.session["banner_dismissed"] = selectors.site_settings().banner_version
    return redirect(_safe_next(request))


@login_required
def invitations(request: HttpRequest) -> HttpResponse:
    """A user's invitations: those made, who used them, and a form for more."""
    me = _me(request)
    form = InvitationsForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data.get("email") or ""
        try:
            made = services.invitations_create(
                actor=me, count=form.cleaned_data["count"], email=email, send=bool(email)
            )
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(
                request,
                ngettext("Made %(count)s invitation.", "Made %(count)s invitations.", len(made))
                % {"count": len(made)},
            )
            return redirect("site:invitations")
    return render(
        request,
        "site/invitations.html",
        {
            "form": form,
            "invitations": selectors.invitations_of(me),
            "left": selectors.invitations_left(me) if not me.is_admin else None,
        },
    )
