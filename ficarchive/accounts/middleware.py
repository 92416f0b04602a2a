"""The interface language of a signed-in reader (issue 18)."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def preferred_language(user: object) -> str | None:
    """The language code a signed-in ``user`` chose in their preferences, if it is one of
    ``settings.LANGUAGES``; None for guests and for "the browser's language"."""
    if not getattr(user, "is_authenticated", False):
        return None
    code = getattr(user, "language", "") or ""
    return code if code in dict(settings.LANGUAGES) else None


def recipient_language(user: object, *, fallback: str | None = None) -> str:
    """The language to write a mail to ``user`` in: their interface language preference
    when it is one of ``settings.LANGUAGES``, else ``fallback`` (a mail the recipient asked
    for in this very request, such as a confirmation link, passes the request's language),
    else the archive's default ``settings.LANGUAGE_CODE``. Never the language of someone
    else whose action triggered the mail."""
    code = getattr(user, "language", "") or ""
    if code in dict(settings.LANGUAGES):
        return code
    return fallback or settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Put a signed-in reader's language preference above the cookie and Accept-Language
    that Django's ``LocaleMiddleware`` (placed before authentication, so it cannot see
    the account) already chose from. Guests keep LocaleMiddleware's choice; LocaleMiddleware
    still sets Content-Language and ``Vary: Accept-Language`` on the way out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        code = preferred_language(getattr(request, "user", None))
        if code is not None:
            translation.activate(code)
            request.LANGUAGE_CODE = code  # type: ignore[attr-defined]
        return self.get_response(request)
