"""Telling people about collection events (assignments sent, gifts, invitations).

``collection_notify`` sends one mail per account through Django's mail (FICARCHIVE_EMAIL_*;
files in FICARCHIVE_HOME without a host), after the transaction commits. Gifts are
announced through the notifications app when it is installed: it sits above this app in
the layers, so it registers its announcer here (``gift_announcer_register``) from its
``AppConfig.ready``, and the inbox, the reader's mail preferences and the access check at
send time all apply."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ficarchive.accounts.middleware import recipient_language
from ficarchive.accounts.models import User

# A mail's text: a string, or a function that writes it in the active language (called
# once per recipient, under that recipient's language).
Text = str | Callable[[], str]


def site_address(path: str) -> str:
    """The absolute address of a path on this archive (``settings.SITE_URL`` + path), for
    mail: a mail client has no page to resolve "/collections/NAME" against."""
    return settings.SITE_URL + path


def _send(subject: str, body: str, address: str) -> None:
    send_mail(subject, body, None, [address], fail_silently=True)


def collection_notify(*, users: Iterable[User | None], subject: Text, body: Text) -> int:
    """Queue ``subject``/``body`` (plain text) to each account with an address, once the
    writer's transaction commits. Given as functions, they are written once per recipient
    in the recipient's language (``accounts.middleware.recipient_language``); plain strings
    go as they are. Returns how many mails are queued."""
    recipients = {u.email: u for u in users if u is not None and u.email}
    for address in sorted(recipients):
        with translation.override(recipient_language(recipients[address])):
            text = (subject() if callable(subject) else subject, body() if callable(body) else body)
        transaction.on_commit(functools.partial(_send, *text, address))
    return len(recipients)


# (work id, recipient user ids) -> None; registered by the notifications app.
GiftAnnouncer = Callable[..., None]
_GIFT_ANNOUNCERS: list[GiftAnnouncer] = []


def gift_announcer_register(announcer: GiftAnnouncer) -> None:
    """Let the notifications app announce gifts: ``announcer(work_id=int, user_ids=[int],
    occasion=str)`` is called inside the giver's transaction. Registering again replaces it."""
    _GIFT_ANNOUNCERS[:] = [announcer]


def gift_announce(*, work_id: int, url: str, users: Iterable[User], occasion: str = "") -> None:
    """Tell these accounts that the work was given to them: through the registered
    announcer (the inbox and mail, by the reader's preferences), else a plain mail.
    ``occasion`` names a later announcement of the same gift (a reveal)."""
    users = list(users)
    if _GIFT_ANNOUNCERS:
        _GIFT_ANNOUNCERS[0](work_id=work_id, user_ids=[u.pk for u in users], occasion=occasion)
        return
    collection_notify(
        users=users,
        subject=lambda: _("A gift for you"),
        body=lambda: _("A work was given to you as a gift: %(url)s") % {"url": site_address(url)},
    )


# (work ids, occasion) -> None; registered by the notifications app.
RevealAnnouncer = Callable[..., None]
_REVEAL_ANNOUNCERS: list[RevealAnnouncer] = []


def reveal_announcer_register(announcer: RevealAnnouncer) -> None:
    """Let the notifications app tell creators' subscribers of revealed works:
    ``announcer(work_ids=[int], occasion=str)``, called inside the reveal's transaction.
    Registering again replaces it."""
    _REVEAL_ANNOUNCERS[:] = [announcer]


def reveal_announce(*, work_ids: list[int], occasion: str) -> None:
    """Tell whoever follows the revealed works' creators (nothing without the
    notifications app): those works were unrevealed or anonymous when posted, so their
    creators' subscribers could not be told then."""
    if _REVEAL_ANNOUNCERS and work_ids:
        _REVEAL_ANNOUNCERS[0](work_ids=work_ids, occasion=occasion)


# (actor, recipient account) -> None, raising PermissionDenied; registered by moderation,
# which sits above this app: a user someone blocked may not gift or invite them (AO3).
PersonGuard = Callable[..., None]
_PERSON_GUARDS: list[PersonGuard] = []


def person_guard_register(guard: PersonGuard) -> None:
    """Add ``guard(actor, recipient)``: raises ``PermissionDenied`` when the actor may not
    reach that account with a gift, a co-creator invitation, a related-work link or a
    collection invitation (idempotent)."""
    if guard not in _PERSON_GUARDS:
        _PERSON_GUARDS.append(guard)


def person_guards_check(actor: object, recipient: User | None) -> None:
    """Run every registered guard; raises what they raise (``PermissionDenied``)."""
    if recipient is None:
        return
    for guard in _PERSON_GUARDS:
        guard(actor, recipient)


# (account ids) -> {(blocker id, blocked id)}; registered by moderation. The exchange's
# matcher leaves out pairs across a block, since the gift could not be posted (the person
# guard refuses it) and the blocked user would learn of the block.
BlockedPairs = Callable[[set[int]], set[tuple[int, int]]]
_BLOCKED_PAIRS: list[BlockedPairs] = []


def blocked_pairs_register(fn: BlockedPairs) -> None:
    """Add ``fn(user_ids)``: the (blocker, blocked) pairs among those accounts (idempotent)."""
    if fn not in _BLOCKED_PAIRS:
        _BLOCKED_PAIRS.append(fn)


def blocked_pairs(user_ids: set[int]) -> set[tuple[int, int]]:
    """Every registered source's (blocker id, blocked id) pairs among ``user_ids``."""
    found: set[tuple[int, int]] = set()
    for fn in _BLOCKED_PAIRS:
        found |= fn(user_ids)
    return found
