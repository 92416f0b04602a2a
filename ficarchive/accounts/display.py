"""A user's display preferences (issue 18): time zone, site skin, hiding work skins.
Kept apart from ``services`` (one more writer of the ``User`` table, same owner)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.core.display import zone_or_none
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin, is_user

from .models import SiteSkin, User


@transaction.atomic
def display_preferences_update(
    *,
    actor: Viewer,
    user: User,
    time_zone: str | None = None,
    site_skin: str | None = None,
    hide_work_skins: bool | None = None,
) -> User:
    """Set how pages look to ``user``: ``time_zone`` (an IANA name such as
    "Europe/Paris", or "" for the site's zone), ``site_skin`` (a ``SiteSkin`` value),
    ``hide_work_skins``. None leaves a field as it is. Raises ValidationError, with
    nothing changed, for an unknown zone or skin; PermissionDenied for another's account
    (admins excepted)."""
    if not ((is_user(actor) and actor.pk == user.pk) or is_admin(actor)):  # type: ignore[union-attr]
        raise PermissionDenied(_("You can only change your own preferences."))
    fields: dict[str, object] = {}
    if time_zone is not None:
        time_zone = time_zone.strip()
        if time_zone and zone_or_none(time_zone) is None:
            raise ValidationError({"time_zone": _("Unknown time zone: choose one from the list.")})
        fields["time_zone"] = time_zone
    if site_skin is not None:
        if site_skin not in SiteSkin.values:
            raise ValidationError({"site_skin": _("Unknown site skin.")})
        fields["site_skin"] = site_skin
    if hide_work_skins is not None:
        fields["hide_work_skins"] = bool(hide_work_skins)
    for name, value in fields.items():
        setattr(user, name, value)
    if fields:
        user.save(update_fields=list(fields))
    return user
