"""Web pages of the reading app: the work page's reader actions (a ``works.pages`` part
that also records the visit), Mark for Later and Mark as Read, the history and Marked for
Later pages (AO3's /users/NAME/readings), and the reading list. Views parse and delegate."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.accounts.selectors import user_get, user_get_own
from ficarchive.core.errors import NotFound
from ficarchive.discovery.search import with_blurb_data
from ficarchive.works.access import access_work
from ficarchive.works.models import Chapter, Work

from . import selectors, services
from .models import ListStatus

PER_PAGE = 20


def work_page_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    """The work page's reader actions; records the visit in the reader's history (one
    query; a second only when history is off, to know the Marked for Later state)."""
    user = request.user
    if not user.is_authenticated:
        return {"signed_in": False}
    later = services.history_record(user=user, work=work, chapter=chapter)  # type: ignore[arg-type]
    if later is None:
        later = selectors.later_flag(user, work.pk) if work.posted else False
    return {"signed_in": True, "later": later, "statuses": ListStatus.choices}


def _back(request: HttpRequest, work_id: int) -> HttpResponse:
    target = request.POST.get("next", "")
    if target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return redirect(target)
    return redirect("works:detail", work_id)


def _work(request: HttpRequest, work_id: int) -> Work:
    try:
        return access_work(request.user, work_id)
    except NotFound:
        raise Http404("No such work.") from None


@login_required
@require_POST
def mark_for_later(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work(request, work_id)
    services.later_mark(actor=request.user, work=work)  # type: ignore[arg-type]
    messages.success(request, _("This work was added to your Marked for Later list."))
    return _back(request, work_id)


@login_required
@require_POST
def mark_as_read(request: HttpRequest, work_id: int) -> HttpResponse:
    _work(request, work_id)
    services.later_unmark(actor=request.user, work_id=work_id)  # type: ignore[arg-type]
    messages.success(request, _("This work was removed from your Marked for Later list."))
    return _back(request, work_id)


@login_required
@require_POST
def reading_list_set(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work(request, work_id)
    status = request.POST.get("status", "")
    if not status:
        services.reading_list_remove(actor=request.user, work_id=work.pk)  # type: ignore[arg-type]
        messages.success(request, _("This work was taken off your reading list."))
        return _back(request, work_id)
    try:
        entry = services.reading_list_set(actor=request.user, work=work, status=status)  # type: ignore[arg-type]
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("On your reading list as “%(status)s”.") % {"status": entry.get_status_display()},
        )
    return _back(request, work_id)


def _own(request: HttpRequest, username: str) -> User:
    """The signed-in reader when the address is theirs; anyone else gets a 404 (a history
    is private)."""
    try:
        return user_get_own(username, request.user)
    except NotFound:
        raise Http404("No such page.") from None


def _blurbs(entries: list[Any], viewer: Any) -> list[Any]:
    """Give each entry its work with blurb data and read state (queries per page, not per row)."""
    works = {
        w.pk: w for w in with_blurb_data(Work.objects.filter(pk__in=[e.work_id for e in entries]))
    }
    selectors.blurb_states(viewer, list(works.values()))
    for entry in entries:
        entry.work = works[entry.work_id]
    return entries


@login_required
def readings(request: HttpRequest, username: str) -> HttpResponse:
    """History (AO3's /users/NAME/readings), or Marked for Later with ?show=to-read."""
    owner = _own(request, username)
    later = request.GET.get("show") == "to-read"
    entries = selectors.later_for(owner) if later else selectors.history_for(owner)
    page = Paginator(entries, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = _blurbs(list(page.object_list), request.user)
    return render(
        request,
        "reading/readings.html",
        {
            "owner": owner,
            "later": later,
            "page_obj": page,
            "settings": selectors.reader_settings(owner),
        },
    )


@login_required
@require_POST
def history_delete(request: HttpRequest, username: str, work_id: int) -> HttpResponse:
    owner = _own(request, username)
    services.history_delete(actor=owner, work_id=work_id)
    messages.success(request, _("Removed from your history."))
    return redirect("reading:readings", owner.username)


@login_required
@require_POST
def history_clear(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own(request, username)
    count = services.history_clear(actor=owner)
    messages.success(
        request,
        ngettext(
            "Cleared %(count)d entry from your history.",
            "Cleared %(count)d entries from your history.",
            count,
        )
        % {"count": count},
    )
    return redirect("reading:readings", owner.username)


@login_required
@require_POST
def reader_settings(request: HttpRequest, username: str) -> HttpResponse:
    owner = _own(request, username)
    prefs = services.reader_settings_update(
        actor=owner,
        history_enabled=request.POST.get("history_enabled") == "1",
        reading_list_public=request.POST.get("reading_list_public") == "1",
    )
    messages.success(
        request,
        _("History is on.")
        if prefs.history_enabled
        else _("History is off: nothing more is recorded."),
    )
    return redirect("reading:readings", owner.username)


def reading_list(request: HttpRequest, username: str) -> HttpResponse:
    """A reader's reading list, by status; private (404) unless its owner made it public."""
    try:
        owner = user_get(username)
    except NotFound:
        raise Http404("No such user.") from None
    if not selectors.reading_list_visible(owner, request.user):
        raise Http404("No such page.")
    status = request.GET.get("status", "")
    if status not in ListStatus.values:
        status = ""
    page = Paginator(selectors.reading_list_for(owner, request.user, status), PER_PAGE).get_page(
        request.GET.get("page")
    )
    page.object_list = _blurbs(list(page.object_list), request.user)
    return render(
        request,
        "reading/reading_list.html",
        {
            "owner": owner,
            "status": status,
            "statuses": ListStatus.choices,
            "page_obj": page,
            "is_owner": request.user.is_authenticated and request.user.pk == owner.pk,
            "owner_public": selectors.reader_settings(owner).reading_list_public,
            "querystring": f"status={status}" if status else "",
        },
    )
