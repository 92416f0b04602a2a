"""Writes of discovery: a reader's mutes and saved filters."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import Viewer
from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.access import access_work

from .forms import FilterParams
from .models import Mute, MuteKind, SavedFilter

MAX_MUTES = 500
MAX_SAVED_FILTERS = 100
# Listings a saved filter may point at (never another site: no open redirect).
SAVED_FILTER_PATHS = ("/works", "/works/search", "/tags/", "/users/")


def _require_login(actor: Viewer) -> None:
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied(_("Log in to keep mutes and saved filters."))


def _tag_named(value: str, field: str = "value") -> Tag:
    tag = Tag.objects.filter(name_key=tag_key(value)).first()
    if tag is None:
        raise ValidationError(
            {field: [_("There is no tag named %(name)s.") % {"name": repr(value)}]}
        )
    return tag.synonym_of or tag


def _mute_target(actor: User, kind: str, value: str, fandom: str) -> dict[str, Any]:
    """The Mute fields naming what ``value`` points at; ValidationError when it names
    nothing the actor may mute."""
    fields: dict[str, Any] = {"tag": None, "creator": None, "language": "", "work": None}
    fields["fandom"] = None
    if fandom and kind != MuteKind.TAG:
        raise ValidationError({"fandom": [_("Only a tag mute can be limited to a fandom.")]})
    if kind == MuteKind.TAG:
        fields["tag"] = _tag_named(value)
        if fandom:
            fields["fandom"] = _tag_named(fandom, "fandom")
            if fields["fandom"].kind != TagKind.FANDOM:
                raise ValidationError({"fandom": [f"{fandom!r} is not a fandom."]})
    elif kind == MuteKind.CREATOR:
        creator = User.objects.filter(username__iexact=value).first()
        if creator is None:
            raise ValidationError(
                {"value": [_("There is no user named %(name)s.") % {"name": repr(value)}]}
            )
        if creator.pk == actor.pk:
            raise ValidationError({"value": [_("You cannot mute yourself.")]})
        fields["creator"] = creator
    elif kind == MuteKind.WORK:
        try:
            # Only a work the actor may open can be muted; any other id reads as missing.
            fields["work"] = access_work(actor, int(value))
        except (NotFound, ValueError):
            raise ValidationError(
                {"value": [_("There is no work %(id)s.") % {"id": repr(value)}]}
            ) from None
    else:
        if len(value) > 20:
            raise ValidationError({"value": [_("A language code is at most 20 characters.")]})
        fields["language"] = value
    return fields


@transaction.atomic
def mute_add(*, actor: User, kind: str, value: str, fandom: str = "") -> Mute:
    """Mute a tag (by name; its synonyms and subtags go with it), a creator (by user
    name), a language (by code) or one work (by id) for the actor, everywhere works are
    listed. A tag mute may be limited to one fandom (``fandom``, a fandom tag's name): it
    then hides only works carrying both. Raises ValidationError naming the bad field."""
    _require_login(actor)
    value = " ".join((value or "").split())
    fandom = " ".join((fandom or "").split())
    if kind not in MuteKind.values:
        raise ValidationError(
            {"kind": [_("Choose a tag, a creator, a language or a work to mute.")]}
        )
    if not value:
        raise ValidationError({"value": [_("Name what to mute.")]})
    fields = _mute_target(actor, kind, value, fandom)
    existing = Mute.objects.filter(user=actor, kind=kind, **fields).first()
    if existing:
        return existing
    if Mute.objects.filter(user=actor).count() >= MAX_MUTES:
        raise ValidationError(
            {"value": [_("You can keep at most %(max)s mutes.") % {"max": MAX_MUTES}]}
        )
    return Mute.objects.create(user=actor, kind=kind, **fields)


@transaction.atomic
def mute_remove(*, actor: User, mute_id: int) -> None:
    """Unmute (only the actor's own mutes)."""
    _require_login(actor)
    Mute.objects.filter(user=actor, pk=mute_id).delete()


@transaction.atomic
def saved_filter_create(*, actor: User, name: str, path: str, params: Any) -> SavedFilter:
    """Save the filter of a listing under a name (the same name replaces the old one)."""
    _require_login(actor)
    name = " ".join((name or "").split())[:100]
    if not name:
        raise ValidationError({"name": [_("Give the filter a name.")]})
    if not path.startswith(SAVED_FILTER_PATHS) or "//" in path or "\\" in path:
        raise ValidationError({"path": [_("Filters can be saved for work listings only.")]})
    querystring = FilterParams.from_data(params).querystring()
    existing = SavedFilter.objects.filter(user=actor, name=name).first()
    if existing:
        existing.path, existing.querystring = path[:300], querystring
        existing.save(update_fields=["path", "querystring"])
        return existing
    if SavedFilter.objects.filter(user=actor).count() >= MAX_SAVED_FILTERS:
        raise ValidationError(
            {
                "name": [
                    _("You can keep at most %(max)s saved filters.") % {"max": MAX_SAVED_FILTERS}
                ]
            }
        )
    return SavedFilter.objects.create(
        user=actor, name=name, path=path[:300], querystring=querystring
    )


@transaction.atomic
def saved_filter_delete(*, actor: User, filter_id: int) -> None:
    """Delete one of the actor's saved filters."""
    _require_login(actor)
    SavedFilter.objects.filter(user=actor, pk=filter_id).delete()
