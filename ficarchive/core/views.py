from __future__ import annotations

from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse

from .errors_http import error_page


def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok", "database": connection.vendor})


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(
        request,
        404,
        "We couldn't find that page. It may not exist, or you may not be allowed to see it.",
    )


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 400, "The request could not be understood. Check it and try again.")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return error_page(request, 403, "Sorry, you don't have permission to do that.")


def server_error(request: HttpRequest) -> HttpResponse:
    return error_page(
        request,
        500,
        "Something went wrong on our side. Nothing you wrote was lost; please try again.",
    )
