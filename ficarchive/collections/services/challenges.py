"""Writes to challenges: settings (window, prompt counts, required overlap), the tag set,
and sign-ups (from the form, or imported from a spreadsheet's JSON).

A prompt's tags are stored as their canonical tags (a synonym counts as its canonical), so
two sign-ups naming the same thing differently still match."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud, User
from ficarchive.accounts.services import pseud_unclaimed
from ficarchive.core.html import sanitize_html
from ficarchive.core.viewers import OPERATOR, Viewer, is_operator, is_user
from ficarchive.tags.models import Tag, tag_key
from ficarchive.tags.services import tags_find_or_create

from ..models import Challenge, ChallengeTag, Collection, Prompt, PromptKind, Signup
from .collections import _need_maintainer

# The tag kinds a prompt holds, with the JSON key of each (``import-signups``'s SET).
KINDS = {"fandoms": "fandom", "characters": "character", "relationships": "relationship",
         "freeforms": "freeform"}  # fmt: skip
SETTINGS = (
    "signups_open",
    "signups_open_at",
    "signups_close_at",
    "assignments_due_at",
    "requests_min",
    "requests_max",
    "offers_min",
    "offers_max",
    "match_fandoms",
    "match_characters",
    "match_relationships",
    "match_freeforms",
    "claims_per_prompt",
)


@dataclass
class PromptInput:
    """One request or offer: tag names per kind (``fandom``, ``character``,
    ``relationship``, ``freeform``), a title and a description."""

    tags: dict[str, list[str]] = field(default_factory=dict)
    title: str = ""
    description: str = ""
    anonymous: bool = False


def challenge_ensure(collection: Collection) -> Challenge:
    """The collection's challenge settings, made with AO3's defaults when missing."""
    challenge, _ = Challenge.objects.get_or_create(collection=collection)
    return challenge


def challenge_of(collection: Collection) -> Challenge:
    """The challenge of a gift exchange or prompt meme. Raises ``ValidationError``."""
    if not collection.challenge_kind:
        raise ValidationError(
            _("%(title)s is not a gift exchange or prompt meme.") % {"title": collection.title}
        )
    return challenge_ensure(collection)


@transaction.atomic
def challenge_set(*, actor: Viewer, collection: Collection, **values: object) -> Challenge:
    """Change challenge settings (``SETTINGS``): counts and overlaps are whole numbers from
    0 (``*_max`` from 1), dates timezone-aware. Raises ``ValidationError``,
    ``PermissionDenied``."""
    _need_maintainer(actor, collection)
    challenge = challenge_of(collection)
    unknown = set(values) - set(SETTINGS)
    if unknown:
        raise ValidationError(
            _("Unknown challenge setting %(value)s.") % {"value": ", ".join(sorted(unknown))}
        )
    for key, value in values.items():
        if key.endswith("_at"):
            if value is not None and not isinstance(value, dt.datetime):
                raise ValidationError(_("%(key)s must be a date and time.") % {"key": key})
        elif key == "signups_open":
            value = bool(value)
        elif not isinstance(value, int) or value < 0 or value > 100:
            raise ValidationError(_("%(key)s must be a whole number from 0 to 100.") % {"key": key})
        setattr(challenge, key, value)
    if (
        challenge.requests_min > challenge.requests_max
        or challenge.offers_min > challenge.offers_max
    ):
        raise ValidationError(_("A minimum number of prompts is above its maximum."))
    if challenge.requests_max < 1:
        raise ValidationError(_("Each sign-up needs room for at least one request."))
    opens, closes = challenge.signups_open_at, challenge.signups_close_at
    if opens is not None and closes is not None and closes <= opens:
        raise ValidationError(_("Sign-ups must close after they open."))
    challenge.save()
    return challenge


@transaction.atomic
def tag_set_add(*, actor: Viewer, collection: Collection, kind: str, names: Iterable[str]) -> int:
    """Add canonical tags of ``kind`` to the challenge's tag set (a synonym adds its
    canonical). Returns how many were added. Raises ``ValidationError`` (a name that is no
    tag of that kind), ``PermissionDenied``."""
    _need_maintainer(actor, collection)
    challenge = challenge_of(collection)
    added = 0
    for name in names:
        tag = _existing_tag(kind, name)
        _, made = ChallengeTag.objects.get_or_create(challenge=challenge, tag=tag)
        added += made
    return added


def _existing_tag(kind: str, name: str) -> Tag:
    tag = Tag.objects.filter(name_key=tag_key(name), kind=kind).select_related("synonym_of").first()
    if tag is None:
        raise ValidationError(
            _("There is no %(kind)s tag named %(name)s.") % {"kind": kind, "name": name}
        )
    return tag.synonym_of or tag


def _resolve(challenge: Challenge, kind: str, name: str, allowed: set[int], create: bool) -> Tag:
    """The canonical tag a prompt may hold for this name, within the tag set (when the
    challenge has one) or among canonical tags (when not; the operator's imports may make
    new tags)."""
    if create and not allowed:
        (tag,) = tags_find_or_create(kind=kind, names=[name])
        tag = tag.synonym_of or tag
    else:
        tag = _existing_tag(kind, name)
    if allowed and tag.pk not in allowed:
        raise ValidationError(_("%(name)s is not in this challenge's tag set.") % {"name": name})
    if not allowed and not create and not tag.canonical:
        raise ValidationError(
            _("%(name)s is not a canonical %(kind)s tag.") % {"name": name, "kind": kind}
        )
    return tag


def _window_check(challenge: Challenge, now: dt.datetime) -> None:
    if not challenge.signups_open:
        raise ValidationError(_("Sign-ups are closed."))
    if challenge.signups_open_at and now < challenge.signups_open_at:
        raise ValidationError(_("Sign-ups have not opened yet."))
    if challenge.signups_close_at and now >= challenge.signups_close_at:
        raise ValidationError(
            _("Sign-ups closed on %(date)s.") % {"date": f"{challenge.signups_close_at:%Y-%m-%d}"}
        )


def signups_window_problem(challenge: Challenge, now: dt.datetime | None = None) -> str:
    """Why nobody can sign up now (the maintainer closed sign-ups, they open later, they
    closed on a date), as the translated sentence a sign-up would be refused with; "" while
    sign-ups are open. The operator's imports are not bound by the window."""
    try:
        _window_check(challenge, now or timezone.now())
    except ValidationError as exc:
        return " ".join(exc.messages)
    return ""


def signups_open_now(challenge: Challenge, now: dt.datetime | None = None) -> bool:
    """True while people may sign up (``signups_window_problem`` is empty)."""
    return not signups_window_problem(challenge, now)


def _check_counts(challenge: Challenge, requests: list, offers: list, gift_exchange: bool) -> None:
    if not challenge.requests_min <= len(requests) <= challenge.requests_max:
        raise ValidationError(
            _("A sign-up needs %(requests_min)s to %(requests_max)s requests.")
            % {"requests_min": challenge.requests_min, "requests_max": challenge.requests_max}
        )
    if gift_exchange and not challenge.offers_min <= len(offers) <= challenge.offers_max:
        raise ValidationError(
            _("A sign-up needs %(offers_min)s to %(offers_max)s offers.")
            % {"offers_min": challenge.offers_min, "offers_max": challenge.offers_max}
        )


@transaction.atomic
def signup_create(
    *,
    actor: Viewer,
    collection: Collection,
    pseud: Pseud,
    requests: list[PromptInput],
    offers: list[PromptInput],
    now: dt.datetime | None = None,
) -> Signup:
    """Sign ``pseud`` up. An account signs up its own pseuds inside the window; the operator
    (imports) signs anyone up at any time. Raises ``ValidationError`` (signed up already,
    outside the window, too few or many prompts, a tag outside the tag set),
    ``PermissionDenied``."""
    from ficarchive.core.errors import PermissionDenied

    challenge = challenge_of(collection)
    operator = is_operator(actor)
    if not operator:
        if not is_user(actor) or pseud.user_id != actor.pk:
            raise PermissionDenied(_("You can only sign up as one of your own pseuds."))
        _window_check(challenge, now or timezone.now())
    who = Signup.objects.filter(challenge=challenge)
    if who.filter(pseud=pseud).exists() or (
        pseud.user_id and who.filter(pseud__user_id=pseud.user_id).exists()
    ):
        raise ValidationError(
            _("%(name)s is already signed up for %(title)s.")
            % {"name": pseud.name, "title": collection.title}
        )
    _check_counts(challenge, requests, offers, collection.is_gift_exchange)
    allowed = set(challenge.tag_set.values_list("tag_id", flat=True))
    signup = Signup.objects.create(challenge=challenge, pseud=pseud)
    for kind, prompts in ((PromptKind.REQUEST, requests), (PromptKind.OFFER, offers)):
        for position, given in enumerate(prompts, start=1):
            tags = [
                _resolve(challenge, tag_kind, name, allowed, create=operator)
                for tag_kind, names in given.tags.items()
                for name in names
            ]
            prompt = Prompt.objects.create(
                signup=signup,
                kind=kind,
                position=position,
                title=given.title[:255],
                description=sanitize_html(given.description),
                anonymous=given.anonymous,
            )
            prompt.tags.set({t.pk for t in tags})
    return signup


def _prompt_from_json(raw: object, where: str) -> PromptInput:
    if not isinstance(raw, dict):
        raise ValidationError(
            _("%(where)s: a prompt must be an object of tag lists.") % {"where": where}
        )
    tags: dict[str, list[str]] = {}
    for key, value in raw.items():
        if key not in KINDS:
            raise ValidationError(
                _("%(where)s: unknown key %(key)s (use %(value)s).")
                % {"where": where, "key": repr(key), "value": ", ".join(KINDS)}
            )
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(
                _("%(where)s: %(key)s must be a list of tag names.") % {"where": where, "key": key}
            )
        tags[KINDS[key]] = value
    return PromptInput(tags=tags)


def _participant_pseud(name: str) -> Pseud:
    """An account's default pseud, or an unclaimed pseud (no password, claimable like an
    imported author's) for a name with no account."""
    user = User.objects.filter(username__iexact=name).first()
    if user is not None:
        return user.default_pseud()
    return pseud_unclaimed(name=name)


@transaction.atomic
def signups_import(*, collection: Collection, rows: object) -> list[Signup]:
    """Sign up everyone in ``rows``, a list of ``{"user", "requests": [SET], "offers":
    [SET]}`` with SET ``{"fandoms", "characters", "relationships", "freeforms"}`` (lists of
    tag names), as the operator. All or nothing: the first bad row raises
    ``ValidationError`` naming it, and no sign-up is kept."""
    if not isinstance(rows, list):
        raise ValidationError(_("The file must hold a JSON list of sign-ups."))
    made = []
    for n, row in enumerate(rows, start=1):
        where = f"sign-up {n}"
        if not isinstance(row, dict) or not isinstance(row.get("user"), str) or not row["user"]:
            raise ValidationError(_('%(where)s: needs a "user" name.') % {"where": where})
        where = f"sign-up {n} ({row['user']})"
        sets = {}
        for key in ("requests", "offers"):
            value = row.get(key, [])
            if not isinstance(value, list):
                raise ValidationError(
                    _("%(where)s: %(key)s must be a list.") % {"where": where, "key": key}
                )
            sets[key] = [_prompt_from_json(p, where) for p in value]
        try:
            made.append(
                signup_create(
                    actor=OPERATOR,
                    collection=collection,
                    pseud=_participant_pseud(row["user"]),
                    requests=sets["requests"],
                    offers=sets["offers"],
                )
            )
        except ValidationError as exc:
            raise ValidationError(
                _("%(where)s: %(value)s") % {"where": where, "value": " ".join(exc.messages)}
            ) from None
    return made


@transaction.atomic
def signup_delete(*, actor: Viewer, signup: Signup) -> None:
    """Withdraw a sign-up (its owner before matching, or a maintainer)."""
    from ficarchive.core.errors import PermissionDenied

    from .collections import is_maintainer

    collection = signup.challenge.collection
    own = is_user(actor) and signup.pseud.user_id == actor.pk
    if not (is_maintainer(actor, collection) or (own and not signup.challenge.matched_at)):
        raise PermissionDenied(_("You cannot withdraw this sign-up."))
    signup.delete()
