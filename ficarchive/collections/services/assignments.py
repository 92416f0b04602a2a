"""Gift exchange matching and assignments, stored: run the matcher (``..matching``) on the
sign-ups, keep each recipient's best potential matches for review, and manage the
assignments (regenerate one participant, swap, send, default, pinch hit, fill)."""

from __future__ import annotations

import functools
import time
from collections import defaultdict

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ficarchive.accounts.models import Pseud
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.works.models import Work

from .. import matching
from ..models import Assignment, Challenge, Collection, PotentialMatch, Prompt, Signup
from ..notify import blocked_pairs, collection_notify, person_guards_check, site_address
from .challenges import challenge_of
from .collections import _need_maintainer, item_add

# Potential matches kept per recipient for maintainers to review (the matcher weighs up to
# ``matching.DEFAULT_CAP``).
KEPT_PER_RECIPIENT = 20


def _exchange(collection: Collection) -> Challenge:
    if not collection.is_gift_exchange:
        raise ValidationError(_("%(title)s is not a gift exchange.") % {"title": collection.title})
    return challenge_of(collection)


def _participants(challenge: Challenge) -> tuple[list[int], list[matching.Participant]]:
    """Sign-up ids and their prompts as the matcher's data (two queries)."""
    signup_ids = list(challenge.signups.order_by("pk").values_list("pk", flat=True))
    index = {sid: i for i, sid in enumerate(signup_ids)}
    prompts: dict[int, dict] = {}
    owner: dict[int, tuple[int, str]] = {}
    for pid, sid, kind in Prompt.objects.filter(signup__challenge=challenge).values_list(
        "pk", "signup_id", "kind"
    ):
        prompts[pid] = defaultdict(set)
        owner[pid] = (index[sid], kind)
    rows = Prompt.tags.through.objects.filter(prompt__signup__challenge=challenge)
    for pid, tag_id, tag_kind in rows.values_list("prompt_id", "tag_id", "tag__kind"):
        prompts[pid][tag_kind].add(tag_id)
    people = [matching.Participant(requests=[], offers=[]) for _ in signup_ids]
    for pid, (i, kind) in owner.items():
        target = people[i].requests if kind == "request" else people[i].offers
        target.append(prompts[pid])  # type: ignore[attr-defined]
    return signup_ids, people


def _without_blocked(
    challenge: Challenge, ids: list[int], found: matching.Matches
) -> matching.Matches:
    """The potential matches less those across a block, either way (one query for the
    sign-ups' accounts, one for the blocks): a blocked giver could not post the gift."""
    users = dict(challenge.signups.values_list("pk", "pseud__user_id"))
    pairs = blocked_pairs({u for u in users.values() if u})
    if not pairs or not len(found):
        return found
    account = [users.get(sid) for sid in ids]
    keep = [
        (account[g], account[r]) not in pairs and (account[r], account[g]) not in pairs
        for g, r in zip(found.giver.tolist(), found.recipient.tolist(), strict=True)
    ]
    return matching.Matches(
        giver=found.giver[keep], recipient=found.recipient[keep], score=found.score[keep]
    )


def _not_sent(challenge: Challenge) -> None:
    if challenge.assignments_sent_at:
        raise ValidationError(_("Assignments were already sent; change them one by one."))


@transaction.atomic
def challenge_match(*, actor: Viewer, collection: Collection) -> dict[str, float | int]:
    """Compute potential matches and assignments for every sign-up, replacing earlier ones
    (before assignments are sent). Returns ``{"signups", "assigned", "unassigned",
    "seconds"}``: assigned recipients have a giver. Raises ``ValidationError`` (not an
    exchange, already sent), ``PermissionDenied``."""
    _need_maintainer(actor, collection)
    challenge = _exchange(collection)
    _not_sent(challenge)
    started = time.perf_counter()
    ids, people = _participants(challenge)
    found = _without_blocked(
        challenge, ids, matching.potential_matches(people, challenge.required())
    )
    pairs = matching.assign(len(ids), found)
    PotentialMatch.objects.filter(challenge=challenge).delete()
    Assignment.objects.filter(challenge=challenge).delete()
    kept = _best_per_recipient(found)
    PotentialMatch.objects.bulk_create(
        [
            PotentialMatch(challenge=challenge, giver_id=ids[g], recipient_id=ids[r], score=s)
            for g, r, s in kept
        ],
        batch_size=5000,
    )
    Assignment.objects.bulk_create(
        [
            Assignment(challenge=challenge, giver_id=ids[g], recipient_id=ids[r], score=s)
            for g, r, s in pairs
        ],
        batch_size=5000,
    )
    seconds = round(time.perf_counter() - started, 3)
    challenge.matched_at = timezone.now()
    challenge.match_seconds = seconds
    challenge.save(update_fields=["matched_at", "match_seconds"])
    return {
        "signups": len(ids),
        "assigned": len(pairs),
        "unassigned": len(ids) - len(pairs),
        "seconds": seconds,
    }


def _best_per_recipient(found: matching.Matches) -> list[tuple[int, int, int]]:
    by_recipient: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for g, r, s in zip(
        found.giver.tolist(), found.recipient.tolist(), found.score.tolist(), strict=True
    ):
        by_recipient[r].append((s, g))
    out: list[tuple[int, int, int]] = []
    for r, options in by_recipient.items():
        options.sort(key=lambda o: -o[0])
        out.extend((g, r, s) for s, g in options[:KEPT_PER_RECIPIENT])
    return out


@transaction.atomic
def assignment_regenerate(*, actor: Viewer, signup: Signup) -> list[Assignment]:
    """Match one participant again without touching anyone else's assignment: their
    potential matches are recomputed against everyone, then they get the best free giver
    (one not already giving) and, as a giver, the best recipient still without one.
    Returns their new assignments. Raises ``ValidationError`` (sent already),
    ``PermissionDenied``."""
    challenge = signup.challenge
    _need_maintainer(actor, challenge.collection)
    _not_sent(challenge)
    Assignment.objects.filter(challenge=challenge).filter(
        Q(giver=signup) | Q(recipient=signup)
    ).delete()
    ids, people = _participants(challenge)
    me = ids.index(signup.pk)
    required = challenge.required()
    as_recipient = _without_blocked(
        challenge, ids, matching.potential_matches(people, required, only_recipients={me})
    )
    as_giver = _without_blocked(
        challenge, ids, matching.potential_matches(people, required, only_givers={me})
    )
    PotentialMatch.objects.filter(Q(giver=signup) | Q(recipient=signup)).delete()
    rows = {(g, r): s for m in (as_recipient, as_giver)
            for g, r, s in zip(m.giver.tolist(), m.recipient.tolist(), m.score.tolist(), strict=True)}  # fmt: skip
    PotentialMatch.objects.bulk_create(
        [
            PotentialMatch(challenge=challenge, giver_id=ids[g], recipient_id=ids[r], score=s)
            for (g, r), s in rows.items()
        ]  # fmt: skip
    )
    current = Assignment.objects.filter(challenge=challenge, defaulted_at__isnull=True)
    giving = set(current.exclude(giver=None).values_list("giver_id", flat=True))
    receiving = set(current.values_list("recipient_id", flat=True))
    made: list[Assignment] = []
    options = sorted(rows.items(), key=lambda kv: -kv[1])
    for (g, r), s in options:
        if r == me and ids[g] not in giving and not any(a.recipient_id == signup.pk for a in made):
            made.append(Assignment.objects.create(
                challenge=challenge, giver_id=ids[g], recipient=signup, score=s))  # fmt: skip
            giving.add(ids[g])
    for (g, r), s in options:
        if g == me and ids[r] not in receiving and not any(a.giver_id == signup.pk for a in made):
            made.append(Assignment.objects.create(
                challenge=challenge, giver=signup, recipient_id=ids[r], score=s))  # fmt: skip
            receiving.add(ids[r])
    return made


@transaction.atomic
def assignments_swap(*, actor: Viewer, first: Assignment, second: Assignment) -> None:
    """Swap the givers of two assignments. Raises ``ValidationError`` (someone would be
    assigned to themselves, sent already, a defaulted assignment), ``PermissionDenied``."""
    challenge = first.challenge
    _need_maintainer(actor, challenge.collection)
    _not_sent(challenge)
    if first.challenge_id != second.challenge_id or first.pk == second.pk:
        raise ValidationError(_("Pick two assignments of the same exchange."))
    if first.giver_id is None or second.giver_id is None:
        raise ValidationError(_("Both assignments need a giver to swap."))
    if first.giver_id == second.recipient_id or second.giver_id == first.recipient_id:
        raise ValidationError(_("That swap would assign someone to themselves."))
    first.giver_id, second.giver_id = second.giver_id, first.giver_id
    for a in (first, second):
        a.score = (
            PotentialMatch.objects.filter(giver_id=a.giver_id, recipient_id=a.recipient_id)
            .values_list("score", flat=True)
            .first()
            or 0
        )
        a.save(update_fields=["giver", "score"])


@transaction.atomic
def assignments_send(*, actor: Viewer, collection: Collection) -> int:
    """Send every assignment to its giver (once). Returns how many were sent. Raises
    ``ValidationError`` (no assignments, sent already), ``PermissionDenied``."""
    _need_maintainer(actor, collection)
    challenge = _exchange(collection)
    _not_sent(challenge)
    pending = list(
        Assignment.objects.filter(challenge=challenge, sent_at__isnull=True)
        .exclude(giver=None)
        .select_related("giver__pseud__user", "recipient__pseud")
    )
    if not pending:
        raise ValidationError(_("There are no assignments to send; run the matching first."))
    now = timezone.now()
    Assignment.objects.filter(pk__in=[a.pk for a in pending]).update(sent_at=now)
    challenge.assignments_sent_at = now
    challenge.save(update_fields=["assignments_sent_at"])
    for a in pending:
        body = functools.partial(
            _assignment_body, str(a.recipient.participant), collection.title, collection
        )
        collection_notify(
            users=[a.giver.pseud.user],
            subject=lambda: _("[%(title)s] Your assignment") % {"title": collection.title},
            body=body,
        )
    return len(pending)


def _assignment_body(participant: str, title: str, collection: Collection) -> str:
    return _("You are writing for %(participant)s in %(title)s.\nSee %(url)s/assignments") % {
        "participant": participant,
        "title": title,
        "url": site_address(collection.get_absolute_url()),
    }


def _own(actor: Viewer, pseud: Pseud | None) -> bool:
    return is_user(actor) and pseud is not None and pseud.user_id == actor.pk


@transaction.atomic
def assignment_default(*, actor: Viewer, assignment: Assignment) -> Assignment:
    """The giver (or a maintainer) gives up the assignment: the recipient is open for a
    pinch hitter. Raises ``ValidationError`` (defaulted already, filled), ``PermissionDenied``."""
    from .collections import is_maintainer

    giver = assignment.giver.pseud if assignment.giver_id else assignment.pinch_hitter
    if not (_own(actor, giver) or is_maintainer(actor, assignment.challenge.collection)):
        raise PermissionDenied(_("Only the giver or a maintainer can default an assignment."))
    if assignment.defaulted_at or assignment.work_id:
        raise ValidationError(_("This assignment was already defaulted or filled."))
    assignment.defaulted_at = timezone.now()
    assignment.save(update_fields=["defaulted_at"])
    return assignment


@transaction.atomic
def pinch_hit_claim(*, actor: Viewer, recipient: Signup, pseud: Pseud) -> Assignment:
    """``pseud`` (the actor's) writes for a recipient whose giver defaulted or who has none.
    Raises ``ValidationError`` (the recipient is covered, it is the actor's own sign-up),
    ``PermissionDenied``."""
    if not _own(actor, pseud):
        raise PermissionDenied(_("Pinch hit as one of your own pseuds."))
    if recipient.pseud.user_id == pseud.user_id:
        raise ValidationError(_("You cannot write your own gift."))
    person_guards_check(actor, recipient.pseud.user)  # a recipient who blocked the actor
    covered = Assignment.objects.filter(recipient=recipient, defaulted_at__isnull=True)
    if covered.exists():
        raise ValidationError(
            _("%(participant)s already has a giver.") % {"participant": recipient.participant}
        )
    defaulted = Assignment.objects.filter(recipient=recipient, defaulted_at__isnull=False)
    if defaulted.filter(
        Q(giver__pseud__user_id=pseud.user_id) | Q(pinch_hitter__user_id=pseud.user_id)
    ).exists():
        raise ValidationError(
            _("You defaulted on this assignment; another participant will pinch hit.")
        )
    assignment = Assignment.objects.create(
        challenge=recipient.challenge,
        recipient=recipient,
        pinch_hitter=pseud,
        sent_at=timezone.now(),
    )
    # AO3 sends a pinch hitter the assignment as it sends every giver theirs.
    collection = recipient.challenge.collection
    collection_notify(
        users=[pseud.user],
        subject=lambda: _("[%(title)s] Your assignment") % {"title": collection.title},
        body=functools.partial(
            _assignment_body, str(recipient.participant), collection.title, collection
        ),
    )
    return assignment


@transaction.atomic
def assignment_fulfil(*, actor: Viewer, assignment: Assignment, work: Work) -> Assignment:
    """Post ``work`` (the actor's) as the fill: it joins the collection (anonymous and
    unrevealed as the collection is) as a gift to the recipient. Raises
    ``ValidationError``, ``PermissionDenied``."""
    from .gifts import gift_add

    giver = assignment.giver.pseud if assignment.giver_id else assignment.pinch_hitter
    if not _own(actor, giver):
        raise PermissionDenied(_("Only the assignment's giver can fill it."))
    if assignment.defaulted_at:
        raise ValidationError(_("This assignment was defaulted."))
    collection = assignment.challenge.collection
    if not collection.items.filter(work=work).exists():
        item_add(actor=actor, collection=collection, work=work)
    gift_add(actor=actor, work=work, name=assignment.recipient.participant)
    assignment.work = work
    assignment.save(update_fields=["work"])
    return assignment
