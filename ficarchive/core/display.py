"""How a reader sees pages: the time zone dates are shown in, and the names of the cookies
that carry a guest's choices (time zone, site skin).

A signed-in reader's time zone is their preference (``accounts.User.time_zone``); a
guest's is what their browser says (``core/static/core/timezone.js`` writes the ``tz``
cookie from ``Intl.DateTimeFormat().resolvedOptions().timeZone``). Either is an IANA
name checked against the system's tz database (``zoneinfo``); anything else, a malformed
cookie included, leaves the site's zone (``settings.TIME_ZONE``)."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable
from functools import lru_cache

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers

TZ_COOKIE = "tz"
SITE_SKIN_COOKIE = "site_skin"
# The longest IANA name is about 30 characters; anything much longer is not one.
MAX_ZONE_CHARS = 64


@lru_cache(maxsize=1)
def zone_names() -> frozenset[str]:
    """Every IANA time zone name the system knows (``zoneinfo.available_timezones``)."""
    return frozenset(zoneinfo.available_timezones())


def zone_or_none(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The zone named ``name`` ("Europe/Paris"), or None when it is empty, malformed or
    not in the tz database. Never raises."""
    if not name or len(name) > MAX_ZONE_CHARS or name not in zone_names():
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def request_zone(request: HttpRequest) -> zoneinfo.ZoneInfo | None:
    """The reader's zone: a signed-in reader's preference, else the guest's browser zone
    from the cookie, else None (the site's zone)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        zone = zone_or_none(getattr(user, "time_zone", ""))
        if zone is not None:
            return zone
    return zone_or_none(request.COOKIES.get(TZ_COOKIE))


class TimeZoneMiddleware:
    """Activate the reader's time zone for the request, so every ``|date`` and form field
    shows times in it (Django's documented way: ``timezone.activate``). After
    AuthenticationMiddleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = request_zone(request)
        if zone is None:
            timezone.deactivate()
        else:
            timezone.activate(zone)
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        if TZ_COOKIE in request.COOKIES or SITE_SKIN_COOKIE in request.COOKIES:
            # The page depends on these cookies: no shared cache may hand it to another.
            patch_vary_headers(response, ("Cookie",))
        return response


def display_key(request: HttpRequest) -> str:
    """What a cached page depends on besides its address: the active time zone and the
    guest's site skin. Part of the guest page cache's key."""
    skin = request.COOKIES.get(SITE_SKIN_COOKIE, "")[:32]
    return f"{timezone.get_current_timezone_name()}|{skin}"
