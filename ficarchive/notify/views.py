"""Pages and form posts: subscribe and unsubscribe, the reader's subscriptions, mail
preferences, one-click unsubscribe from a mail, the private Atom feed."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import user_get_own
from ficarchive.core.errors import NotFound

from . import services
from .feeds import subscriptions_feed
from .models import Frequency, NotificationKind
from .selectors import (
    feed_owner,
    mail_preferences_of,
    subscriptions_of,
    target_labels,
    unsubscribe_what,
)
from .tokens import BadToken, unsubscribe_read

PER_PAGE = 50


def _own(request: HttpRequest, username: str) -> User:
    try:
        return user_get_own(username, request.user)
    except NotFound:
        raise Http404 from None


def _back(request: HttpRequest, fallback: str) -> HttpResponse:
    nxt = request.POST.get("next", "")
    if nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
        return redirect(nxt)
    return redirect(fallback)


def _int_or_none(raw: str | None) -> int | None:
    return int(raw) if raw and raw.isdigit() else None


@require_POST
@login_required
def subscribe(request: HttpRequest) -> HttpResponse:
    """Subscribe to the work, series or user named in the form."""
    user = request.user
    assert isinstance(user, User)
    try:
        _sub, made = services.subscription_create(
            actor=user,
            work=_int_or_none(request.POST.get("work")),
            series=_int_or_none(request.POST.get("series")),
            user=request.POST.get("user") or None,
        )
    except NotFound:
        raise Http404 from None
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return _back(request, "/")
    messages.success(
        request, _("You are now subscribed.") if made else _("You were already subscribed.")
    )
    return _back(request, "/")


@require_POST
@login_required
def unsubscribe_own(request: HttpRequest, subscription_id: int) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    try:
        services.subscription_delete(actor=user, subscription_id=subscription_id)
    except NotFound:
        raise Http404 from None
    messages.success(request, _("You are unsubscribed."))
    return _back(request, f"/users/{user.username}/subscriptions")


@login_required
def subscriptions(request: HttpRequest, username: str) -> HttpResponse:
    """The reader's own subscriptions, paged, each with its unsubscribe button."""
    owner = _own(request, username)
    page = Paginator(subscriptions_of(owner), PER_PAGE).get_page(request.GET.get("page"))
    subs = list(page.object_list)
    rows = [(s, *label) for s, label in zip(subs, target_labels(subs, owner), strict=True)]
    return render(
        request,
        "notify/subscriptions.html",
        {
            "owner": owner,
            "rows": rows,
            "page_obj": page,
            "feed_on": hasattr(owner, "feed_token"),
            "feed_secret": request.session.pop("notify_feed_secret", None),
        },
    )


@require_POST
@login_required
def feed_token(request: HttpRequest, username: str) -> HttpResponse:
    """Make a new secret feed address (the old one stops working), or turn the feed off."""
    owner = _own(request, username)
    if request.POST.get("action") == "revoke":
        services.feed_token_revoke(actor=owner)
        messages.success(
            request, _("Your subscriptions feed is off; its old address no longer works.")
        )
    else:
        request.session["notify_feed_secret"] = services.feed_token_renew(actor=owner)
    return redirect("notify:subscriptions", owner.username)


def feed(request: HttpRequest, secret: str) -> HttpResponse:
    """The private Atom feed of a reader's subscription updates (the secret is the key)."""
    owner = feed_owner(secret)
    if owner is None:
        raise Http404
    return subscriptions_feed(request, owner)


@login_required
def preferences(request: HttpRequest, username: str) -> HttpResponse:
    """Per kind: no email, immediately, hourly or daily digest."""
    owner = _own(request, username)
    if request.method == "POST":
        chosen = {k: request.POST.get(k, "") for k in NotificationKind.values}
        try:
            services.mail_preferences_update(actor=owner, frequencies=chosen)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Your email preferences were saved."))
            return redirect("notify:preferences", owner.username)
    current = mail_preferences_of(owner)
    rows = [(k, label, current[k]) for k, label in NotificationKind.choices]
    return render(
        request,
        "notify/preferences.html",
        {"owner": owner, "rows": rows, "frequencies": Frequency.choices},
    )


@require_POST
@login_required
def notifications_read(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own(request, username)
    services.notifications_mark_read(actor=owner)
    return redirect("feedback:inbox", owner.username)


@csrf_exempt  # the signed token is the authority; RFC 8058 clients POST without a form
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """A mail's unsubscribe link. GET shows one button (a link scanner following the
    address changes nothing); POST, from that button or from a mail client's one-click
    (RFC 8058), unsubscribes. A bad token changes nothing and says so."""
    try:
        data = unsubscribe_read(token)
    except BadToken as exc:
        return render(request, "notify/unsubscribe.html", {"error": str(exc)}, status=400)
    if request.method == "POST":
        try:
            done = services.unsubscribe_apply(token=token)
        except BadToken as exc:
            return render(request, "notify/unsubscribe.html", {"error": str(exc)}, status=400)
        return render(request, "notify/unsubscribe.html", {"done": done})
    return render(
        request, "notify/unsubscribe.html", {"token": token, "what": unsubscribe_what(data)}
    )
