"""Reads of collections, challenges and gifts. Works are read through ``works.access``:
a collection's listing goes through the search plan (``collection_works_within``), a
gift list through ``Work.objects.listed_for``, so anonymous and unrevealed works are
treated as everywhere else."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import Viewer, is_user
from ficarchive.works.models import Work

from .models import (
    Approval,
    Assignment,
    Claim,
    Collection,
    CollectionItem,
    Gift,
    LinkStatus,
    Prompt,
    PromptKind,
    RelatedWork,
    Signup,
)


def collections_listed(viewer: Viewer) -> QuerySet[Collection]:
    """Every collection, top-level ones first, with counts of approved items whose works
    the viewer may list (or could, once revealed: ``access.listed_once_revealed_q``), so a
    count reveals no draft, hidden or (for guests) restricted work."""
    from ficarchive.works.access import listed_once_revealed_q

    countable = Work.objects.filter(listed_once_revealed_q(viewer)).values("pk")
    approved = Q(
        items__collection_approval=Approval.APPROVED,
        items__creator_approval=Approval.APPROVED,
        items__work__in=countable,
    )
    return (
        Collection.objects.select_related("parent")
        .annotate(item_count=Count("items", filter=approved, distinct=True))
        .order_by("parent_id", "title")
    )


def collection_get(name: str) -> Collection:
    """The collection named so (case-insensitive). Raises ``NotFound``."""
    collection = Collection.objects.select_related("parent").filter(name__iexact=name).first()
    if collection is None:
        raise NotFound(f"No collection named {name}.")
    return collection


def collection_work_ids(collection: Collection) -> QuerySet:
    """Ids of the works approved in the collection and its sub-collections (a subquery)."""
    return CollectionItem.objects.filter(
        Q(collection=collection) | Q(collection__parent=collection),
        collection_approval=Approval.APPROVED,
        creator_approval=Approval.APPROVED,
    ).values("work_id")


def collection_works_qs(collection: Collection) -> QuerySet[Work]:
    """The works of the collection, for the search plan's ``within`` (which applies the
    viewer's listing rule on top)."""
    return Work.objects.filter(pk__in=collection_work_ids(collection))


def mystery_count(collection: Collection, viewer: Viewer) -> int:
    """Works of the collection the viewer may not see yet because it is unrevealed: shown
    as "Mystery Work"s (a count, never a title)."""
    from ficarchive.works.access import listed_once_revealed_q, listed_q

    works = Work.objects.filter(pk__in=collection_work_ids(collection))
    unrevealed = works.filter(listed_once_revealed_q(viewer), in_unrevealed_collection=True)
    return unrevealed.exclude(listed_q(viewer)).count()


def items_for_review(collection: Collection, viewer: Viewer) -> QuerySet[CollectionItem]:
    """Every item of the collection with its work (maintainers' page), each with
    ``readable``: may the viewer read its work (``access.visible_q``)? The page names only
    those: a collection's maintainers are not a draft's creators nor the archive's admins."""
    from ficarchive.works.access import visible_q

    readable = Work.objects.filter(visible_q(viewer), pk=OuterRef("work_id"))
    return (
        collection.items.select_related("work")
        .annotate(readable=Exists(readable))
        .order_by("collection_approval", "-created_at")
    )


def links_to_review(user: User) -> QuerySet[RelatedWork]:
    """Related-work links waiting for this creator's approval (on their works), from works
    they may read (``access.visible_q``): a draft, a work an admin hid or a Mystery Work
    links to them unseen until it may be read."""
    from ficarchive.works.access import visible_q

    readable = Work.objects.filter(visible_q(user)).values("pk")
    return (
        RelatedWork.objects.filter(
            parent__creatorships__pseud__user=user,
            status=LinkStatus.PENDING,
            work__in=readable,
        )
        .select_related("work", "parent")
        .distinct()
    )


def invitations_for(user: User) -> QuerySet[CollectionItem]:
    """Items awaiting this creator's approval (a maintainer invited their work)."""
    return CollectionItem.objects.filter(
        creator_approval=Approval.PENDING, work__creatorships__pseud__user=user
    ).select_related("collection", "work")


@dataclass
class AssignmentRow:
    assignment: Assignment
    giver_name: str | None
    recipient_name: str
    #: For a defaulted assignment: who pinch hits for its recipient now (None: nobody yet).
    pinch_hitter_name: str | None = None

    @property
    def defaulted(self) -> bool:
        return self.assignment.defaulted_at is not None


def _giver_name(a: Assignment) -> str | None:
    if a.giver_id:
        return a.giver.participant
    if a.pinch_hitter_id:
        p = a.pinch_hitter
        return p.user.username if p.user_id else p.name
    return None


def assignments_of(collection: Collection, *, with_defaulted: bool = False) -> list[AssignmentRow]:
    """The live assignments of an exchange, giver or pinch hitter named, in recipient
    order. ``with_defaulted``: the defaulted ones too (the maintainers' table: AO3 keeps a
    defaulted assignment listed as defaulted, with the pinch hitter who took its recipient
    beside it, ``pinch_hitter_name``)."""
    rows = (
        Assignment.objects.filter(challenge__collection=collection)
        .select_related("giver__pseud__user", "recipient__pseud__user", "pinch_hitter__user")
        .order_by("recipient_id", "id")
    )
    if not with_defaulted:
        rows = rows.filter(defaulted_at__isnull=True)
    rows_list = list(rows)
    live_hitters = {
        a.recipient_id: _giver_name(a)
        for a in rows_list
        if a.defaulted_at is None and a.pinch_hitter_id
    }
    out = []
    for a in rows_list:
        giver = _giver_name(a)
        if giver is None:
            continue
        hitter = live_hitters.get(a.recipient_id) if a.defaulted_at else None
        out.append(AssignmentRow(a, giver, a.recipient.participant, hitter))
    return out


def assignments_for_user(collection: Collection, user: User) -> list[Assignment]:
    """The viewer's own assignments as a giver or pinch hitter (their page)."""
    return list(
        Assignment.objects.filter(challenge__collection=collection, defaulted_at__isnull=True)
        .filter(Q(giver__pseud__user=user) | Q(pinch_hitter__user=user))
        .select_related("recipient__pseud")
        .prefetch_related("recipient__prompts__tags")
    )


def open_for_pinch_hit(collection: Collection, viewer: Viewer | None = None) -> list[Signup]:
    """Recipients with no live giver after matching (a default, or no match); for a signed-in
    ``viewer``, without the recipients whose assignment the viewer defaulted on (they may
    not claim it back: ``services.pinch_hit_claim``)."""
    covered = Assignment.objects.filter(
        challenge__collection=collection, defaulted_at__isnull=True
    ).values("recipient_id")
    signups = (
        Signup.objects.filter(challenge__collection=collection, challenge__matched_at__isnull=False)
        .exclude(pk__in=covered)
        .select_related("pseud__user")
    )
    if viewer is not None and is_user(viewer):
        uid = int(viewer.pk or 0)  # type: ignore[union-attr]
        given_up = Assignment.objects.filter(
            challenge__collection=collection, defaulted_at__isnull=False
        ).filter(Q(giver__pseud__user_id=uid) | Q(pinch_hitter__user_id=uid))
        signups = signups.exclude(pk__in=given_up.values("recipient_id"))
    return list(signups)


def signup_of(collection: Collection, viewer: Viewer) -> Signup | None:
    """The viewer's sign-up for the collection's challenge, if any."""
    if not is_user(viewer):
        return None
    return Signup.objects.filter(
        challenge__collection=collection,
        pseud__user_id=int(viewer.pk or 0),  # type: ignore[union-attr]
    ).first()


def prompts_of(
    collection: Collection, viewer: Viewer, *, tag: str = "", unclaimed: bool = False
) -> QuerySet[Prompt]:
    """A prompt meme's prompts with claim and fill counts (AO3 shows both), optionally only
    those carrying ``tag`` (its name, or a synonym's) or with no claim yet. A fill counts
    when the viewer may list its work (or could, once revealed:
    ``access.listed_once_revealed_q``): a draft, hidden or (for guests) restricted fill
    is not betrayed by the count."""
    from ficarchive.works.access import listed_once_revealed_q

    countable = Work.objects.filter(listed_once_revealed_q(viewer)).values("pk")
    prompts = Prompt.objects.filter(
        signup__challenge__collection=collection, kind=PromptKind.REQUEST
    )
    if tag:
        prompts = prompts.filter(Q(tags__name__iexact=tag) | Q(tags__synonyms__name__iexact=tag))
    if unclaimed:
        prompts = prompts.filter(claims__isnull=True)
    return (
        prompts.select_related("signup__pseud")
        .prefetch_related("tags")
        .annotate(
            claim_count=Count("claims", distinct=True),
            fill_count=Count("claims", filter=Q(claims__work__in=countable), distinct=True),
        )
        .order_by("-created_at", "-id")
    )


def claims_of(user: User) -> QuerySet[Claim]:
    return Claim.objects.filter(pseud__user=user).select_related("prompt__signup__challenge")


def gifts_for(user: User, viewer: Viewer, *, refused: bool = False) -> list[tuple[Gift, Work]]:
    """Gifts to the user's pseuds (refused ones left out; ``refused``: only those, for
    their owner's Refused Gifts page, AO3's ``?refused=true``) of works the viewer may list
    and did not mute the creator of, newest first, with the works' blurb data."""
    gifts = list(
        Gift.objects.filter(pseud__user=user, refused=refused).order_by("-created_at", "-id")
    )
    from ficarchive.works.muting import muted_works_q

    listed = Work.objects.listed_for(viewer).filter(pk__in=[g.work_id for g in gifts])
    muted = muted_works_q(viewer)  # a creator the viewer muted: as in every listing
    if muted is not None:
        listed = listed.exclude(muted)
    works = {w.pk: w for w in listed.with_blurb_data()}
    return [(g, works[g.work_id]) for g in gifts if g.work_id in works]


def gift_names_of(work: Work) -> list[str]:
    """Recipients of a work's gifts (refused ones left out), for its page and the API."""
    return [
        g.recipient for g in Gift.objects.filter(work=work, refused=False).select_related("pseud")
    ]


def maintained_unrevealed_q(user_id: int) -> Q:
    """Works in an unrevealed collection (or sub-collection) this account owns or moderates,
    as a ``Q`` on ``Work``: registered with ``works.access.unrevealed_readers_register`` so
    the maintainers read them before the reveal (AO3). Rejected items do not count."""
    from .models import CollectionParticipant, Role

    maintained = CollectionParticipant.objects.filter(
        user_id=user_id, role__in=(Role.OWNER, Role.MODERATOR)
    ).values("collection_id")
    items = (
        CollectionItem.objects.filter(
            Q(collection_id__in=maintained) | Q(collection__parent_id__in=maintained),
            unrevealed=True,
        )
        .exclude(collection_approval=Approval.REJECTED)
        .exclude(creator_approval=Approval.REJECTED)
    )
    return Q(pk__in=items.values("work_id"))
