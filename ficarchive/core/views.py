from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.translation import gettext_noop

from .errors_http import error_page


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def favicon(request: HttpRequest) -> HttpResponsePermanentRedirect:
    """``/favicon.ico``, which browsers ask for unprompted: a 301 to the SVG icon that
    base.html names in ``<link rel="icon">`` (its static address, hashed when the storage
    hashes), so the request does not end in a logged 404."""
    return HttpResponsePermanentRedirect(static("core/favicon.svg"))


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        404,
        gettext_noop(
            "We couldn't find that page. It may not exist, or you may not be allowed to see it."
        ),
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request, 400, gettext_noop("The request could not be understood. Check it and try again.")
    )


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, gettext_noop("Sorry, you don't have permission to do that."))


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        500,
        gettext_noop(
            "Something went wrong on our side. Nothing you wrote was lost; please try again."
        ),
    )
