"""The one access module: may this viewer see, list, respond to or change this work?

Every surface that shows a work or anything hanging off one (chapters, comments,
bookmarks, series entries, downloads, feeds, OPDS entries, API objects, tag listings and
counts) asks here, and nowhere else. The rule, as AO3 applies it:

- a **guest** sees posted works that are neither restricted (AO3's "registered users
  only") nor hidden by an admin;
- a **signed-in user** also sees restricted works, and always their own works (drafts and
  works an admin hid included; those appear on their own pages, not in public listings);
- an **admin** also sees works an admin hid and the creators of anonymous works, never
  other people's drafts;
- the **operator** (command line) lists every posted work.

Anonymous works are listed, but their creators are shown only to the creators and admins
(``creators_shown``), and a creator filter never matches them for anyone else
(``ListingRule.reveal_anonymous``). A work is anonymous when its creator chose so or while
it sits in an anonymous collection not yet revealed (``is_anonymous``, ``anonymous_q``).

A work in an unrevealed collection (AO3's "Mystery Work") is, until the collection's
maintainers reveal it, seen by its creators, admins and the maintainers (owners and
moderators) of that collection only: everyone else gets the answer for a missing work, and
no listing holds it (``ListingRule.drop_unrevealed``). The maintainers open it by address
(``visible_q``, ``may_read``); it stays out of their listings too. Which works a viewer
maintains is told by the collections app through ``unrevealed_readers_register``.

``ListingRule`` is the listing rule as data, so the SQL engine (``ListingRule.q()``) and
the bitmap engine (flags ``posted``, ``hidden``, ``restricted``) apply the same rule.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Q

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin, is_operator, is_user, is_wrangler
from ficarchive.tags.models import Tag, Tagging

if TYPE_CHECKING:
    from ficarchive.accounts.models import Pseud

    from .models import SerialWork, Series, Work


class Need(enum.Enum):
    """What the caller wants to do with one work."""

    READ = "read"  # see it (work page, download, API object)
    FEEDBACK = "feedback"  # kudos, comment, bookmark: posted and not hidden
    EDIT = "edit"  # change it: its creators only


@dataclass(frozen=True)
class ListingRule:
    """Which works a viewer's listings hold, as data both search engines apply.

    ``drop_hidden``: leave out works an admin hid; ``drop_restricted``: leave out works for
    registered users only; ``reveal_anonymous``: a creator filter may match anonymous works;
    ``drop_unrevealed``: leave out works in an unrevealed collection. Drafts are never
    listed."""

    drop_hidden: bool
    drop_restricted: bool
    reveal_anonymous: bool
    drop_unrevealed: bool = True

    def q(self) -> Q:
        """The rule as a filter on ``Work``."""
        q = Q(posted=True)
        if self.drop_hidden:
            q &= Q(hidden_by_admin=False)
        if self.drop_unrevealed:
            q &= Q(in_unrevealed_collection=False)
        if self.drop_restricted:
            q &= Q(restricted=False)
        return q


def listing_rule(viewer: Viewer) -> ListingRule:
    """The listing rule for a viewer (see the module docstring)."""
    if is_admin(viewer):
        return ListingRule(
            drop_hidden=False, drop_restricted=False, reveal_anonymous=True, drop_unrevealed=False
        )
    if is_user(viewer):
        return ListingRule(drop_hidden=True, drop_restricted=False, reveal_anonymous=False)
    return ListingRule(drop_hidden=True, drop_restricted=True, reveal_anonymous=False)


def is_anonymous(work: Work) -> bool:
    """Is the work's byline "Anonymous" for those who may not see its creators? When its
    creator chose so, or while it is in an anonymous collection (AO3)."""
    return bool(work.anonymous or work.in_anonymous_collection)


def is_unrevealed(work: Work) -> bool:
    """Is the work a "Mystery Work" (in an unrevealed collection, not yet revealed)?"""
    return bool(work.in_unrevealed_collection)


def anonymous_q(prefix: str = "") -> Q:
    """``is_anonymous`` as a filter on ``Work`` (or on a model reaching it via ``prefix``,
    e.g. ``"work__"``)."""
    return Q(**{f"{prefix}anonymous": True}) | Q(**{f"{prefix}in_anonymous_collection": True})


def listed_q(viewer: Viewer) -> Q:
    """Works that belong in public listings for this viewer (a ``Q`` on ``Work``)."""
    return listing_rule(viewer).q()


def listed_once_revealed_q(viewer: Viewer) -> Q:
    """Works the viewer's listings would hold were every collection revealed (a ``Q`` on
    ``Work``): what a collection may count for them, its "Mystery Works" included, and
    never a draft, a hidden work or, for guests, a restricted one (AO3 counts a mystery
    work, not a work the reader could not list anyway)."""
    return replace(listing_rule(viewer), drop_unrevealed=False).q()


def own_works_q(viewer: Viewer) -> Q:
    """The viewer's own works, drafts included (an empty filter for guests and the operator).

    A subquery, not a list: one query for the page, and no size limit on prolific authors."""
    from .models import Creatorship  # models imports querysets, which imports this module

    if not is_user(viewer):
        return Q(pk__in=[])
    return Q(
        pk__in=Creatorship.objects.filter(pseud__user_id=_account_id(viewer)).values("work_id")
    )


def _account_id(viewer: Viewer) -> int:
    """The id of a signed-in viewer's account (callers have checked ``is_user``)."""
    return int(viewer.pk)  # type: ignore[union-attr, arg-type]


# Sources of "works in an unrevealed collection this account maintains", as a ``Q`` on
# ``Work`` given the account id; filled by ``CollectionsConfig.ready`` (collections sits
# above works, so it registers rather than being imported).
UnrevealedReaders = Callable[[int], Q]
_unrevealed_readers: list[UnrevealedReaders] = []


def unrevealed_readers_register(fn: UnrevealedReaders) -> None:
    """Add a source of unrevealed works an account may read as their collection's
    maintainer (idempotent). ``fn(user_id)`` returns a ``Q`` on ``Work``."""
    if fn not in _unrevealed_readers:
        _unrevealed_readers.append(fn)


def maintained_unrevealed_q(viewer: Viewer) -> Q:
    """Works in an unrevealed collection the viewer maintains (AO3: a collection's owners
    and moderators read its works before the reveal); an empty filter for guests."""
    if not is_user(viewer) or not _unrevealed_readers:
        return Q(pk__in=[])
    q = Q(pk__in=[])
    for fn in _unrevealed_readers:
        q |= fn(_account_id(viewer))
    return q


def visible_q(viewer: Viewer) -> Q:
    """Works the viewer may open by address (a ``Q`` on ``Work``): what they may list, works
    an admin hid for admins, their own works (drafts and hidden ones included), and for the
    maintainers of an unrevealed collection its posted works (``maintained_unrevealed_q``),
    as they may list them otherwise."""
    rule = listing_rule(viewer)
    reachable = rule.q()
    if is_user(viewer):
        reachable |= own_works_q(viewer)
        if rule.drop_unrevealed and _unrevealed_readers:
            reachable |= replace(rule, drop_unrevealed=False).q() & maintained_unrevealed_q(viewer)
    return reachable


def may_read(viewer: Viewer, work: Work) -> bool:
    """``visible_q`` evaluated on a work already loaded (creatorships prefetched), for pages
    that hold the work and must not spend a query asking again."""
    if is_operator(viewer):
        return work.posted
    if is_creator(viewer, work):
        return True
    rule = listing_rule(viewer)
    if not (
        work.posted
        and not (rule.drop_hidden and work.hidden_by_admin)
        and not (rule.drop_restricted and work.restricted)
    ):
        return False
    if rule.drop_unrevealed and work.in_unrevealed_collection:
        return _maintains_unrevealed(viewer, work.pk)  # one query, for mystery works only
    return True


def _maintains_unrevealed(viewer: Viewer, work_id: int) -> bool:
    from .models import Work

    if not is_user(viewer) or not _unrevealed_readers:
        return False
    return Work.objects.filter(maintained_unrevealed_q(viewer), pk=work_id).exists()


def is_creator(viewer: Viewer, work: Work) -> bool:
    """True when the viewer's account holds one of the work's creatorships."""
    if not is_user(viewer):
        return False
    return any(c.pseud.user_id == viewer.pk for c in work.creatorships.all())  # type: ignore[union-attr]


def creators_shown(work: Work, viewer: Viewer) -> bool:
    """May the viewer learn who made this work? Always, unless it is anonymous; then only its
    creators and admins (AO3: "Anonymous" byline)."""
    if not is_anonymous(work):
        return True
    return is_admin(viewer) or is_creator(viewer, work)


def creators_of(work: Work, viewer: Viewer) -> list[Pseud] | None:
    """The work's creator pseuds in byline order when ``creators_shown``, else None (show
    "Anonymous"). Uses the prefetched creatorships."""
    if not creators_shown(work, viewer):
        return None
    return [c.pseud for c in work.creatorships.all()]


def creators_shown_q(viewer: Viewer) -> Q:
    """``creators_shown`` as a filter on ``Work``: works whose creators the viewer may learn
    (every work for admins; otherwise the named ones and the viewer's own)."""
    if is_admin(viewer):
        return Q()
    return ~anonymous_q() | own_works_q(viewer)


def credited_q(viewer: Viewer) -> Q:
    """Works someone else's pseud or user page may count or list as its creator's, for this
    viewer (a ``Q`` on ``Work``): listed for the viewer with creators shown. Anything more
    would tie the creator to an anonymous, draft or hidden work. (A creator's own pages
    show them all their posted works: ``works.selectors``.)"""
    return listed_q(viewer) & creators_shown_q(viewer)


def registered_only(viewer: Viewer, work_id: int | str) -> bool:
    """True when a guest may not open this work only because its creator restricted it to
    registered users: any signed-in reader could open it. AO3 then sends the guest to log
    in with "only available to registered users", and says nothing more about the work.
    False for signed-in viewers and for drafts, hidden, unrevealed or missing works (those
    keep the answer for a missing work)."""
    from .models import Work

    if is_user(viewer) or is_operator(viewer):
        return False
    try:
        pk = int(work_id)
    except (TypeError, ValueError):
        return False
    reader = ListingRule(drop_hidden=True, drop_restricted=False, reveal_anonymous=False)
    return Work.objects.filter(reader.q(), pk=pk, restricted=True).exists()


def mystery_only(viewer: Viewer, work_id: int | str) -> bool:
    """True when the viewer may not open this work only because it is a Mystery Work (in
    an unrevealed collection) they would otherwise list (``listed_once_revealed_q``): AO3
    then shows its "Mystery Work" notice, which names nothing of the work (no title,
    creators, tags or text). False for drafts, hidden works, restricted works for guests
    and missing works (those keep the answer for a missing work). Callers ask only after
    ``access_work`` refused, so creators, admins and maintainers read the work itself."""
    from .models import Work

    try:
        pk = int(work_id)
    except (TypeError, ValueError):
        return False
    return Work.objects.filter(
        listed_once_revealed_q(viewer), pk=pk, in_unrevealed_collection=True
    ).exists()


def may_edit(viewer: Viewer, work: Work) -> bool:
    """True when the viewer may change the work: its creators only (AO3: admins hide or
    delete works through their own tools, they do not edit them)."""
    return is_creator(viewer, work)


def access_work(viewer: Viewer, work_id: int | str | Work, *, need: Need = Need.READ) -> Work:
    """The work, if the viewer may do ``need`` with it, with its blurb data loaded.

    Raises ``NotFound`` when the viewer may not see it or it does not exist (the same answer
    for both, so nothing leaks), ``PermissionDenied`` when they may see it but not do
    ``need`` (a draft or a hidden work takes no feedback; only creators edit)."""
    from .models import Work  # models imports querysets, which imports this module

    if isinstance(work_id, Work):
        work_id = work_id.pk
    try:
        pk = int(work_id)
    except (TypeError, ValueError):
        raise NotFound("No such work.") from None
    work = Work.objects.filter(visible_q(viewer), pk=pk).with_blurb_data().first()
    if work is None:
        raise NotFound("No such work.")
    if need is Need.FEEDBACK:
        if not work.posted:
            raise NotFound("No such work.")
        if work.hidden_by_admin:
            raise PermissionDenied("This work has been hidden by an administrator.")
    elif need is Need.EDIT and not may_edit(viewer, work):
        raise PermissionDenied("Only the work's creators can do that.")
    return work


# Flags the work page reads with its work's row: ``{attribute name: factory}``, each factory
# giving an expression on ``Work`` (``works.pages.work_page_flag_register``).
PageFlags = Mapping[str, Callable[[], Any]]
_PAGE_SENTINEL = 9_876_543_210_125  # stands for the work id in the compiled statement


def access_work_page(viewer: Viewer, work_id: int | str, *, flags: PageFlags) -> Work:
    """``access_work(viewer, work_id)`` (``Need.READ``) for the work page: the same rule
    (``visible_q``), the same answers (``NotFound``) and the same blurb data, with each of
    ``flags`` (``{name: factory}``, each factory giving an expression on ``Work``) read
    with the work's row as its attribute ``name``, so that the page's parts need not ask
    again, and the series entries' query skipped when the row says the work is in no
    series. A guest's statement is compiled once per process (the guest's rule is fixed
    flags): compiling it through the ORM on every page cost more than running it."""
    from .models import Work
    from .page_reads import blurb_data_load

    try:
        pk = int(work_id)
    except (TypeError, ValueError):
        raise NotFound("No such work.") from None
    if is_user(viewer) or is_operator(viewer):
        work = _page_queryset(Work.objects.filter(visible_q(viewer), pk=pk), flags).first()
    else:
        alias = Work.objects.db
        sql, params = _guest_page_sql(alias, tuple(flags.items()))
        raw = Work.objects.db_manager(alias).raw(
            sql, [pk if p == _PAGE_SENTINEL else p for p in params]
        )
        work = next(iter(raw), None)
    if work is None:
        raise NotFound("No such work.")
    blurb_data_load(work, in_series=bool(work._page_in_series))
    return work


def _page_queryset(qs: Any, flags: PageFlags) -> Any:
    from .models import SerialWork

    in_series = Exists(SerialWork.objects.filter(work_id=OuterRef("pk")))
    named = {name: factory() for name, factory in flags.items()}
    return qs.annotate(_page_in_series=in_series, **named).order_by()


@lru_cache(maxsize=8)
def _guest_page_sql(
    alias: str, flags: tuple[tuple[str, Callable[[], Any]], ...]
) -> tuple[str, tuple]:
    """``access_work_page``'s statement for a guest, compiled once per database and set of
    flags, the work id a sentinel the caller replaces."""
    from .models import Work

    qs = _page_queryset(
        Work.objects.using(alias).filter(visible_q(None), pk=_PAGE_SENTINEL), dict(flags)
    )
    sql, params = qs.query.sql_with_params()
    if params.count(_PAGE_SENTINEL) != 1:
        raise RuntimeError("the guest's work page statement does not hold the work id once")
    return sql, tuple(params)


# --- Series ----------------------------------------------------------------------------
#
# A series is its works' creators' byline, so one anonymous work in it would name its
# creator through the other works. The rule (AO3 treats a series with an anonymous work as
# anonymous): such a series is anonymous to everyone but admins and the creators of its
# anonymous works; for those it names no creator on any entry, and a named work's page or
# blurb does not show that it belongs to the series.


def series_creators_shown(series: Series, viewer: Viewer) -> bool:
    """May the viewer learn who made this series (its page's and its API object's creators,
    each entry's byline)? Yes when it holds no anonymous work; otherwise only for admins and
    for a viewer who is a creator of every anonymous work in it. At most two queries."""
    from .models import Creatorship, Work

    if is_admin(viewer):
        return True
    anonymous = set(
        Work.objects.filter(anonymous_q(), serial_works__series=series).values_list("pk", flat=True)
    )
    if not anonymous:
        return True
    if not is_user(viewer):
        return False
    mine = Creatorship.objects.filter(work_id__in=anonymous, pseud__user_id=_account_id(viewer))
    return set(mine.values_list("work_id", flat=True)) == anonymous


def series_works_shown(series: Series, works: list[Work], viewer: Viewer) -> list[Work]:
    """The works of a series page (or API series object) the viewer may see listed together,
    from ``works`` (already narrowed to what the viewer may read). When the series holds an
    anonymous work and the viewer may not see its creators, only the anonymous works are
    listed: a named work beside them would tie its creator to them (its own page names
    them), so it is left out as its page leaves out the series."""
    if series_creators_shown(series, viewer):
        return works
    return [work for work in works if is_anonymous(work)]


def series_shown(work: Work, viewer: Viewer) -> list[SerialWork]:
    """The work's series memberships ("Part 2 of ...") the viewer may see: all of them,
    except that a named work does not show a series that holds an anonymous work (that would
    tie its creator to the anonymous work) unless the viewer is an admin or a creator of
    this work. Reads ``series_anonymous`` from the prefetched ``serial_works`` (annotated by
    ``SerialWork.objects``), so a listing spends no query per work."""
    memberships = list(work.serial_works.all())
    if is_anonymous(work) or is_admin(viewer) or is_creator(viewer, work):
        return memberships
    return [sw for sw in memberships if not in_anonymous_series(sw)]


def in_anonymous_series(entry: SerialWork) -> bool:
    """Does the series of this entry hold an anonymous work? Read from the annotation
    ``SerialWork.objects`` adds, or asked (one query) for an entry read otherwise."""
    flag = getattr(entry, "series_anonymous", None)
    if flag is None:  # an entry not read through SerialWork.objects (just created)
        from .models import Work

        flag = Work.objects.filter(anonymous_q(), serial_works__series_id=entry.series_id).exists()
    return bool(flag)


# --- Tags --------------------------------------------------------------------------------
#
# A tag's name is something its author typed: a tag seen only on works the viewer may not
# list (drafts, hidden works, restricted ones for guests) or only on private bookmarks must
# not show in autocomplete, on tag pages, in related tags or in catalogs, and the counts
# beside a tag count only works the viewer may list. Canonical tags are public: wranglers
# chose the name. Wranglers and admins see every tag, since they wrangle them.


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter on a model that reaches ``Work`` through ``prefix`` (e.g. "work__")."""
    out = Q()
    out.connector, out.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            out.children.append(_prefixed(child, prefix))
        else:  # a (lookup, value) pair
            lookup, value = child  # type: ignore[misc]
            out.children.append((prefix + lookup, value))
    return out


def tags_used_q(viewer: Viewer) -> Q:
    """Tags in use where the viewer may see them (a ``Q`` on ``Tag``): on a work the viewer
    may list, directly or through one of the tag's synonyms, or on a public bookmark of such
    a work. No exception for any role: catalogs list only tags with works behind them."""
    listed = listed_q(viewer)
    on_work = Tagging.objects.filter(_prefixed(listed, "work__"))
    bookmarked = Tag.bookmarks.through.objects.filter(  # the bookmark-tag link table
        _prefixed(listed, "bookmark__work__"), bookmark__private=False, tag_id=OuterRef("pk")
    )
    return (
        Q(Exists(on_work.filter(tag_id=OuterRef("pk"))))
        | Q(Exists(on_work.filter(tag__synonym_of_id=OuterRef("pk"))))
        | Q(Exists(bookmarked))
    )


def tags_listed_q(viewer: Viewer) -> Q:
    """Tags the viewer may see named (a ``Q`` on ``Tag``): every tag for wranglers and
    admins; otherwise canonical tags and ``tags_used_q``."""
    if is_wrangler(viewer):
        return Q()
    return Q(canonical=True) | tags_used_q(viewer)


def tag_use_counts(tag_ids: list[int], viewer: Viewer) -> dict[int, int]:
    """Direct uses of each tag on works the viewer may list (AO3's count beside a tag in
    autocomplete and tag lists), as ``{tag_id: uses}`` with 0 left out. One query."""
    rows = (
        Tagging.objects.filter(_prefixed(listed_q(viewer), "work__"), tag_id__in=tag_ids)
        .values("tag_id")
        .annotate(n=Count("work_id"))
        .order_by()
    )
    return {row["tag_id"]: row["n"] for row in rows}
