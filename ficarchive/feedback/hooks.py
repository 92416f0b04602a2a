"""Rules that apps above feedback add to its services, without feedback importing them
(docs/architecture.md: "a registry filled from an AppConfig.ready()").

- *guards* refuse a response: ``guard(actor, work, parent)`` raises ``PermissionDenied``
  (moderation: a user the work's creator, or the replied-to commenter, has blocked);
- *hidden authors* name the accounts whose comments a viewer no longer sees (moderation:
  the users the viewer blocked or muted), as querysets of account ids that the comment
  query uses as subqueries (no query of their own);
- *guest address guards* refuse a guest comment's email (moderation: banned addresses);
- *holds* keep a new comment from a signed-in user for the creators' approval
  (moderation: a work set to "moderate all comments");
- *hidden comments* name the comments (thread roots) a viewer does not see (moderation:
  threads hidden by the work's creators or an admin), as querysets of comment ids;
- *frozen threads* name the thread roots of a work that take no more replies (moderation:
  threads frozen by the work's creators or an admin), so the page offers no Reply there;
- *hidden thread roots* name the thread roots of a work hidden from readers (moderation), so
  the creators, who still see them, are offered Unhide rather than Hide.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ficarchive.core.viewers import Viewer

Guard = Callable[[Viewer, Any, Any], None]
HiddenAuthors = Callable[[Viewer], list[Any]]
AddressGuard = Callable[[str], "str | None"]

_guards: list[Guard] = []
_hidden: list[HiddenAuthors] = []
_address_guards: list[AddressGuard] = []
_holds: list[Callable[[Any], bool]] = []
_hidden_comments: list[Callable[[Viewer, Any], list[Any]]] = []
_frozen: list[Callable[[Any], set[int]]] = []
_hidden_roots: list[Callable[[Any], set[int]]] = []


def hidden_thread_roots_register(fn: Callable[[Any], set[int]]) -> None:
    """Add a source ``fn(work)`` of thread-root comment ids hidden from readers."""
    if fn not in _hidden_roots:
        _hidden_roots.append(fn)


def hidden_thread_roots(work: Any) -> set[int]:
    """Thread roots of the work hidden from everyone but its creators and admins."""
    found: set[int] = set()
    for fn in _hidden_roots:
        found |= fn(work)
    return found


def frozen_threads_register(fn: Callable[[Any], set[int]]) -> None:
    """Add a source ``fn(work)`` of thread-root comment ids that take no replies."""
    if fn not in _frozen:
        _frozen.append(fn)


def frozen_threads(work: Any) -> set[int]:
    """Thread roots of the work that take no more replies (the guard refuses them too)."""
    found: set[int] = set()
    for fn in _frozen:
        found |= fn(work)
    return found


def comment_hold_register(fn: Callable[[Any], bool]) -> None:
    """Add a rule ``fn(work) -> bool``: True holds new comments for approval (idempotent)."""
    if fn not in _holds:
        _holds.append(fn)


def hidden_comments_register(fn: Callable[[Viewer, Any], list[Any]]) -> None:
    """Add a source ``fn(viewer, work)`` of comment ids a viewer does not see (idempotent)."""
    if fn not in _hidden_comments:
        _hidden_comments.append(fn)


def comment_held(work: Any) -> bool:
    """True when a new comment on this work waits for the creators' approval."""
    return any(fn(work) for fn in _holds)


def hidden_comments(viewer: Viewer, work: Any) -> list[Any]:
    """Querysets of comment ids (hidden thread roots) this viewer does not see on the work."""
    found: list[Any] = []
    for fn in _hidden_comments:
        found.extend(fn(viewer, work))
    return found


def feedback_guard_register(guard: Guard) -> None:
    """Add a rule every kudos and comment passes (idempotent)."""
    if guard not in _guards:
        _guards.append(guard)


def hidden_authors_register(fn: HiddenAuthors) -> None:
    """Add a source of account ids whose comments a viewer does not see (idempotent)."""
    if fn not in _hidden:
        _hidden.append(fn)


def guest_address_guard_register(fn: AddressGuard) -> None:
    """Add a rule a guest commenter's email address passes (idempotent)."""
    if fn not in _address_guards:
        _address_guards.append(fn)


def feedback_guards_check(actor: Viewer, work: Any, parent: Any = None) -> None:
    """Run every guard; the first refusal raises ``PermissionDenied``."""
    for guard in _guards:
        guard(actor, work, parent)


def hidden_authors(viewer: Viewer) -> list[Any]:
    """Querysets of account ids (``values_list("...", flat=True)``) whose comments this
    viewer does not see; empty for guests."""
    found: list[Any] = []
    for fn in _hidden:
        found.extend(fn(viewer))
    return found


def guest_address_refusal(address: str) -> str | None:
    """Why this guest address may not comment, or None."""
    for fn in _address_guards:
        message = fn(address)
        if message:
            return message
    return None
