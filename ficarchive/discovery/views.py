from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ficarchive.works.selectors import works_listed


def works_index(request: HttpRequest) -> HttpResponse:
    """Every work the viewer may see, newest update first, 20 a page."""
    page = Paginator(works_listed(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "discovery/works_index.html", {"page": page, "works": page.object_list})


def search(request: HttpRequest) -> HttpResponse:
    return works_index(request)
