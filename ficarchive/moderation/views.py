"""Moderation's pages: the abuse report form (``/abuse_reports/new``), and a user's blocked
and muted users (linked from their preferences)."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.forms import add_service_errors
from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.discovery import services as discovery_services
from ficarchive.discovery.models import MuteKind
from ficarchive.feedback.models import Comment
from ficarchive.feedback.services import comment_approve, comment_mark_spam
from ficarchive.works import access

from . import comments, reports, selectors, services
from .forms import BlockForm, ReportForm


def report_new(request: HttpRequest) -> HttpResponse:
    """The report form; ``?kind=work&target=12`` fills it in from a Report link."""
    initial = {k: request.GET.get(k, "") for k in ("kind", "target")}
    initial["url"] = request.GET.get("url", "")
    form = ReportForm(request.POST or None, initial=initial)
    # Posts are counted by core.ratelimit.RateLimitMiddleware under the scope "report"
    # (settings.FICARCHIVE_RATE_LIMITED_VIEWS): per account, and per address for guests.
    if request.method == "POST" and form.is_valid():
        try:
            reports.report_create(actor=request.user, data=reports.ReportInput(**form.cleaned_data))
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            told = form.cleaned_data["email"] or request.user.is_authenticated
            messages.success(
                request,
                _(
                    "Thank you: your report has been sent to the archive's moderators. We will write when it is settled."
                )
                if told
                else _("Thank you: your report has been sent to the archive's moderators."),
            )
            return redirect("moderation:report_sent")
    return render(request, "moderation/report_form.html", {"form": form})


def report_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/message.html",
        {"title": _("Report Sent"), "message": _("Thank you for your report.")},
    )


@login_required
def blocked_users(request: HttpRequest) -> HttpResponse:
    """Blocked and muted users, with forms to add and remove (POST ``action``)."""
    me = cast(User, request.user)
    form = BlockForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        name = form.cleaned_data["user"]
        try:
            if request.POST.get("action") == "mute":
                discovery_services.mute_add(actor=me, kind=MuteKind.CREATOR, value=name)
                messages.success(request, _("You muted %(name)s.") % {"name": name})
            else:
                services.block_add(actor=me, username=name)
                messages.success(request, _("You blocked %(name)s.") % {"name": name})
        except ValidationError as exc:
            add_service_errors(form, exc, {"value": "user"})
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        else:
            return redirect("moderation:blocked_users")
    return render(
        request,
        "moderation/blocked_users.html",
        {"form": form, "blocks": selectors.blocks_of(me), "mutes": selectors.creator_mutes_of(me)},
    )


@require_POST
@login_required
def unblock(request: HttpRequest, block_id: int) -> HttpResponse:
    try:
        services.block_remove(actor=request.user, block_id=block_id)
    except NotFound:
        messages.error(request, _("That block was already removed."))
    else:
        messages.success(request, _("Unblocked."))
    return redirect("moderation:blocked_users")


@require_POST
@login_required
def warning_dismiss(request: HttpRequest, note_id: int) -> HttpResponse:
    services.warning_seen(actor=request.user, note_id=note_id)
    return redirect(request.POST.get("next") or "/")


THREAD_ACTIONS = {
    "freeze": {"frozen": True},
    "unfreeze": {"frozen": False},
    "hide": {"hidden": True},
    "unhide": {"hidden": False},
}


@require_POST
@login_required
def comment_thread(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Freeze, unfreeze, hide or unhide the thread of a comment (creators and admins)."""
    change = THREAD_ACTIONS.get(request.POST.get("action", ""))
    comment = Comment.objects.filter(pk=comment_id).first()
    if change is None or comment is None:
        raise Http404
    try:
        comments.thread_flag_set(actor=request.user, comment=comment, **change)
    except (NotFound, PermissionDenied):
        raise Http404
    messages.success(request, _("The thread was updated."))
    return redirect(comment.get_absolute_url())


@require_POST
@login_required
def comment_spam(request: HttpRequest, comment_id: int) -> HttpResponse:
    """Mark a comment as spam (``action=spam``) or restore it (``action=unspam``): the
    work's creators and admins; 404 for anyone else, so others learn nothing."""
    action = request.POST.get("action", "")
    service = {"spam": comment_mark_spam, "unspam": comment_approve}.get(action)
    comment = Comment.objects.filter(pk=comment_id).first()
    if service is None or comment is None:
        raise Http404
    try:
        service(actor=request.user, comment=comment)
    except (NotFound, PermissionDenied):
        raise Http404
    messages.success(
        request,
        _("Comment marked as spam.") if action == "spam" else _("Comment restored."),
    )
    return redirect("moderation:comment_queue")


@login_required
def comment_queue(request: HttpRequest) -> HttpResponse:
    """The comments on all of my works: those awaiting approval, the latest published
    (to mark as spam) and those marked as spam (to restore)."""
    return render(
        request,
        "moderation/comment_queue.html",
        {
            "comments": comments.moderation_queue(request.user),
            "recent": comments.recent_comments(request.user),
            "spam": comments.spam_on_works_of(request.user),
        },
    )


@login_required
def work_comment_settings(request: HttpRequest, work_id: int) -> HttpResponse:
    """A creator turns "moderate all comments" on or off for a work."""
    try:
        work = access.access_work(request.user, work_id, need=access.Need.EDIT)
    except (NotFound, PermissionDenied):
        raise Http404
    if request.method == "POST":
        on = bool(request.POST.get("moderate_all"))
        comments.work_moderate_all_set(actor=request.user, work=work, on=on)
        messages.success(
            request,
            "Comments on this work now wait for your approval."
            if on
            else "Comments on this work are shown at once.",
        )
        return redirect(work.get_absolute_url())
    return render(
        request,
        "moderation/work_comment_settings.html",
        {"work": work, "moderate_all": comments.moderate_all(work)},
    )
