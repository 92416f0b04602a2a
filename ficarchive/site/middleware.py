"""The terms of service prompt: a signed-in user who has not accepted the current version
is taken to ``/tos/accept`` before any other page (AO3 shows its prompt on the next visit).
API requests, the admin, and the pages needed to read or accept the terms pass.

And the old names of renamed accounts: a page under ``/users/OLD/...`` that answers 404
is sent on to ``/users/NEW/...`` while the old name is kept for the account
(``accounts.standing.RENAME_REDIRECT_DAYS``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import quote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

from ficarchive.accounts.models import User
from ficarchive.accounts.standing import previous_name_owner

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


_USER_PATH = re.compile(r"^/users/(?P<name>[^/]+)(?P<rest>/.*)?$")


class RenamedUserMiddleware:
    """Every app's pages under ``/users/NAME/`` (works, bookmarks, series, gifts, pseuds,
    ...) follow a rename: one rule here instead of one in each view. Only a 404 for a name
    no account has now is redirected (302: the old name becomes free again later), GET and
    HEAD only, with the query string kept."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 404 or request.method not in ("GET", "HEAD"):
            return response
        match = _USER_PATH.match(request.path_info)
        if match is None:
            return response
        name = match["name"]
        if User.objects.filter(username__iexact=name, is_active=True).exists():
            return response
        owner = previous_name_owner(name)
        if owner is None:
            return response
        target = request.path[: len(request.path) - len(request.path_info)]  # script prefix
        target += f"/users/{quote(owner.username)}{quote(match['rest'] or '')}"
        query = request.META.get("QUERY_STRING", "")
        return HttpResponseRedirect(target + (f"?{query}" if query else ""))
