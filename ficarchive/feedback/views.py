"""Pages and form posts for kudos, comments, bookmarks and the inbox. Every write is
POST-only behind Django's CSRF check; the rules are in services.py."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.selectors import user_get
from ficarchive.accounts.views import canonical_user_redirect
from ficarchive.core import ratelimit
from ficarchive.core.bad_input import ids_from
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.pages import page_parts
from ficarchive.works import access, page_cache
from ficarchive.works.models import Chapter, Work

from . import selectors, services, spam
from .forms import BookmarkForm, CommentEditForm, CommentForm
from .models import Comment, CommentStatus

PER_PAGE = 20


def client_address(request: HttpRequest) -> str:
    """The guest's address for kudos (hashed before it is stored): the client behind a
    trusted proxy, as every limit sees it (core.ratelimit.client_ip)."""
    return ratelimit.client_ip(request)


def work_page_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    """The feedback block's data for works.views' work page (registered in apps.py):
    selectors.work_page_feedback with the reader's kudos address (none on a page shared by
    every guest, works.page_cache: it always offers the Kudos button, as AO3 does)."""
    address = None if page_cache.is_shared(request) else client_address(request)
    return selectors.work_page_feedback(work, request.user, chapter=chapter, guest_address=address)


def _me(request: HttpRequest) -> User:
    """The logged-in user (views calling this are behind login_required)."""
    return cast(User, request.user)


def _work(request: HttpRequest, work_id: int) -> Work:
    """A work the viewer may see, or 404 (the same for "missing" and "not yours to see")."""
    try:
        work = access.access_work(request.user, work_id)
    except NotFound:
        raise Http404 from None
    if not work.posted:  # drafts take no feedback (the service says why hidden works don't)
        raise Http404
    return work


def _back(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return target
    return fallback


def comment_url(comment: Comment) -> str:
    """Where a comment is shown: its chapter's page, or the work page, at its anchor."""
    if comment.chapter_id and comment.work.chapter_count > 1:
        base = reverse("works:chapter", args=[comment.work_id, comment.chapter_id])
    else:
        base = reverse("works:detail", args=[comment.work_id])
    return f"{base}?show_comments=true#comment_{comment.pk}"


@require_POST
def kudos(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work(request, work_id)
    try:
        services.kudos_give(actor=request.user, work=work, guest_address=client_address(request))
    except NotFound:
        raise Http404
    except (PermissionDenied, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("Thank you for leaving kudos!"))
    return redirect(_back(request, work.get_absolute_url()) + "#kudos")


@require_POST
def comment_create(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work(request, work_id)
    if not request.user.is_authenticated and spam.honeypot_filled(request.POST):
        # A bot filled the field people never see: refuse silently, store nothing.
        return render(request, "feedback/comment_pending.html", {"work": work})
    form = CommentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            parent = (
                Comment.objects.filter(pk=data["parent"], work=work).first()
                if data["parent"]
                else None
            )
            if data["parent"] and parent is None:
                raise NotFound(_("No such comment."))
            chapter = (
                Chapter.objects.filter(pk=data["chapter"], work=work).first()
                if data["chapter"]
                else None
            )
            if data["chapter"] and chapter is None:
                raise NotFound(_("No such chapter."))
            pseud = None
            if data["pseud"] and request.user.is_authenticated:
                # Someone else's pseud is refused by the service; a missing one is the same.
                pseud = Pseud.objects.filter(pk=data["pseud"]).first()
                if pseud is None:
                    raise PermissionDenied(_("That pseud is not yours."))
            comment = services.comment_create(
                actor=request.user,
                work=work,
                body=data["body"],
                chapter=chapter,
                parent=parent,
                guest_name=data["guest_name"],
                guest_email=data["guest_email"],
                pseud=pseud,
            )
        except NotFound:
            raise Http404
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(work.get_absolute_url())
        except ValidationError as exc:
            for name, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(name if name in form.fields else None, errors)
        else:
            if comment.status == CommentStatus.PENDING:
                return render(request, "feedback/comment_pending.html", {"work": work})
            messages.success(request, _("Comment created!"))
            return redirect(comment_url(comment))
    permission = selectors.comment_permission_for(work, request.user)
    return render(
        request,
        "feedback/comment_form.html",
        {
            "form": form,
            "work": work,
            "permission": permission,
            "pseuds": selectors.commenter_pseuds(request.user),
        },
        status=400,
    )


def comment_detail(request: HttpRequest, comment_id: int) -> HttpResponse:
    """A comment's permanent address: sends the reader to it in its thread. A POST with
    action=approve or action=spam is a creator moderating a comment awaiting review."""
    if request.method == "POST":
        return _comment_moderate(request, comment_id)
    try:
        comment = selectors.comment_get_for_viewer(comment_id, request.user)
    except NotFound:
        raise Http404
    return redirect(comment_url(comment))


def _comment_moderate(request: HttpRequest, comment_id: int) -> HttpResponse:
    action = request.POST.get("action", "")
    moderate = {"approve": services.comment_approve, "spam": services.comment_mark_spam}.get(action)
    comment = Comment.objects.filter(pk=comment_id).first()
    if moderate is None or comment is None or not request.user.is_authenticated:
        raise Http404
    try:
        done = moderate(actor=request.user, comment=comment)
    except NotFound:
        raise Http404
    if action == "approve":
        messages.success(request, _("Comment approved."))
        return redirect(comment_url(done))
    messages.success(request, _("Comment marked as spam."))
    return redirect(reverse("works:detail", args=[done.work_id]) + "#moderation")


@login_required
def comment_edit(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = selectors.comment_get_for_viewer(comment_id, request.user)
    except NotFound:
        raise Http404
    if not services.can_edit_comment(request.user, comment):
        raise Http404
    form = CommentEditForm(request.POST or None, initial={"body": comment.body})
    if request.method == "POST" and form.is_valid():
        try:
            services.comment_edit(
                actor=request.user, comment=comment, body=form.cleaned_data["body"]
            )
        except NotFound:
            raise Http404
        except PermissionDenied as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            form.add_error("body", exc.messages)
        else:
            messages.success(request, _("Comment was updated."))
            return redirect(comment_url(comment))
    return render(
        request,
        "feedback/comment_edit.html",
        {"form": form, "comment": comment, "work": comment.work},
    )


@require_POST
def comment_delete(request: HttpRequest, comment_id: int) -> HttpResponse:
    try:
        comment = selectors.comment_get_for_viewer(comment_id, request.user)
        services.comment_delete(actor=request.user, comment=comment)
    except NotFound:
        raise Http404
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect(comment_url(comment))
    messages.success(request, _("Comment deleted."))
    return redirect(
        _back(request, comment.work.get_absolute_url() + "?show_comments=true#comments")
    )


def _bookmark_form(request: HttpRequest, work: Work, bookmark=None) -> HttpResponse:
    pseuds = list(request.user.pseuds.order_by("-is_default", "name"))
    initial = {"pseud": pseuds[0].pk if pseuds else None}
    if bookmark is not None:
        initial = {
            "notes": bookmark.notes,
            "tags": ", ".join(t.name for t in bookmark.tags.all()),
            "private": bookmark.private,
            "rec": bookmark.rec,
            "pseud": bookmark.pseud_id,
        }
    form = BookmarkForm(request.POST or None, initial=initial, pseuds=pseuds)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = services.bookmark_save(
                actor=bookmark.user if bookmark is not None else _me(request),
                work=work,
                notes=data["notes"],
                tags=data["tags"],
                private=data["private"],
                rec=data["rec"],
                pseud=form.pseuds.get(data["pseud"]) if data["pseud"] else None,
            )
        except NotFound:
            raise Http404
        except (PermissionDenied, ValidationError) as exc:
            if hasattr(exc, "error_dict"):
                for name, errors in exc.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, getattr(exc, "messages", [str(exc)]))
        else:
            messages.success(
                request, "Bookmark was successfully " + ("updated." if bookmark else "created.")
            )
            return redirect("feedback:user_bookmarks", saved.user.username)
    return render(
        request, "feedback/bookmark_form.html", {"form": form, "work": work, "bookmark": bookmark}
    )


@login_required
def bookmark_new(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work(request, work_id)
    existing = selectors.bookmark_of(work, request.user)
    if existing is not None:
        return redirect("feedback:bookmark_edit", existing.pk)
    return _bookmark_form(request, work)


@login_required
def bookmark_edit(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    try:
        bookmark = selectors.bookmark_get_own(bookmark_id, request.user)
    except NotFound:
        raise Http404
    if bookmark.user_id != request.user.pk:
        raise Http404  # admins may delete others' bookmarks, not rewrite them
    return _bookmark_form(request, bookmark.work, bookmark)


@require_POST
@login_required
def bookmark_delete(request: HttpRequest, bookmark_id: int) -> HttpResponse:
    try:
        bookmark = selectors.bookmark_get_own(bookmark_id, request.user)
        services.bookmark_delete(actor=request.user, bookmark=bookmark)
    except NotFound:
        raise Http404
    messages.success(request, _("Bookmark was successfully deleted."))
    return redirect(
        _back(request, reverse("feedback:user_bookmarks", args=[bookmark.user.username]))
    )


def user_bookmarks(request: HttpRequest, username: str) -> HttpResponse:
    try:
        owner = user_get(username)
    except NotFound:
        return canonical_user_redirect(request, username)
    page = Paginator(selectors.bookmarks_for_user(owner, request.user), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "feedback/bookmarks.html",
        {"owner": owner, "bookmarks": page.object_list, "page_obj": page},
    )


def _inbox_owner(request: HttpRequest, username: str) -> User:
    try:
        owner = user_get(username)
        selectors.inbox_for(owner, request.user)  # the owner-only check
    except NotFound:
        raise Http404
    return owner


@login_required
def inbox(request: HttpRequest, username: str) -> HttpResponse:
    owner = _inbox_owner(request, username)
    unread_only = request.GET.get("filter") == "unread"
    items = selectors.inbox_for(owner, request.user, unread_only=unread_only)
    page = Paginator(items, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "feedback/inbox.html",
        {
            "owner": owner,
            "items": selectors.inbox_with_authors(page.object_list, request.user),
            "page_obj": page,
            "unread_only": unread_only,
            "unread": selectors.inbox_unread_count(owner),
            "page_parts": page_parts("inbox", request, owner),
        },
    )


@require_POST
@login_required
def inbox_update(request: HttpRequest, username: str) -> HttpResponse:
    owner = _inbox_owner(request, username)
    ids = ids_from(request.POST.getlist("items"))
    action = request.POST.get("action")
    if action == "read":
        n = services.inbox_mark_read(actor=_me(request), item_ids=ids, read=True)
        messages.success(
            request, ngettext("%(n)s marked read.", "%(n)s marked read.", n) % {"n": n}
        )
    elif action == "unread":
        n = services.inbox_mark_read(actor=_me(request), item_ids=ids, read=False)
        messages.success(
            request, ngettext("%(n)s marked unread.", "%(n)s marked unread.", n) % {"n": n}
        )
    elif action == "delete":
        n = services.inbox_delete(actor=_me(request), item_ids=ids)
        messages.success(
            request,
            ngettext("%(n)s deleted from your inbox.", "%(n)s deleted from your inbox.", n)
            % {"n": n},
        )
    else:
        messages.error(request, _("Choose what to do with the selected comments."))
    return redirect("feedback:inbox", owner.username)
