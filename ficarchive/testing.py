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
