"""Writes for tag suggestions: a creator adds a proposed tag to the work (through the
works services, as the edit page would) or dismisses it for good."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from ficarchive.accounts.models import User
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer
from ficarchive.tags.models import tag_key
from ficarchive.tags.services import validate_tag_name
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works import access
from ficarchive.works.models import Work
from ficarchive.works.services import WorkMeta, work_update

from .models import DismissedSuggestion
from .selectors import PLACEHOLDER_WARNINGS, suggestion_find

KINDS = {kind.value for kind in TagKind}


def _require_creator(actor: Viewer, work: Work) -> None:
    """PermissionDenied unless the actor may change the work (``access.may_edit``)."""
    if not access.may_edit(actor, work):
        raise PermissionDenied("Only the work's creators can decide on its suggested tags.")


def _clean(kind: str, name: str) -> tuple[str, str]:
    kind = (kind or "").strip()
    name = " ".join((name or "").split())
    if kind not in KINDS:
        raise ValidationError(f"{kind!r} is not a kind of tag.")
    if not name:
        raise ValidationError("Name the suggested tag.")
    return kind, validate_tag_name(name)


def work_meta_of(work: Work) -> WorkMeta:
    """The work's current metadata as the works services take it (tags in the author's
    order), so an update that changes one tag leaves everything else as it was."""
    names = {kind: [t.name for t in work.tags_of_kind(kind)] for kind in KINDS}
    return WorkMeta(
        title=work.title,
        rating=work.rating,
        warnings=names[TagKind.WARNING],
        fandoms=names[TagKind.FANDOM],
        categories=names[TagKind.CATEGORY],
        relationships=names[TagKind.RELATIONSHIP],
        characters=names[TagKind.CHARACTER],
        freeforms=names[TagKind.FREEFORM],
        summary=work.summary,
        notes=work.notes,
        end_notes=work.end_notes,
        language=work.language,
        restricted=work.restricted,
        anonymous=work.anonymous,
        expected_chapters=work.expected_chapters,
        in_progress=work.expected_chapters is None,
        comment_permission=work.comment_permission,
    )


def _with_tag(meta: WorkMeta, kind: str, name: str) -> WorkMeta:
    """The metadata with one more tag of a kind (a new rating replaces the old one)."""
    if kind == TagKind.RATING:
        meta.rating = name
        return meta
    if kind == TagKind.WARNING:
        if name in PLACEHOLDER_WARNINGS:
            if any(w not in PLACEHOLDER_WARNINGS for w in meta.warnings):
                raise ValidationError(
                    f"The work carries archive warnings, so {name!r} cannot be added; "
                    "change the warnings on the Edit page if they no longer apply."
                )
            meta.warnings = [name]
        else:
            meta.warnings = [w for w in meta.warnings if w not in PLACEHOLDER_WARNINGS] + [name]
        return meta
    field = {
        TagKind.CATEGORY: "categories",
        TagKind.FANDOM: "fandoms",
        TagKind.RELATIONSHIP: "relationships",
        TagKind.CHARACTER: "characters",
        TagKind.FREEFORM: "freeforms",
    }[TagKind(kind)]
    current = list(getattr(meta, field))
    if tag_key(name) not in {tag_key(n) for n in current}:
        current.append(name)
    setattr(meta, field, current)
    return meta


class ConfirmationNeeded(ValidationError):
    """Accepting a rating or an archive warning needs the creator's confirmation naming
    the old and the new value (``confirm_from``, ``confirm_to``); ``old`` and ``new``
    say what to ask."""

    def __init__(self, kind: str, old: str, new: str) -> None:
        noun = "rating" if kind == TagKind.RATING else "archive warnings"
        super().__init__(
            f"Changing the {noun} from {old or 'none'} to {new} needs your confirmation."
        )
        self.kind, self.old, self.new = kind, old, new


def change_of(work: Work, kind: str, name: str) -> tuple[str, str] | None:
    """``(old, new)`` as the creator must confirm them when accepting this suggestion
    changes the work's rating or archive warnings (warnings joined by ", " in the
    author's order); ``None`` for other kinds. Raises ``ValidationError`` as accepting
    would."""
    if kind not in (TagKind.RATING, TagKind.WARNING):
        return None
    before = work_meta_of(work)
    old = before.rating if kind == TagKind.RATING else ", ".join(before.warnings)
    after = _with_tag(work_meta_of(work), kind, name)
    new = after.rating if kind == TagKind.RATING else ", ".join(after.warnings)
    return old, new


@transaction.atomic
def suggestion_accept(
    *,
    actor: User,
    work: Work,
    kind: str,
    name: str,
    confirm_from: str | None = None,
    confirm_to: str | None = None,
) -> Work:
    """Add a tag the engine proposes for the work, as its creator: a rating replaces the
    rating; a real archive warning replaces "No Archive Warnings Apply" and "Creator Chose
    Not To Use Archive Warnings"; any other tag joins those of its kind. Only proposals the
    engine makes for the work's current text are accepted. Returns the updated work.

    A suggestion never changes a work's rating or warnings by itself: for those kinds the
    creator's confirmation must name the current value (``confirm_from``) and the new one
    (``confirm_to``) exactly as :func:`change_of` gives them; otherwise
    :class:`ConfirmationNeeded` is raised and nothing changes (a stale confirmation,
    made before someone else changed the work, fails the same way)."""
    _require_creator(actor, work)
    kind, name = _clean(kind, name)
    proposal = suggestion_find(work, kind=kind, name=name)
    if proposal is None:
        raise ValidationError(f"{name!r} is not among the tags suggested for this work.")
    name = proposal["name"]
    change = change_of(work, kind, name)
    if change is not None and (confirm_from, confirm_to) != change:
        raise ConfirmationNeeded(kind, *change)
    meta = _with_tag(work_meta_of(work), kind, name)
    work = work_update(actor=actor, work=work, meta=meta)
    # Accepting settles an earlier dismissal of the same tag, if there was one.
    DismissedSuggestion.objects.filter(work=work, kind=kind, name_key=tag_key(name)).delete()
    return work


@transaction.atomic
def suggestion_dismiss(*, actor: User, work: Work, kind: str, name: str) -> DismissedSuggestion:
    """Drop a proposed tag: it is not proposed for this work again (until restored).
    Dismissing twice is harmless. Nothing on the work changes."""
    _require_creator(actor, work)
    kind, name = _clean(kind, name)
    proposal = suggestion_find(work, kind=kind, name=name)
    if proposal is not None:
        name = proposal["name"]
    dismissal, _ = DismissedSuggestion.objects.get_or_create(
        work=work, kind=kind, name_key=tag_key(name), defaults={"name": name, "dismissed_by": actor}
    )
    return dismissal


@transaction.atomic
def suggestion_restore(*, actor: User, work: Work, kind: str, name: str) -> bool:
    """Undo a dismissal, so the tag is proposed again while the text calls for it.
    Returns whether there was a dismissal to undo."""
    _require_creator(actor, work)
    kind, name = _clean(kind, name)
    deleted, _ = DismissedSuggestion.objects.filter(
        work=work, kind=kind, name_key=tag_key(name)
    ).delete()
    return bool(deleted)


def model_retrain_if_due(path: Path | None = None) -> dict[str, Any] | None:
    """Retrain the archive's suggestion model on its public posted works when due, for
    the worker to call from time to time (see :func:`.training.model_retrain_if_due` for
    when; ``None`` when not due). scikit-learn is loaded only when this runs."""
    from .training import model_retrain_if_due as retrain

    return retrain(path)
