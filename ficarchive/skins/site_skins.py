"""Site skins (AO3's Default, Reversi, Low Vision, High Contrast): stylesheets in
``skins/static/skins/`` laid over ``core/site.css``. A signed-in reader's choice is their
preference (``accounts.User.site_skin``); a guest's is the ``site_skin`` cookie."""

from __future__ import annotations

from django.http import HttpRequest
from django.templatetags.static import static

from ficarchive.accounts.models import SiteSkin
from ficarchive.core.display import SITE_SKIN_COOKIE

# "default" adds nothing: site.css already follows the device's light or dark setting.
STYLESHEETS = {
    SiteSkin.DARK: "skins/dark.css",
    SiteSkin.HIGH_CONTRAST: "skins/high-contrast.css",
    SiteSkin.LOW_VISION: "skins/low-vision.css",
}
COOKIE_SECONDS = 365 * 24 * 3600


def skin_or_default(name: str | None) -> str:
    """``name`` when it is a site skin's value, else "default" (a malformed cookie)."""
    return name if name in SiteSkin.values else SiteSkin.DEFAULT


def request_skin(request: HttpRequest) -> str:
    """The site skin this request is drawn in: the signed-in reader's preference, or the
    guest's cookie, or "default"."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return skin_or_default(getattr(user, "site_skin", None))
    return skin_or_default(request.COOKIES.get(SITE_SKIN_COOKIE))


def stylesheet_url(skin: str) -> str:
    """The address of the skin's stylesheet, or "" for the default skin."""
    path = STYLESHEETS.get(SiteSkin(skin)) if skin in SiteSkin.values else None
    return static(path) if path else ""
