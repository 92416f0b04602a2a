"""Reads of the skins app."""

from __future__ import annotations

from ficarchive.accounts.models import User

from .models import WorkSkin, WorkSkinUse


def work_skins_of(user: User) -> list[WorkSkin]:
    """The user's work skins, by title."""
    return list(WorkSkin.objects.filter(owner=user).order_by("title"))


def work_skin_of(work_id: int) -> WorkSkin | None:
    """The skin work ``work_id`` wears, or None. The caller has checked access."""
    use = WorkSkinUse.objects.filter(work_id=work_id).select_related("skin").first()
    return use.skin if use else None
