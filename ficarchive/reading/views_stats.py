"""The author statistics page (AO3's /users/NAME/stats): the author's own, or an admin's
look; anyone else gets a 404, as for other private pages."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ficarchive.accounts.selectors import user_get
from ficarchive.core.errors import NotFound
from ficarchive.core.viewers import is_admin, user_or_none

from .chart import stats_svg
from .stats import FIGURES, author_stats

# The figures' names as the page shows them (the keys stay English: the API's JSON keys).
FIGURE_LABELS = {
    "hits": gettext_lazy("Hits"),
    "kudos": gettext_lazy("Kudos"),
    "comments": gettext_lazy("Comments"),
    "bookmarks": gettext_lazy("Bookmarks"),
    "subscribers": gettext_lazy("Subscribers"),
    "words": gettext_lazy("Words"),
}


def parse_year(raw: str | None) -> int | None:
    """``?year=`` as a year (None for all years, or for anything that is not one)."""
    if raw and raw.isdigit() and 1900 <= int(raw) <= 9999:
        return int(raw)
    return None


def stats_owner(request: HttpRequest, username: str):  # type: ignore[no-untyped-def]
    """The author whose stats the viewer may see: themself, or anyone for an admin."""
    try:
        owner = user_get(username)
    except NotFound:
        raise Http404("No such user.") from None
    viewer = user_or_none(request.user)
    if viewer is None or (viewer.pk != owner.pk and not is_admin(request.user)):
        raise Http404("No such page.")
    return owner


def stats(request: HttpRequest, username: str) -> HttpResponse:
    owner = stats_owner(request, username)
    year = parse_year(request.GET.get("year"))
    data = author_stats(owner, year)
    title = (
        _("Hits, kudos, comments and bookmarks in %(year)s") % {"year": year}
        if year
        else _("Hits, kudos, comments and bookmarks by year")
    )
    return render(
        request,
        "reading/stats.html",
        {
            "owner": owner,
            "stats": data,
            "figures": [(name, FIGURE_LABELS[name]) for name in FIGURES],
            "totals": [(name, FIGURE_LABELS[name], data.totals[name]) for name in FIGURES],
            "chart": stats_svg(data.series, title, FIGURE_LABELS),
            "chart_title": title,
        },
    )
