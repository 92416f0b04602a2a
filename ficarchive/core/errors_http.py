"""Error answers: the site's error page, or under /api/ the API's JSON shape
``{"error": {"code": ..., "message": ...}}``, so that no API client ever gets HTML."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext

CODES = {
    400: "bad_request",
    403: "forbidden",
    404: "not_found",
    429: "rate_limited",
    500: "server_error",
}


def is_api(request: HttpRequest) -> bool:
    """True for requests under /api/ (the JSON API)."""
    return request.path.startswith("/api/")


def error_page(request: HttpRequest, status: int, message: str, *, code: str = "") -> HttpResponse:
    """The error page with `status` and `message`, or its JSON form under /api/. The
    message is given in English (marked with ``gettext_noop``): the API answers it as it
    is, the page in the reader's language (issue 18)."""
    if is_api(request):
        body = {"error": {"code": code or CODES.get(status, "error"), "message": message}}
        return JsonResponse(body, status=status)
    context = {"status": status, "message": gettext(message)}
    return render(request, "core/error.html", context, status=status)
