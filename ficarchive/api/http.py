"""What every API view shares: authentication (Bearer token or the site's session),
CSRF for cookie writes, rate limits, JSON bodies, and errors as JSON.

Errors are always ``{"error": {"code": ..., "message": ...}}`` (plus ``fields`` for
invalid input), with the HTTP status that fits."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from ficarchive.accounts.standing import write_refusal
from ficarchive.accounts.tokens import token_lookup
from ficarchive.core import ratelimit
from ficarchive.core.errors import NotFound, PermissionDenied

MAX_BODY_BYTES = 5 * 1024 * 1024
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        *,
        fields: dict | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields
        self.headers = headers or {}


def error_response(
    status: int, code: str, message: str, *, fields: dict | None = None, headers: dict | None = None
) -> JsonResponse:
    body: dict[str, Any] = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    response = JsonResponse(body, status=status)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def json_response(data: Any, status: int = 200) -> JsonResponse:
    return JsonResponse(data, status=status, safe=False, json_dumps_params={"ensure_ascii": False})


def _authenticate(request: HttpRequest) -> None:
    """Set request.user and request.api_token from a Bearer token, if one is sent."""
    request.api_token = None  # type: ignore[attr-defined]
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return
    kind, _, raw = header.partition(" ")
    if kind.lower() != "bearer" or not raw.strip():
        raise ApiError(
            401,
            "unauthorized",
            "Send a personal access token as 'Authorization: Bearer fa_...'.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    token = token_lookup(raw.strip())
    if token is None:
        raise ApiError(
            401,
            "invalid_token",
            "This token is unknown or has been revoked.",
            headers={"WWW-Authenticate": 'Bearer realm="api", error="invalid_token"'},
        )
    request.api_token = token  # type: ignore[attr-defined]
    request.user = token.user


def _check_rate(request: HttpRequest) -> None:
    if not ratelimit.enabled():
        return
    token = getattr(request, "api_token", None)
    if token is not None:
        scope, key = "api", f"token:{token.pk}"
    elif request.user.is_authenticated:
        scope, key = "api", f"user:{request.user.pk}"
    else:
        scope, key = "api_guest", f"ip:{ratelimit.client_ip(request)}"
    decision = ratelimit.hit(scope, key)  # rates: settings.FICARCHIVE_RATE_LIMITS
    if not decision.allowed:
        raise ApiError(
            429,
            "rate_limited",
            f"Too many requests; try again in {decision.retry_after} seconds.",
            headers={"Retry-After": str(decision.retry_after)},
        )


def _check_action(request: HttpRequest) -> None:
    """The same per-account and per-address limit the web form of this action has
    (settings.FICARCHIVE_RATE_LIMITED_VIEWS names both doors)."""
    scope = ratelimit.view_scope(request)
    if scope is None:
        return
    refused = ratelimit.action_refused(request, scope)
    if refused is not None:
        raise ApiError(
            429,
            "rate_limited",
            ratelimit.too_many_message(refused.retry_after),
            headers={"Retry-After": str(refused.retry_after)},
        )


def _check_write(request: HttpRequest) -> None:
    token = getattr(request, "api_token", None)
    if token is not None:
        if not token.can_write:
            raise ApiError(
                403,
                "insufficient_scope",
                "This token is read-only; make a read-write token to do this.",
            )
        return
    if not request.user.is_authenticated:
        raise ApiError(
            401,
            "unauthorized",
            "Log in, or send a read-write personal access token.",
            headers={"WWW-Authenticate": 'Bearer realm="api"'},
        )
    # A cookie session: the same CSRF check as the site's forms.
    reason = CsrfViewMiddleware(_no_response).process_view(request, _no_response, (), {})
    if reason is not None:
        raise ApiError(
            403,
            "csrf_failed",
            "CSRF check failed: send the X-CSRFToken header with session requests.",
        )


def _no_response(request: HttpRequest) -> HttpResponse:
    """Stands in for the view when asking the CSRF middleware for its verdict alone."""
    return HttpResponse()


def read_json(request: HttpRequest) -> dict[str, Any]:
    """The request body as a JSON object; ApiError 400 otherwise."""
    if len(request.body) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", "The request body is too large.")
    try:
        data = json.loads(request.body.decode("utf-8") or "{}")
    except (UnicodeDecodeError, ValueError):
        raise ApiError(400, "invalid_json", "The request body is not valid JSON.")
    if not isinstance(data, dict):
        raise ApiError(400, "invalid_json", "The request body must be a JSON object.")
    return data


def _validation_fields(exc: ValidationError) -> tuple[str, dict[str, list[str]] | None]:
    if hasattr(exc, "error_dict"):
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.values()), ["Invalid input."])
        return (first[0] if first else "Invalid input."), fields
    messages = exc.messages
    return (messages[0] if messages else "Invalid input."), None


def _in_english(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Run ``view`` in the site's default language: the API's messages are part of its
    contract and stay English whatever the client's Accept-Language or the account's
    interface language (issue 18). ``wraps`` carries the view's flags along."""

    @functools.wraps(view)
    def run(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with translation.override(settings.LANGUAGE_CODE):
            return view(request, *args, **kwargs)

    return run


def api_view(*methods: str, restricted_ok: bool = False) -> Callable:
    """Wrap a view: allowed methods, authentication, limits, CSRF for cookie writes, the
    account's standing for writes (a suspended, banned or unconfirmed account gets 403
    ``account_restricted`` unless ``restricted_ok``: blocking and muting stay open), and
    domain errors turned into JSON (NotFound 404, PermissionDenied 403, ValidationError 400)."""
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods else ())

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @csrf_exempt
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            try:
                if request.method not in allowed:
                    raise ApiError(
                        405,
                        "method_not_allowed",
                        f"{request.method} is not allowed here.",
                        headers={"Allow": ", ".join(allowed)},
                    )
                if not hasattr(request, "user"):
                    request.user = AnonymousUser()
                _authenticate(request)
                _check_rate(request)
                if request.method not in SAFE_METHODS:
                    _check_write(request)
                    refusal = None if restricted_ok else write_refusal(request.user)
                    if refusal:
                        raise ApiError(403, "account_restricted", refusal)
                    _check_action(request)
                return view(request, *args, **kwargs)
            except ApiError as exc:
                return error_response(
                    exc.status, exc.code, exc.message, fields=exc.fields, headers=exc.headers
                )
            except (NotFound, Http404) as exc:
                return error_response(404, "not_found", str(exc) or "Not found.")
            except PermissionDenied as exc:
                return error_response(403, "forbidden", str(exc) or "You may not do that.")
            except ValidationError as exc:
                message, fields = _validation_fields(exc)
                return error_response(400, "invalid", message, fields=fields)

        wrapped.counts_own_limits = True  # type: ignore[attr-defined]
        return _in_english(wrapped)

    return decorator
