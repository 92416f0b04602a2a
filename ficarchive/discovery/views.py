"""Browse (/works), search (/works/search) and a reader's mutes and saved filters."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User

from . import services
from .cache import guest_page_cache
from .models import MuteKind
from .search import Result, search_works
from .selectors import mutes_for, saved_filters_for
from .sorts import SORTS


def _reader(request: HttpRequest) -> User:
    """The logged-in reader (views using this are behind login_required)."""
    return cast(User, request.user)


def filter_context(request: HttpRequest, result: Result, *, action: str) -> dict:
    """What ``discovery/_filters.html`` needs; other listings (tag and user works) call
    this with their own action URL to show the same sidebar."""
    return {
        "filters": result,
        "params": result.params,
        "page": result.pager,
        "works": result.works,
        "querystring": result.querystring,
        "filter_action": action,
        "sorts": SORTS,
        "saved_filters": saved_filters_for(request.user),
    }


@guest_page_cache
def works_index(request: HttpRequest) -> HttpResponse:
    """Every work the viewer may see, filtered by the sidebar, 20 a page."""
    # The page shows its works only as blurbs (``_results.html``): cached ones come as rows.
    result = search_works(request.user, request.GET, cached_blurbs=True)
    context = filter_context(request, result, action=request.path)
    return render(request, "discovery/works_index.html", context)


@guest_page_cache
def search(request: HttpRequest) -> HttpResponse:
    """Full-text search with the query language; the same filters apply."""
    searched = bool(request.GET)
    result = search_works(request.user, request.GET, snippets=True) if searched else None
    context = filter_context(request, result, action=request.path) if result else {"sorts": SORTS}
    context.update({"searched": searched, "q": request.GET.get("q", "")})
    return render(request, "discovery/search.html", context)


@login_required
@require_POST
def saved_filter_save(request: HttpRequest) -> HttpResponse:
    path = request.POST.get("path", "/works")
    querystring = request.POST.get("querystring", "")
    try:
        saved = services.saved_filter_create(
            actor=_reader(request),
            name=request.POST.get("name", ""),
            path=path,
            params=QueryDict(querystring),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(
            f"{path}?{querystring}"
            if path.startswith("/") and not path.startswith("//")
            else "/works"
        )
    messages.success(request, _("Saved the filter %(name)s.") % {"name": repr(saved.name)})
    return redirect(saved.get_absolute_url())


@login_required
@require_POST
def saved_filter_delete(request: HttpRequest, filter_id: int) -> HttpResponse:
    services.saved_filter_delete(actor=_reader(request), filter_id=filter_id)
    messages.success(request, _("Deleted the saved filter."))
    return redirect("discovery:mutes")


@login_required
def mutes(request: HttpRequest) -> HttpResponse:
    """The reader's mutes (add and remove) and saved filters."""
    if request.method == "POST":
        try:
            mute = services.mute_add(
                actor=_reader(request),
                kind=request.POST.get("kind", ""),
                value=request.POST.get("value", ""),
                fandom=request.POST.get("fandom", ""),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("Muted %(what)s: it will not appear in listings or searches.")
                % {"what": mute.label},
            )
        back = request.POST.get("next", "")
        # Back to the work page a single work was muted from; never off the site.
        if back.startswith("/") and not back.startswith("//") and "\\" not in back:
            return redirect(back)
        return redirect("discovery:mutes")
    return render(
        request,
        "discovery/mutes.html",
        {
            "mutes": mutes_for(request.user),
            "saved_filters": saved_filters_for(request.user),
            "kinds": MuteKind.choices,
        },
    )


@login_required
@require_POST
def mute_delete(request: HttpRequest, mute_id: int) -> HttpResponse:
    services.mute_remove(actor=_reader(request), mute_id=mute_id)
    messages.success(request, _("Unmuted."))
    return redirect("discovery:mutes")
