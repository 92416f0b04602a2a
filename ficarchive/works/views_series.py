"""The series page, and series management (AO3's "Edit Series"): rename, describe, complete,
reorder, add an existing work, remove a work, delete, for the creators of its works."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ficarchive.accounts.selectors import account_of
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.pages import page_parts

from . import access, services
from .models import Series
from .muting import works_unmuted
from .selectors import series_get_for_viewer, works_by_user
from .series_stats import (
    series_of_user,
    series_stats,
    series_subscriber_counts,
    user_series_blurbs,
)

SERIES_PER_PAGE = 20


def _action(request: HttpRequest, me, series: Series) -> str:
    post = request.POST
    action = post.get("action")
    if action == "update":
        services.series_update(
            actor=me,
            series=series,
            title=post.get("title", series.title),
            summary=post.get("summary", series.summary),
            notes=post.get("notes", series.notes),
            complete=bool(post.get("complete")),
        )
        return _("Series updated.")
    if action == "reorder":
        ids = [int(x) for x in post.get("order", "").replace(",", " ").split() if x.isdigit()]
        services.series_reorder(actor=me, series=series, work_ids=ids)
        return _("Series reordered.")
    if action in ("add", "remove"):
        work = access.access_work(me, post.get("work") or 0, need=access.Need.EDIT)
        if action == "add":
            services.series_add_work(actor=me, work=work, series=series)
            return _("Added %(title)s.") % {"title": work.title}
        services.series_remove_work(actor=me, series=series, work=work)
        return _("Removed %(title)s.") % {"title": work.title}
    if action == "delete":
        services.series_delete(actor=me, series=series)
        return _("Series deleted.")
    raise ValidationError(_("Unknown action."))


@login_required
@require_http_methods(["GET", "POST"])
def series_edit(request: HttpRequest, series_id: int) -> HttpResponse:
    me = account_of(request.user)
    series = Series.objects.filter(pk=series_id).first()
    if me is None or series is None or not services.series_may_manage(actor=me, series=series):
        raise Http404(_("No such series."))
    if request.method == "POST":
        try:
            messages.success(request, _action(request, me, series))
        except (ValidationError, ValueError, PermissionDenied, NotFound) as exc:
            messages.error(request, " ".join(getattr(exc, "messages", None) or [str(exc)]))
        if not Series.objects.filter(pk=series_id).exists():
            return redirect("works:user_works", me.username)
        return redirect("works:series_edit", series_id)
    entries = series.serial_works.select_related("work").order_by("position", "id")
    return render(
        request,
        "works/series_edit.html",
        {"series": series, "entries": entries, "mine": works_by_user(me, me)},
    )


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    """A series and the works in it the viewer may see."""
    try:
        series, works = series_get_for_viewer(series_id, request.user)
    except NotFound:
        raise Http404(_("No such series."))
    works, muted = works_unmuted(works, request.user)
    named = access.series_creators_shown(series, request.user)
    creators: dict[int, Any] = {}
    if named:
        for work in works:
            for pseud in access.creators_of(work, request.user) or []:
                creators.setdefault(pseud.pk, pseud)
    return render(
        request,
        "works/series.html",
        {
            "series": series,
            "works": works,
            "creators": list(creators.values()),
            "anonymous_series": not named,
            "muted_count": muted,
            "stats": series_stats(
                series, works, series_subscriber_counts([series.pk]).get(series.pk, 0)
            ),
            "page_parts": page_parts("series", request, series),
        },
    )


def user_series(request: HttpRequest, username: str) -> HttpResponse:
    """AO3's /users/NAME/series: the series holding the user's works, as blurbs with stats
    counted over the parts the viewer may see."""
    from django.core.paginator import Paginator

    from ficarchive.accounts.models import User

    owner = User.objects.filter(username__iexact=username).first()
    if owner is None:
        raise Http404("No such user.")
    page = Paginator(series_of_user(owner, request.user), SERIES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "works/user_series.html",
        {
            "owner": owner,
            "blurbs": user_series_blurbs(owner, request.user, page.object_list),
            "page_obj": page,
        },
    )
