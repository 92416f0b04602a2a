"""Parts of pages drawn by an app above the one that owns the page.

The inbox (feedback), a series page (works) and a user's profile (accounts) show a part
that belongs to a higher app (notify: the subscribe button, the notifications). The owner
of the page cannot import that app, so the app registers a part here from its
``AppConfig.ready()`` and the page's view asks for every part of its page. A part returns
the data its template needs, with the template's name under ``"template"``, or ``None`` to
show nothing. Parts run after the view's own access checks and must not repeat them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

# (request, the page's object: the inbox owner, a series, a profile's user) -> data or None
PagePart = Callable[[HttpRequest, Any], dict[str, Any] | None]
_PARTS: dict[str, dict[str, PagePart]] = {}


def page_part_register(page: str, name: str, part: PagePart) -> None:
    """Add a part to every page of this kind ("inbox", "series", "profile"). Registering
    the same name again replaces it (Django may call ready() twice)."""
    _PARTS.setdefault(page, {})[name] = part


def page_parts(page: str, request: HttpRequest, obj: Any) -> list[dict[str, Any]]:
    """The parts of this page, in registration order, without the empty ones."""
    out = []
    for part in _PARTS.get(page, {}).values():
        data = part(request, obj)
        if data:
            out.append(data)
    return out
