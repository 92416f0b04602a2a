from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse


def inbox(request: HttpRequest, username: str) -> HttpResponse:
    raise Http404
