"""Wrangling: canonical tags, synonyms and mergers, meta and sub tags, fandom links, renames.

Every service here: only wranglers, admins (``core.viewers.is_wrangler``) and ``OPERATOR``
at the command line; validated before any write; one transaction; an
audit-log entry; and a new wrangling stamp, so cached closures are dropped everywhere.
None of them touches Tagging: authors' tags stay as they wrote them. Those that change
how a work reads (a tag's name, its canonical name, hence also a work's distinct fandoms)
end with changes.tags_changed, which re-indexes the works carrying the tags; meta tags and
fandom links are read live by the filters (closure under the wrangling stamp)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.core import changes
from ficarchive.core.audit import audit_record
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_operator, is_wrangler

from ..models import Tag, WranglingVersion, tag_key
from ..vocabulary import FIXED_KINDS, FREE_KINDS, TagKind
from .naming import kind_noun, relationship_link_characters, tag_words_index, validate_tag_name


def can_wrangle(user: Viewer) -> bool:
    """Wranglers, admins and the operator (``core.viewers.is_wrangler``)."""
    return is_wrangler(user)


def _require_wrangler(actor: Viewer) -> None:
    if not can_wrangle(actor):
        raise PermissionDenied(_("Only tag wranglers can do that."))


def _require_free(*tags: Tag) -> None:
    for tag in tags:
        if tag.kind in FIXED_KINDS:
            raise ValidationError(
                _("%(name)s is a %(kind)s, one of the fixed tags; it cannot be wrangled.")
                % {"name": repr(tag.name), "kind": kind_noun(tag.kind)}
            )


def wrangling_changed() -> None:
    """Give wrangling a new stamp: every closure cached before is stale from now on.
    Call it after changing synonyms or meta/sub tags by any other way than these services."""
    stamp = uuid.uuid4().hex
    if not WranglingVersion.objects.filter(pk=1).update(stamp=stamp):
        WranglingVersion.objects.create(pk=1, stamp=stamp)


def _audit(actor: Viewer, action: str, tag: Tag, **detail: Any) -> None:
    audit_record(
        actor=actor,
        action=f"tag.{action}",
        target=tag.name,
        detail={"tag_id": tag.pk, "via": "cli" if is_operator(actor) else "web", **detail},
    )


def _kind_of(kind: str | None) -> TagKind:
    """A free kind from its name; "additional" is accepted for freeform (AO3's label)."""
    if kind is None:
        return TagKind.FREEFORM
    value = kind.strip().lower()
    if value in {"additional", "additional tags", "additional tag"}:
        value = TagKind.FREEFORM
    if value not in FREE_KINDS:
        raise ValidationError(
            f"{kind!r} is not a kind of tag that can be wrangled; use fandom, relationship, character or freeform."
        )
    return TagKind(value)


@transaction.atomic
def tag_create(
    *, actor: Viewer, name: str, kind: str | None = None, canonical: bool = False
) -> Tag:
    """Create a tag as a wrangler does (freeform when no kind is given); refused when the
    name is taken, compared as tag names are."""
    _require_wrangler(actor)
    kind = _kind_of(kind)
    name = validate_tag_name(name)
    existing = Tag.objects.filter(name_key=tag_key(name)).first()
    if existing is not None:
        raise ValidationError(_("There is already a tag %(name)s.") % {"name": repr(existing.name)})
    tag = Tag(name=name, kind=kind, canonical=canonical)
    tag.save()
    tag_words_index(tag=tag)
    if kind == TagKind.RELATIONSHIP:
        relationship_link_characters(tag=tag)
    _audit(actor, "create", tag, kind=kind.value, canonical=canonical)
    wrangling_changed()
    return tag


@transaction.atomic
def tag_make_canonical(*, actor: Viewer, tag: Tag | str, kind: str | None = None) -> Tag:
    """Make the tag canonical, creating it (of `kind`, freeform by default) when no tag
    has that name. A synonym must be split off first; the kind of an existing tag stays."""
    _require_wrangler(actor)
    if isinstance(tag, str):
        found = Tag.objects.filter(name_key=tag_key(validate_tag_name(tag))).first()
        if found is None:
            return tag_create(actor=actor, name=tag, kind=kind, canonical=True)
        tag = found
    if kind is not None and _kind_of(kind) != tag.kind:
        raise ValidationError(
            _("%(name)s is a %(kind)s tag, not a %(other)s tag.")
            % {
                "name": repr(tag.name),
                "kind": kind_noun(tag.kind),
                "other": kind_noun(_kind_of(kind)),
            }
        )
    if tag.canonical:
        return tag
    _require_free(tag)
    if tag.synonym_of_id:
        raise ValidationError(
            _("%(name)s is a synonym of %(other)s; split it off before making it canonical.")
            % {"name": repr(tag.name), "other": repr(tag.synonym_of.name)}
        )
    tag.canonical = True
    tag.unwrangleable = False
    tag.save(update_fields=["canonical", "unwrangleable", "updated_at"])
    _audit(actor, "canonical", tag)
    wrangling_changed()
    return tag


def _check_synonym(tag: Tag, canonical: Tag) -> None:
    _require_free(tag, canonical)
    if tag.pk == canonical.pk:
        raise ValidationError(
            _("%(name)s cannot be a synonym of itself.") % {"name": repr(tag.name)}
        )
    if tag.kind != canonical.kind:
        raise ValidationError(
            _(
                "%(name)s is a %(kind)s tag and %(other)s a %(other_kind)s tag; a synonym must "
                "be of the same kind."
            )
            % {
                "name": repr(tag.name),
                "kind": kind_noun(tag.kind),
                "other": repr(canonical.name),
                "other_kind": kind_noun(canonical.kind),
            }
        )
    if canonical.synonym_of_id is not None or not canonical.canonical:
        raise ValidationError(
            _("%(name)s is not canonical; a tag can only be made a synonym of a canonical tag.")
            % {"name": repr(canonical.name)}
        )
    if Tag.objects.filter(pk=canonical.pk, synonym_of=tag).exists():  # guards data made by hand
        raise ValidationError(
            _("%(name)s is a synonym of %(other)s: that would be a cycle.")
            % {"name": repr(canonical.name), "other": repr(tag.name)}
        )


def _move_onto(tag: Tag, into: Tag) -> dict[str, list[str]]:
    """Move a canonical tag's synonyms, meta and sub tags, fandom and character links onto
    `into`: what a merger does. Returns what moved, for the audit log."""
    moved = {
        "synonyms": list(tag.synonyms.values_list("name", flat=True)),
        "children": [t.name for t in tag.children.exclude(pk=into.pk)],
        "parents": [t.name for t in tag.parents.exclude(pk=into.pk)],
        "fandoms": [t.name for t in tag.fandoms.all()],
    }
    tag.synonyms.update(synonym_of=into)
    into_ancestors = _ancestor_ids(into)
    for child in tag.children.exclude(pk=into.pk):
        if child.pk not in into_ancestors:
            into.children.add(child)
    into_descendants = tag_descendant_ids(into)
    for parent in tag.parents.exclude(pk=into.pk):
        if parent.pk not in into_descendants:
            into.parents.add(parent)
    into.fandoms.add(*tag.fandoms.all())
    into.characters.add(*tag.characters.all())
    # Tags linked to a merged fandom, and relationships naming a merged character, follow.
    into.fandom_members.add(*tag.fandom_members.all())
    into.in_relationships.add(*tag.in_relationships.all())
    tag.fandom_members.clear()
    tag.children.clear()
    tag.parents.clear()
    return moved


@transaction.atomic
def tag_make_synonym(*, actor: Viewer, tag: Tag, canonical: Tag) -> Tag:
    """Make `tag` a synonym of the canonical tag `canonical` (same kind; never a cycle).
    A canonical `tag` is merged: its synonyms, sub and meta tags and links move over."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    canonical.refresh_from_db()
    _check_synonym(tag, canonical)
    if tag.synonym_of_id == canonical.pk:
        return tag
    synonym_ids = list(tag.synonyms.values_list("pk", flat=True))
    moved = _move_onto(tag, canonical) if tag.canonical else {}
    previous = tag.synonym_of.name if tag.synonym_of_id else None
    tag.synonym_of = canonical
    tag.canonical = False
    tag.unwrangleable = False
    tag.save(update_fields=["synonym_of", "canonical", "unwrangleable", "updated_at"])
    _audit(actor, "synonym", tag, canonical=canonical.name, previous=previous, **moved)
    wrangling_changed()
    changes.tags_changed([tag.pk, *synonym_ids])
    return tag


@transaction.atomic
def tag_merge(*, actor: Viewer, tag: Tag, into: Tag) -> Tag:
    """Merge one canonical tag into another: `tag` becomes a synonym of `into`, and its
    synonyms, meta and sub tags and fandom links move to `into`."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    if not tag.canonical:
        raise ValidationError(
            _("%(name)s is not canonical; make it a synonym instead of merging it.")
            % {"name": repr(tag.name)}
        )
    return tag_make_synonym(actor=actor, tag=tag, canonical=into)


@transaction.atomic
def tag_split_synonym(*, actor: Viewer, tag: Tag, canonical: bool = False) -> Tag:
    """Split a synonym back off its canonical tag: unwrangled again, or canonical itself."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    if tag.synonym_of_id is None:
        raise ValidationError(_("%(name)s is not a synonym of any tag.") % {"name": repr(tag.name)})
    previous = tag.synonym_of.name
    tag.synonym_of = None
    tag.canonical = canonical
    tag.save(update_fields=["synonym_of", "canonical", "updated_at"])
    _audit(actor, "split", tag, previous=previous, canonical=canonical)
    wrangling_changed()
    changes.tags_changed([tag.pk])
    return tag


def tag_descendant_ids(tag: Tag) -> set[int]:
    """The tag's subtags, transitively (the tag itself included)."""
    through = Tag.parents.through
    seen: set[int] = set()
    frontier = {tag.pk}
    while frontier:
        seen |= frontier
        frontier = (
            set(
                through.objects.filter(to_tag_id__in=frontier).values_list("from_tag_id", flat=True)
            )
            - seen
        )
    return seen


def _ancestor_ids(tag: Tag) -> set[int]:
    through = Tag.parents.through
    seen: set[int] = set()
    frontier = {tag.pk}
    while frontier:
        seen |= frontier
        frontier = (
            set(
                through.objects.filter(from_tag_id__in=frontier).values_list("to_tag_id", flat=True)
            )
            - seen
        )
    return seen


@transaction.atomic
def tag_add_parent(*, actor: Viewer, child: Tag, parent: Tag) -> Tag:
    """Make `parent` a metatag of `child`: works under the child then count under the
    parent. Both canonical, of the same kind, and never a loop."""
    _require_wrangler(actor)
    child.refresh_from_db()
    parent.refresh_from_db()
    _require_free(child, parent)
    for t in (child, parent):
        if not t.canonical:
            raise ValidationError(
                _("%(name)s is not canonical; only canonical tags have meta and sub tags.")
                % {"name": repr(t.name)}
            )
    if child.kind != parent.kind:
        raise ValidationError(
            _(
                "%(name)s is a %(kind)s tag and %(other)s a %(other_kind)s tag; meta and sub "
                "tags must be of the same kind."
            )
            % {
                "name": repr(child.name),
                "kind": kind_noun(child.kind),
                "other": repr(parent.name),
                "other_kind": kind_noun(parent.kind),
            }
        )
    if parent.pk in tag_descendant_ids(child):
        raise ValidationError(
            _("%(name)s is %(other)s or one of its subtags: that would be a loop.")
            % {"name": repr(parent.name), "other": repr(child.name)}
        )
    child.parents.add(parent)
    _audit(actor, "parent", child, parent=parent.name)
    wrangling_changed()
    return child


@transaction.atomic
def tag_remove_parent(*, actor: Viewer, child: Tag, parent: Tag) -> Tag:
    """Undo tag_add_parent."""
    _require_wrangler(actor)
    if not child.parents.filter(pk=parent.pk).exists():
        raise ValidationError(
            _("%(name)s is not a metatag of %(other)s.")
            % {"name": repr(parent.name), "other": repr(child.name)}
        )
    child.parents.remove(parent)
    _audit(actor, "unparent", child, parent=parent.name)
    wrangling_changed()
    return child


@transaction.atomic
def tag_link_fandom(*, actor: Viewer, tag: Tag, fandom: Tag) -> Tag:
    """Link a character, relationship or additional tag to a canonical fandom."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    fandom.refresh_from_db()
    _require_free(tag)
    if tag.kind == TagKind.FANDOM:
        raise ValidationError(
            _("%(name)s is a fandom; fandoms are not linked to fandoms (use a metatag).")
            % {"name": repr(tag.name)}
        )
    if fandom.kind != TagKind.FANDOM:
        raise ValidationError(_("%(name)s is not a fandom tag.") % {"name": repr(fandom.name)})
    if not fandom.canonical:
        if fandom.synonym_of_id:
            raise ValidationError(
                _("%(name)s is not a canonical fandom (use %(other)s).")
                % {"name": repr(fandom.name), "other": repr(fandom.synonym_of.name)}
            )
        raise ValidationError(
            _("%(name)s is not a canonical fandom.") % {"name": repr(fandom.name)}
        )
    tag.fandoms.add(fandom)
    _audit(actor, "fandom", tag, fandom=fandom.name)
    wrangling_changed()
    return tag


@transaction.atomic
def tag_unlink_fandom(*, actor: Viewer, tag: Tag, fandom: Tag) -> Tag:
    """Undo tag_link_fandom."""
    _require_wrangler(actor)
    if not tag.fandoms.filter(pk=fandom.pk).exists():
        raise ValidationError(
            _("%(name)s is not linked to %(other)s.")
            % {"name": repr(tag.name), "other": repr(fandom.name)}
        )
    tag.fandoms.remove(fandom)
    _audit(actor, "unfandom", tag, fandom=fandom.name)
    wrangling_changed()
    return tag


@transaction.atomic
def tag_rename(*, actor: Viewer, tag: Tag, new_name: str) -> Tag:
    """Rename a tag: the same tag, so every work that carries it shows the new name and
    every link stays. Refused onto a name another tag has (merge those instead)."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    _require_free(tag)
    new_name = validate_tag_name(new_name)
    other = Tag.objects.filter(name_key=tag_key(new_name)).exclude(pk=tag.pk).first()
    if other is not None:
        raise ValidationError(
            _("There is already a tag %(name)s; merge the two instead of renaming.")
            % {"name": repr(other.name)}
        )
    if new_name == tag.name:
        return tag
    old = tag.name
    tag.name = new_name
    tag.save(update_fields=["name", "updated_at"])
    tag_words_index(tag=tag)
    if tag.kind == TagKind.RELATIONSHIP:
        relationship_link_characters(tag=tag)
    _audit(actor, "rename", tag, previous=old)
    wrangling_changed()
    changes.tags_changed([tag.pk])
    return tag


@transaction.atomic
def tag_set_unwrangleable(*, actor: Viewer, tag: Tag, unwrangleable: bool = True) -> Tag:
    """Set a tag aside as too vague to wrangle (out of the unwrangled bin), or back."""
    _require_wrangler(actor)
    tag.refresh_from_db()
    _require_free(tag)
    if unwrangleable and (tag.canonical or tag.synonym_of_id):
        raise ValidationError(_("%(name)s is already wrangled.") % {"name": repr(tag.name)})
    tag.unwrangleable = unwrangleable
    tag.save(update_fields=["unwrangleable", "updated_at"])
    _audit(actor, "unwrangleable", tag, value=unwrangleable)
    wrangling_changed()
    return tag


MASS_ACTIONS = {
    "synonym": gettext_lazy("Make synonym of"),
    "fandom": gettext_lazy("Link to fandom"),
    "canonical": gettext_lazy("Make canonical"),
    "unwrangleable": gettext_lazy("Mark unwrangleable"),
}


@transaction.atomic
def tags_mass_wrangle(
    *, actor: Viewer, tags: Sequence[Tag], action: str, target: Tag | None = None
) -> int:
    """One wrangling action on many tags at once, all or nothing: the first refusal
    undoes the lot and names the tag it stopped at."""
    _require_wrangler(actor)
    if action not in MASS_ACTIONS:
        raise ValidationError(_("Unknown action %(op)s.") % {"op": repr(action)})
    if not tags:
        raise ValidationError(_("Choose at least one tag."))
    if action in {"synonym", "fandom"} and target is None:
        raise ValidationError(_("%(action)s: which tag?") % {"action": MASS_ACTIONS[action]})
    for tag in tags:
        if action == "synonym" and target is not None:
            tag_make_synonym(actor=actor, tag=tag, canonical=target)
        elif action == "fandom" and target is not None:
            tag_link_fandom(actor=actor, tag=tag, fandom=target)
        elif action == "canonical":
            tag_make_canonical(actor=actor, tag=tag)
        else:
            tag_set_unwrangleable(actor=actor, tag=tag)
    return len(tags)
