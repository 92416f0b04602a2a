from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def wrangle(request: HttpRequest) -> HttpResponse:
    raise Http404


def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    raise Http404
