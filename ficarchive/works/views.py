from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound

from .models import Series
from .selectors import chapters_for_viewer, work_get_for_viewer, works_by_user


def work_new(request: HttpRequest) -> HttpResponse:
    raise Http404


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    try:
        work = work_get_for_viewer(work_id, request.user)
    except NotFound:
        raise Http404
    chapters = chapters_for_viewer(work, request.user)
    return render(request, "works/work.html", {"work": work, "chapters": chapters[:1]})


def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return work_detail(request, work_id)


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    owner = get_object_or_404(User, username=username)
    return render(request, "accounts/profile.html", {"owner": owner, "works": works_by_user(owner, request.user)})


def series_detail(request: HttpRequest, series_id: int) -> HttpResponse:
    series = get_object_or_404(Series, pk=series_id)
    return render(request, "accounts/message.html", {"title": series.title})
