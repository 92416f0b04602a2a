"""Writes of the skins app: a creator's work skins and the skin each work wears."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.core import changes
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin, is_user
from ficarchive.works.access import Need, access_work

from .models import WorkSkin, WorkSkinUse
from .sanitize import MAX_CSS_CHARS, SanitizedCss, sanitize_work_css


def _clean(title: str, css: str) -> tuple[str, SanitizedCss]:
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the skin a title.")})
    if len(title) > 100:
        raise ValidationError({"title": _("A title can be at most 100 characters.")})
    if len(css) > MAX_CSS_CHARS:
        raise ValidationError(
            {
                "css": _("A work skin can be at most %(count)s characters.")
                % {"count": MAX_CSS_CHARS}
            }
        )
    return title, sanitize_work_css(css)


def _owned(actor: Viewer, skin: WorkSkin) -> None:
    if not ((is_user(actor) and actor.pk == skin.owner_id) or is_admin(actor)):  # type: ignore[union-attr]
        raise PermissionDenied(_("Only the skin's creator can change it."))


@transaction.atomic
def work_skin_create(
    *, actor: User, title: str, css: str, description: str = ""
) -> tuple[WorkSkin, list[str]]:
    """Make a work skin owned by ``actor``. Returns the skin and what the sanitizer removed
    (see ``sanitize.sanitize_work_css``). Raises ValidationError (nothing saved) for an
    empty or taken title or CSS longer than MAX_CSS_CHARS."""
    if not is_user(actor):
        raise PermissionDenied(_("Log in to make a work skin."))
    title, clean = _clean(title, css)
    try:
        with transaction.atomic():
            skin = WorkSkin.objects.create(
                owner=actor,
                title=title,
                description=description.strip()[:500],
                css=css,
                css_clean=clean.css,
            )
    except IntegrityError:
        raise ValidationError({"title": _("You already have a skin with this title.")}) from None
    return skin, clean.removed


@transaction.atomic
def work_skin_update(
    *, actor: User, skin: WorkSkin, title: str, css: str, description: str = ""
) -> list[str]:
    """Change a work skin (its creator or an admin). Returns what the sanitizer removed.
    Errors as ``work_skin_create``; PermissionDenied for anyone else."""
    _owned(actor, skin)
    title, clean = _clean(title, css)
    if WorkSkin.objects.filter(owner_id=skin.owner_id, title=title).exclude(pk=skin.pk).exists():
        raise ValidationError({"title": _("You already have a skin with this title.")})
    skin.title, skin.css, skin.css_clean = title, css, clean.css
    skin.description = description.strip()[:500]
    skin.save(update_fields=["title", "css", "css_clean", "description", "updated_at"])
    # The works wearing it link its stylesheet by version: their cached pages move on.
    changes.work_pages_changed(
        WorkSkinUse.objects.filter(skin=skin).values_list("work_id", flat=True)
    )
    return clean.removed


@transaction.atomic
def work_skin_delete(*, actor: User, skin: WorkSkin) -> None:
    """Delete a work skin; the works wearing it go back to no skin."""
    _owned(actor, skin)
    changes.work_pages_changed(
        WorkSkinUse.objects.filter(skin=skin).values_list("work_id", flat=True)
    )
    skin.delete()


@transaction.atomic
def work_skin_set(*, actor: User, work_id: int, skin: WorkSkin | None) -> None:
    """Dress work ``work_id`` in ``skin`` (one of the actor's own skins), or in none.
    Only the work's creators may (``access_work`` with ``Need.EDIT``: NotFound or
    PermissionDenied otherwise)."""
    work = access_work(actor, work_id, need=Need.EDIT)
    changes.work_pages_changed([work.pk])  # its cached pages link the new stylesheet
    if skin is None:
        WorkSkinUse.objects.filter(work=work).delete()
        return
    if skin.owner_id != actor.pk:
        raise PermissionDenied(_("You can only use your own work skins."))
    WorkSkinUse.objects.update_or_create(work=work, defaults={"skin": skin})
