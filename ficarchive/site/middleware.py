"""The terms of service prompt: a signed-in user who has not accepted the current version
is taken to ``/tos/accept`` before any other page (AO3 shows its prompt on the next visit).
API requests, the admin, and the pages needed to read or accept the terms pass."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from .selectors import tos_version

PASS_PREFIXES = (
    "/api/",
    "/static/",
    "/tos",
    "/content",
    "/privacy",
    "/faq",
    "/logout",
    "/confirm/",
    "/healthz",
)


class TosMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            request.method == "GET"
            and user is not None
            and user.is_authenticated
            and not request.path_info.startswith(PASS_PREFIXES)
            and not request.path_info.startswith("/" + settings.ADMIN_URL)
        ):
            current = tos_version()
            if current and getattr(user, "tos_version", current) < current:
                return HttpResponseRedirect("/tos/accept?next=" + quote(request.get_full_path()))
        return self.get_response(request)
