"""Rate limits and log-in lock-out, kept in one store every worker shares
(``ficarchive.core.ratestore``: the database by default, Redis when REDIS_URL is set).

Fixed windows: a counter per (scope, key, window), bumped atomically by the store. Limits come from
settings.FICARCHIVE_RATE_LIMITS ("N/s", "N/m", "N/h", "N/d", or "N/10m"), so an operator
tunes them without code; FICARCHIVE_RATELIMIT_ENABLED=0 turns every limit and the lock-out
off (the test settings do, so that other tests can post freely).

Three ways in:
- `@ratelimit(scope="comment")` on a view: over the limit, a 429 page with Retry-After;
- `RateLimitMiddleware`: the same for views named in settings.FICARCHIVE_RATE_LIMITED_VIEWS
  (log-in, sign-up, password reset, comments, kudos, bookmarks, imports), with no change to
  those views; the API's views are named in the same table and counted by `check_action`
  after the API has read the token, so web and API share one counter per account and one
  per address (``action_refused``);
- `login_failure_record` / `login_locked_for` for the lock-out, used by
  `ficarchive.core.auth_backends.LockoutModelBackend`.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from . import ratestore

_RATE_RE = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([smhd])\s*$")
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """ "5/m" → (5, 60); "100/10m" → (100, 600)."""
    match = _RATE_RE.match(rate)
    if not match:
        raise ImproperlyConfigured(f"rate {rate!r} must look like 5/m, 100/h or 20/10m")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * _UNIT_SECONDS[unit]


def enabled() -> bool:
    return bool(getattr(settings, "FICARCHIVE_RATELIMIT_ENABLED", True))


def rate_for(scope: str) -> str:
    """The rate ("N/unit") of ``scope`` from settings.FICARCHIVE_RATE_LIMITS;
    ImproperlyConfigured when it has none."""
    rates: dict[str, str] = getattr(settings, "FICARCHIVE_RATE_LIMITS", {})
    if scope not in rates:
        raise ImproperlyConfigured(f"no rate for scope {scope!r} in FICARCHIVE_RATE_LIMITS")
    return rates[scope]


@dataclass(frozen=True)
class Decision:
    allowed: bool
    count: int
    limit: int
    retry_after: int


def _cache_key(scope: str, key: str, window: int) -> str:
    # Hashed so that addresses and user names never sit in the cache in clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:32]
    return f"rl:{scope}:{digest}:{window}"


def hit(scope: str, key: str, *, rate: str | None = None, count: bool = True) -> Decision:
    """Count one event for `key` (e.g. "ip:203.0.113.9", "user:12") in `scope` (or only
    look, with count=False) and say whether it is within the limit. The count is shared
    by every process (see ``ratestore``)."""
    limit, period = parse_rate(rate or rate_for(scope))
    now = time.time()
    window = int(now // period)
    retry_after = max(1, int((window + 1) * period - now))
    cache_key = _cache_key(scope, key, window)
    if not count:
        current = ratestore.get(cache_key)
        return Decision(current < limit, current, limit, retry_after)
    current = ratestore.incr(cache_key, period + 5)
    return Decision(current <= limit, current, limit, retry_after)


def reset(scope: str, key: str, *, rate: str | None = None) -> None:
    """Forget the current window's count of `key` in `scope`."""
    _, period = parse_rate(rate or rate_for(scope))
    ratestore.delete(_cache_key(scope, key, int(time.time() // period)))


def _trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [
        ipaddress.ip_network(n, strict=False)
        for n in getattr(settings, "FICARCHIVE_TRUSTED_PROXIES", [])
    ]


def client_ip(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR, or, when that is a trusted proxy (nginx on
    loopback), the nearest untrusted address in X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "") or "unknown"
    proxies = _trusted_proxies()

    def trusted(addr: str) -> bool:
        try:
            ip = ipaddress.ip_address(addr)
        except ValueError:
            return False
        return any(ip in net for net in proxies)

    if not trusted(remote):
        return remote
    forwarded = [
        a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()
    ]
    for addr in reversed(forwarded):
        if not trusted(addr):
            return addr
    return remote


def key_ip(request: HttpRequest) -> str:
    """ "ip:ADDRESS", the address from `client_ip`; an IPv6 address counts by its /64
    network, since one home or server is handed a whole /64 (RFC 6177) and could
    otherwise take a fresh address for every request."""
    address = client_ip(request)
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "ip:" + address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return "ip:" + str(ip.ipv4_mapped)
        return "ip:" + str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return "ip:" + str(ip)


def key_user_or_ip(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return key_ip(request)


KEYS: dict[str, Callable[[HttpRequest], str]] = {"ip": key_ip, "user_or_ip": key_user_or_ip}


def too_many_message(retry_after: int) -> str:
    """The one sentence every door shows past a limit."""
    minutes = max(1, round(retry_after / 60))
    return (
        "You've done that too many times in a short while. "
        f"Please wait about {minutes} minute{'s' if minutes != 1 else ''} and try again."
    )


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    """The 429 page (JSON under /api/), with Retry-After in seconds."""
    message = too_many_message(retry_after)
    response: HttpResponse
    if request.path.startswith("/api/"):
        body = {"error": {"code": "rate_limited", "message": message}}
        response = JsonResponse(body, status=429)
    else:
        context = {"status": 429, "message": message}
        response = render(request, "core/error.html", context, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def action_refused(request: HttpRequest, scope: str) -> Decision | None:
    """Count one `scope` action (comment, kudos, bookmark, signup, import ...) against the
    signed-in account and against the client's address, whichever door it came through;
    the refusing Decision when either is over its limit, else None.

    The account counts at rate_for(scope); the address at rate_for(scope + "_address") when
    that is set (a shared address, such as a school's, may hold several accounts), else at
    the same rate. Guests are counted by address alone."""
    if not enabled():
        return None
    user = getattr(request, "user", None)
    keys: list[tuple[str, str, str]] = []
    if user is not None and user.is_authenticated:
        keys.append((scope, f"user:{user.pk}", rate_for(scope)))
    rates: dict[str, str] = getattr(settings, "FICARCHIVE_RATE_LIMITS", {})
    keys.append((scope, key_ip(request), rates.get(scope + "_address") or rate_for(scope)))
    refused = None
    for name, key, rate in keys:
        decision = hit(name, key, rate=rate)
        if not decision.allowed and (refused is None or decision.retry_after > refused.retry_after):
            refused = decision
    return refused


def view_scope(request: HttpRequest) -> str | None:
    """The scope settings.FICARCHIVE_RATE_LIMITED_VIEWS gives this request's URL name."""
    match = request.resolver_match
    if match is None:
        return None
    views: dict[str, str] = getattr(settings, "FICARCHIVE_RATE_LIMITED_VIEWS", {})
    return views.get(match.view_name)


def check_request(
    request: HttpRequest, scope: str, key: str | Callable[[HttpRequest], str] = "user_or_ip"
) -> HttpResponse | None:
    """Count this request against `scope`; a 429 response when over the limit, else None.
    With the default key, the account and the address are both counted (`action_refused`)."""
    if not enabled():
        return None
    if key == "user_or_ip":
        refused = action_refused(request, scope)
        return None if refused is None else too_many(request, refused.retry_after)
    key_func = KEYS[key] if isinstance(key, str) else key
    decision = hit(scope, key_func(request))
    if decision.allowed:
        return None
    return too_many(request, decision.retry_after)


def ratelimit(
    *,
    scope: str,
    key: str | Callable[[HttpRequest], str] = "user_or_ip",
    methods: tuple[str, ...] = ("POST",),
) -> Callable:
    """View decorator: count `methods` requests against settings.FICARCHIVE_RATE_LIMITS[scope]
    and answer 429 with Retry-After past the limit. Keys: "ip", "user_or_ip" or a callable."""
    rate_for(scope)  # fail at import when the scope has no rate

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if request.method in methods:
                refused = check_request(request, scope, key)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        wrapped.ratelimit_scope = scope  # type: ignore[attr-defined]
        return wrapped

    return decorator


class RateLimitMiddleware:
    """Applies limits by URL name (settings.FICARCHIVE_RATE_LIMITED_VIEWS: "namespace:name"
    → scope) to POSTs, so views need not know about limits. A view already decorated with
    @ratelimit is not counted twice."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args: Any, view_kwargs: Any
    ) -> HttpResponse | None:
        if request.method != "POST" or getattr(view_func, "ratelimit_scope", None):
            return None
        # The API counts its own after reading the token (api.http.api_view), so a token's
        # account is known; the middleware would see a guest.
        if getattr(view_func, "counts_own_limits", False):
            return None
        scope = view_scope(request)
        if scope is None:
            return None
        return check_request(request, scope, "user_or_ip")


# --- Log-in lock-out ------------------------------------------------------------------------


def _account_key(username: str) -> str:
    return "account:" + username.strip().lower()


def _lock_key(username: str) -> str:
    return "lock:" + _cache_key("login", _account_key(username), 0)


def _lock_settings() -> tuple[int, int]:
    return (
        int(getattr(settings, "FICARCHIVE_LOCKOUT_FAILURES", 5)),
        int(getattr(settings, "FICARCHIVE_LOCKOUT_MINUTES", 15)) * 60,
    )


def login_locked_for(username: str) -> int:
    """Seconds the account stays locked after too many failed log-ins (0: not locked)."""
    if not enabled() or not username:
        return 0
    failures, period = _lock_settings()
    until = ratestore.get(_lock_key(username))
    if until and until > time.time():
        return max(1, int(until - time.time()))
    return 0


def login_failure_record(username: str, request: HttpRequest | None = None) -> None:
    """Count a failed log-in against the account and the address; lock the account after
    FICARCHIVE_LOCKOUT_FAILURES failures within FICARCHIVE_LOCKOUT_MINUTES."""
    if not enabled() or not username:
        return
    failures, period = _lock_settings()
    decision = hit("login_failure", _account_key(username), rate=f"{failures}/{period // 60 or 1}m")
    if decision.count >= failures:
        ratestore.put(_lock_key(username), int(time.time() + period), period + 5)
    if request is not None:
        hit("login_ip", key_ip(request))


def login_ip_blocked(request: HttpRequest | None) -> bool:
    """True when this address has failed to log in too often (any accounts) lately."""
    if not enabled() or request is None:
        return False
    return not hit("login_ip", key_ip(request), count=False).allowed


def login_success_record(username: str) -> None:
    """Forget the account's failed log-ins after a successful one."""
    failures, period = _lock_settings()
    reset("login_failure", _account_key(username), rate=f"{failures}/{period // 60 or 1}m")
