"""The site's write door for accounts that may only read (``accounts.standing``): a
suspended, banned or unconfirmed account's POST is refused with the reason, except for
what keeps an account safe and private (logging out, passwords, preferences, mutes,
blocks, reports, confirming the address, accepting the terms). The API asks the same
rule in ``api.http.api_view``."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve

from ficarchive.accounts.standing import write_refusal

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
# Whole namespaces a read-only account still writes: private lists and reports.
ALLOWED_NAMESPACES = {"discovery", "moderation"}
ALLOWED_NAMES = {
    "accounts:login",
    "accounts:logout",
    "accounts:password_change",
    "accounts:password_reset",
    "accounts:password_reset_confirm",
    "accounts:preferences",
    "site:confirm_email",
    "site:confirm_resend",
    "site:tos_accept",
    "site:banner_dismiss",
    "site:account_email",
    "site:account_delete",
    "site:account_export",
    "site:two_factor",
}


def write_allowed_anyway(path: str) -> bool:
    """True for the addresses a read-only account may still POST to."""
    if path.startswith(("/api/", "/" + settings.ADMIN_URL)):
        return True  # the API checks for itself; admins are never read-only here
    try:
        match = resolve(path)
    except Resolver404:
        return True
    return match.namespace in ALLOWED_NAMESPACES or match.view_name in ALLOWED_NAMES


class StandingMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method not in SAFE_METHODS and getattr(request, "user", None) is not None:
            refusal = write_refusal(request.user)
            if refusal and not write_allowed_anyway(request.path_info):
                return render(
                    request, "core/error.html", {"status": 403, "message": refusal}, status=403
                )
        return self.get_response(request)
