"""This app's part of a user's profile page (registered in ``ModerationConfig.ready`` with
``core.pages.page_part_register``): Block and Mute, as AO3 offers them there, or Unblock and
Unmute once done. Not on one's own profile, not to guests; no Block for an admin or the
archive's own accounts (``services.block_add`` refuses them, as AO3 does)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from ficarchive.accounts.models import User
from ficarchive.core.viewers import is_admin, is_user

from .selectors import blocks_of, creator_mutes_of


def profile_part(request: HttpRequest, owner: User) -> dict[str, Any] | None:
    """``{"template", "owner", "block" (the viewer's Block of owner or None), "mute" (the
    viewer's creator Mute of owner or None), "blockable"}``; None when nothing is offered."""
    me = request.user
    if not is_user(me) or me.pk == owner.pk:
        return None
    return {
        "template": "moderation/_profile_actions.html",
        "owner": owner,
        "block": blocks_of(me).filter(blocked=owner).first(),  # type: ignore[arg-type]
        "mute": creator_mutes_of(me).filter(creator=owner).first(),  # type: ignore[arg-type]
        "blockable": not (is_admin(owner) or owner.system_role),
    }
