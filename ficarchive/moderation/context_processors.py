"""What every page tells a reader about their own account: a suspension or ban (with the
reason), an unconfirmed address, and warnings not yet dismissed; and whether the header
offers the Comment Queue."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from ficarchive.accounts.standing import write_refusal

from .comments import comment_queue_shown
from .selectors import warnings_unseen


def standing(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    refusal = write_refusal(user)
    return {
        "standing_notice": refusal,
        # The header hides Post New for an account that may not post (a bool: a cache key).
        "read_only": bool(refusal),
        "standing_warnings": warnings_unseen(user),
        # Lazy: the header's fragment key asks for it; a page without the header pays nothing.
        "comment_queue_shown": SimpleLazyObject(lambda: comment_queue_shown(user)),
    }
