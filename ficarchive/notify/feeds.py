"""The private Atom feed of a reader's subscription updates (issue 13, e-reader sync):
its address holds a secret (``FeedToken``), so a feed reader needs no log-in; the reader
revokes it by renewing or turning it off. Entries are checked as the reader, like mail."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from ficarchive.accounts.models import User
from ficarchive.works.models import Work

from .mail import item_for
from .models import NotificationKind
from .selectors import notifications_for

FEED_ENTRIES = 50


def subscriptions_feed(request: HttpRequest, owner: User) -> HttpResponse:
    """The newest ``FEED_ENTRIES`` subscription updates ``owner`` may see, as Atom 1.0."""
    feed = Atom1Feed(
        title=_("%(site)s: subscriptions of %(name)s")
        % {"site": settings.SITE_NAME, "name": owner.username},
        link=settings.SITE_URL + f"/users/{owner.username}/subscriptions",
        description=_("New chapters, works and series parts you subscribed to."),
        feed_url=request.build_absolute_uri(),
        language="en",
    )
    cache: dict[int, Work | None] = {}
    notes = notifications_for(owner, kinds=(NotificationKind.SUBSCRIPTION,))[:FEED_ENTRIES]
    for n in notes:
        item = item_for(n, owner, cache)
        if item is None:
            continue
        feed.add_item(
            title=item.headline,
            link=item.url,
            description=item.excerpt,
            unique_id=f"tag:{request.get_host()},2026:notification/{n.pk}",
            updateddate=n.created_at,
            pubdate=n.created_at,
        )
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response
