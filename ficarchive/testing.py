"""Factories for tests: every object is made through the same services the app uses.

A top-level module, outside every app: it calls the accounts and works services, so it
cannot live in ``core`` (the lowest layer)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ficarchive.accounts.models import User
from ficarchive.tags.vocabulary import ArchiveWarning, Rating

PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - test accounts only


def make_user(username: str, *, password: str = PASSWORD, **fields: Any) -> User:
    user = User.objects.create_user(
        username=username, password=password, email=f"{username}@example.org", **fields
    )
    user.default_pseud()
    return user


def make_work(
    author: User,
    *,
    title: str = "A Study in Tags",
    chapters: Sequence[str] = ("It was a dark and stormy night.\n\nThe end.",),
    rating: str = Rating.GENERAL,
    warnings: Sequence[str] = (ArchiveWarning.NONE_APPLY,),
    fandoms: Sequence[str] = ("Sherlock Holmes - Arthur Conan Doyle",),
    draft: bool = False,
    **meta: Any,
):
    from ficarchive.works.services import ChapterInput, WorkMeta, work_create

    return work_create(
        actor=author,
        meta=WorkMeta(
            title=title, rating=rating, warnings=list(warnings), fandoms=list(fandoms), **meta
        ),
        chapters=[ChapterInput(body=text) for text in chapters],
        draft=draft,
    )


def otp_verify_session(client: Any, user: User) -> None:
    """Mark a test client's session as passed the second factor (django-otp), as if the
    staff account had typed a code: a confirmed authenticator device for the account, its
    id in the session. ``force_login`` skips the password; tests call this (the root
    conftest does it for staff) to skip the code too."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()


def start_of_fresh_window(period_seconds: int, needed_seconds: float) -> None:
    """Sleep, if need be, until at least ``needed_seconds`` remain in the current fixed
    window of ``period_seconds`` (``core.ratelimit`` counts in windows aligned to the
    epoch), so a test counting requests against a limit cannot see the count restart
    midway. Sleeps at most ``needed_seconds`` (plus a little)."""
    import time

    left = period_seconds - time.time() % period_seconds
    if left < needed_seconds:
        time.sleep(left + 0.2)
