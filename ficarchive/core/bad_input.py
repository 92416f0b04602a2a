"""Numbers too large for the database are the client's mistake, not ours: a 400 with one
clear sentence (JSON under /api/), never a 500.

A path id such as /works/99999999999999999999 passes Django's `int` converter and then
overflows SQLite's 64-bit INTEGER (OverflowError) or PostgreSQL's bigint (DataError,
"out of range"); so do ids in forms, query strings and JSON bodies. Rather than guard
every lookup, `BadNumberMiddleware` turns those two errors into a 400 wherever a view
raises them; services still check the numbers they keep (expected chapters) with a
message naming the field."""

from __future__ import annotations

from collections.abc import Callable

from django.db import DataError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_noop

from .errors_http import error_page

# The largest id the database holds (a signed 64-bit integer).
MAX_ID = 2**63 - 1
BAD_NUMBER = gettext_noop(
    "A number in this request is too large. Check the address or the form and try again."
)


def is_bad_number(exc: BaseException) -> bool:
    """True for the database's "this number does not fit" errors."""
    if isinstance(exc, OverflowError):
        return True
    return isinstance(exc, DataError) and "out of range" in str(exc).lower()


def ids_from(values: list[str]) -> list[int]:
    """The values that are ids (digits, at most MAX_ID); the rest are dropped."""
    return [int(v) for v in values if v.isdigit() and len(v) <= 19 and int(v) <= MAX_ID]


class BadNumberMiddleware:
    """Answers 400 (JSON under /api/) when a view fails on a number too large to store."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if is_bad_number(exception):
            return error_page(request, 400, BAD_NUMBER, code="bad_number")
        return None
