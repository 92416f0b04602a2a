from django.http import HttpRequest

from .site_skins import request_skin, stylesheet_url


def skins(request: HttpRequest) -> dict[str, str]:
    """``site_skin`` (its value) and ``site_skin_stylesheet`` (an address or "") for the
    base template's head."""
    skin = request_skin(request)
    return {"site_skin": skin, "site_skin_stylesheet": stylesheet_url(skin)}
