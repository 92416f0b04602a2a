"""Test data for the works app, made through the services."""

from __future__ import annotations

from typing import Any

from ficarchive.tags.vocabulary import Rating
from ficarchive.testing import make_user, make_work

# A name that appears nowhere in the page chrome, so "not in the HTML" means hidden.
CREATOR = "zanzibar_quill"

__all__ = ["CREATOR", "make_user", "make_work", "work_in_state"]


def work_in_state(author: Any, state: str, admin: Any = None, **kwargs: Any):
    """A work that is public, restricted, a draft, anonymous, or hidden by an admin."""
    kwargs.setdefault("rating", Rating.GENERAL)
    kwargs.setdefault("chapters", ("First chapter text.", "Second chapter text."))
    if state == "restricted":
        kwargs["restricted"] = True
    if state == "anonymous":
        kwargs["anonymous"] = True
    work = make_work(author, title=f"The {state.title()} Work", draft=state == "draft", **kwargs)
    if state == "hidden":
        from ficarchive.works.services import work_hide

        work_hide(actor=admin, work=work, hidden=True)
    return work
