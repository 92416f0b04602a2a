"""Authentication with lock-out: Django's ModelBackend, refusing a locked account or an
address that keeps failing, and counting failures (see ficarchive/core/ratelimit.py)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from . import ratelimit
from .fastrows import model_row


class LockoutModelBackend(ModelBackend):
    """After FICARCHIVE_LOCKOUT_FAILURES failed log-ins within FICARCHIVE_LOCKOUT_MINUTES the
    account refuses every password, the right one included, until the time is up. The
    lock is per account name (whether or not the account exists, so a lock tells nothing
    about which names are taken) and failures also count per address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> Any:
        name = username if username is not None else kwargs.get("username", "")
        if name and (ratelimit.login_locked_for(name) or ratelimit.login_ip_blocked(request)):
            # PermissionDenied stops Django trying further backends; the form shows its
            # usual "incorrect" message and user_login_failed is still sent.
            raise PermissionDenied("account locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if name and password is not None:
            if user is None:
                ratelimit.login_failure_record(name, request)
            else:
                ratelimit.login_success_record(name)
        return user

    def get_user(self, user_id: Any) -> Any:
        """The active account of ``user_id`` (a request's session), or None: Django's
        ``ModelBackend.get_user``, its one read as plain SQL (``core.fastrows``; compiling
        the ORM query was most of loading a signed-in reader on every page)."""
        model = get_user_model()
        user = model_row(model, str(model._meta.pk.column), user_id)  # type: ignore[union-attr]
        if user is None:
            return None
        return user if self.user_can_authenticate(user) else None
