"""The work page's data, loaded by its view (works.views) rather than by template tags.

The apps above works add their part of the page (feedback: kudos, comments, bookmark,
moderation queue) by registering a function here when Django starts (AppConfig.ready),
so works imports none of them and the view still sees, and budgets, every query the page
makes. A part runs after the view's access check and must not repeat it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest

from .models import Chapter, Work

# (request, work the viewer may read, chapter shown or None for the whole work) -> data
WorkPagePart = Callable[[HttpRequest, Work, Chapter | None], dict[str, Any]]
_PARTS: dict[str, WorkPagePart] = {}
# () -> an expression on Work (a subquery on OuterRef("pk")), read with the work's row.
WorkPageFlag = Callable[[], Any]
_FLAGS: dict[str, WorkPageFlag] = {}


def work_page_part_register(name: str, part: WorkPagePart) -> None:
    """Add a part to every work page, in the template context as `parts.<name>`.
    Registering the same name again replaces the part (Django may call ready() twice)."""
    _PARTS[name] = part


def work_page_flag_register(name: str, flag: WorkPageFlag) -> None:
    """Have the work page read ``flag()`` (an expression on ``Work``, e.g. an ``Exists`` on
    ``OuterRef("pk")``) with the work's row, as the attribute ``name`` of the work its
    parts get: a part whose answer is known from it (the work is in no collection, wears
    no skin) then spends no query. Parts must still work without it (``getattr(work,
    name, None)`` is None when the work was read otherwise). Registering a name again
    replaces it."""
    _FLAGS[name] = flag


def work_page_flags() -> dict[str, WorkPageFlag]:
    """Every registered flag's factory, by attribute name (``access.access_work_page``)."""
    return dict(_FLAGS)


def work_page_parts(
    request: HttpRequest, work: Work, chapter: Chapter | None
) -> dict[str, dict[str, Any]]:
    """Every registered part's data for this page: {name: data}. The work must already
    have passed the access check for request.user."""
    return {name: part(request, work, chapter) for name, part in _PARTS.items()}
