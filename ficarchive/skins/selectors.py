"""Reads of the skins app."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from ficarchive.accounts.models import User

from .models import WorkSkin, WorkSkinUse


def work_skins_of(user: User) -> list[WorkSkin]:
    """The user's work skins, by title."""
    return list(WorkSkin.objects.filter(owner=user).order_by("title"))


# Whether a work wears a skin, read with the work page's row (works.pages): most works
# wear none, and then the page spends no query on it.
SKIN_FLAG = "skins_has_skin"


def skin_flag() -> Exists:
    """Does the work wear a skin? An ``Exists`` on ``Work`` (``OuterRef("pk")``)."""
    return Exists(WorkSkinUse.objects.filter(work_id=OuterRef("pk")))


def work_skin_of(work_id: int) -> WorkSkin | None:
    """The skin work ``work_id`` wears, or None. The caller has checked access."""
    use = WorkSkinUse.objects.filter(work_id=work_id).select_related("skin").first()
    return use.skin if use else None


def work_skins_export(user: User) -> list[dict[str, object]]:
    """The user's work skins for their account export: title, description, the CSS as
    they wrote it, and the ids of the works wearing each."""
    skins = WorkSkin.objects.filter(owner=user).prefetch_related("uses").order_by("pk")
    return [
        {
            "title": s.title,
            "description": s.description,
            "css": s.css,
            "works": sorted(u.work_id for u in s.uses.all()),
            "updated_at": s.updated_at.isoformat(),
        }
        for s in skins
    ]
