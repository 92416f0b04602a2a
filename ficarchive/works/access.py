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
(``ListingRule.reveal_anonymous``).

``ListingRule`` is the listing rule as data, so the SQL engine (``ListingRule.q()``) and
the bitmap engine (flags ``posted``, ``hidden``, ``restricted``) apply the same rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import Viewer, is_admin, is_operator, is_user

if TYPE_CHECKING:
    from .models import Work


class Need(enum.Enum):
    """What the caller wants to do with one work."""

    READ = "read"  # see it (work page, download, API object)
    FEEDBACK = "feedback"  # kudos, comment, bookmark: posted and not hidden
    EDIT = "edit"  # change it: its creators only


@dataclass(frozen=True)
class ListingRule:
    """Which works a viewer's listings hold, as data both search engines apply.

    ``drop_hidden``: leave out works an admin hid; ``drop_restricted``: leave out works for
    registered users only; ``reveal_anonymous``: a creator filter may match anonymous works.
    Drafts are never listed."""

    drop_hidden: bool
    drop_restricted: bool
    reveal_anonymous: bool

    def q(self) -> Q:
        """The rule as a filter on ``Work``."""
        q = Q(posted=True)
        if self.drop_hidden:
            q &= Q(hidden_by_admin=False)
        if self.drop_restricted:
            q &= Q(restricted=False)
        return q


def listing_rule(viewer: Viewer) -> ListingRule:
    """The listing rule for a viewer (see the module docstring)."""
    if is_admin(viewer):
        return ListingRule(drop_hidden=False, drop_restricted=False, reveal_anonymous=True)
    if is_user(viewer):
        return ListingRule(drop_hidden=True, drop_restricted=False, reveal_anonymous=False)
    return ListingRule(drop_hidden=True, drop_restricted=True, reveal_anonymous=False)


def listed_q(viewer: Viewer) -> Q:
    """Works that belong in public listings for this viewer (a ``Q`` on ``Work``)."""
    return listing_rule(viewer).q()


def own_works_q(viewer: Viewer) -> Q:
    """The viewer's own works, drafts included (an empty filter for guests and the operator).

    A subquery, not a list: one query for the page, and no size limit on prolific authors."""
    from .models import Creatorship  # models imports querysets, which imports this module

    if not is_user(viewer):
        return Q(pk__in=[])
    return Q(pk__in=Creatorship.objects.filter(pseud__user=viewer).values("work_id"))


def visible_q(viewer: Viewer) -> Q:
    """Works the viewer may open by address (a ``Q`` on ``Work``): what they may list, works
    an admin hid for admins, and their own works (drafts and hidden ones included)."""
    if is_operator(viewer):
        return Q(posted=True)
    rule = listing_rule(viewer)
    reachable = Q(posted=True)
    if rule.drop_hidden:
        reachable &= Q(hidden_by_admin=False)
    if rule.drop_restricted:
        reachable &= Q(restricted=False)
    if is_user(viewer):
        reachable |= own_works_q(viewer)
    return reachable


def is_creator(viewer: Viewer, work: Work) -> bool:
    """True when the viewer's account holds one of the work's creatorships."""
    if not is_user(viewer):
        return False
    return any(c.pseud.user_id == viewer.pk for c in work.creatorships.all())  # type: ignore[union-attr]


def creators_shown(work: Work, viewer: Viewer) -> bool:
    """May the viewer learn who made this work? Always, unless it is anonymous; then only its
    creators and admins (AO3: "Anonymous" byline)."""
    if not work.anonymous:
        return True
    return is_admin(viewer) or is_creator(viewer, work)


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
