"""E-reader sync and whole-series downloads: the reader's OPDS shelves "Marked for Later",
"Subscriptions, updated" (works followed that changed since the reader last read them) and
"Continue reading" (each entry at the next unread chapter), authenticated as the rest
of the catalog (HTTP Basic with a password or a personal access token), and
/downloads/series/ID/SLUG.epub. Each shelf's ``updated`` is its newest work's revision
time, so posting a chapter to a work on it changes the feed an e-reader app polls."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from lxml import etree

from ficarchive.core.errors import NotFound
from ficarchive.notify.selectors import subscription_updates_for
from ficarchive.reading.selectors import history_for, later_for, next_unread_chapter
from ficarchive.works.models import Chapter
from ficarchive.works.selectors import series_get_for_viewer

from . import opds
from .series_download import series_epub, series_slug
from .views import _feed_response, _unauthorized, opds_view

# A shelf shows the reader's most recent entries; older ones are on the site's pages.
SHELF_SIZE = 200


def _shelf(
    request: HttpRequest, *, title: str, feed_id: str, ids: list[int], continue_at: dict
) -> HttpResponse:
    works = {w.pk: w for w in opds._works(request.user).filter(pk__in=ids)}
    shown = [works[i] for i in ids if i in works]
    updated = max((w.revised_at or w.updated_at for w in shown), default=None)
    feed = opds.Feed(
        feed_id=feed_id,
        title=title,
        self_href=request.get_full_path(),
        kind="acquisition",
        absolute=request.build_absolute_uri,
        updated=updated,
    )
    for work in shown:
        feed.work_entry(work)
        chapter = continue_at.get(work.pk)
        if chapter is not None:
            entry = feed.root[-1]
            link = etree.SubElement(entry, f"{{{opds.ATOM}}}link")
            link.set("rel", "related")
            link.set("type", "text/html")
            link.set("title", f"Continue reading at chapter {chapter.position}")
            link.set("href", request.build_absolute_uri(chapter.get_absolute_url()))
    return _feed_response(feed)


@opds_view
def opds_later(request: HttpRequest) -> HttpResponse:
    """Marked for Later, last marked first."""
    if not request.user.is_authenticated:
        return _unauthorized(_("Log in to see the works you marked for later."))
    readings = list(later_for(request.user)[:SHELF_SIZE])
    return _shelf(
        request,
        title=_("Marked for Later"),
        feed_id=f"urn:ficarchive:opds:later:{request.user.pk}",
        ids=[r.work_id for r in readings],
        continue_at={},
    )


@opds_view
def opds_subscriptions(request: HttpRequest) -> HttpResponse:
    """Subscriptions, updated: works the reader follows (directly, through a subscribed
    creator or series) that changed since they last read them, newest change first
    (``notify.selectors.subscription_updates_for``); each entry's ``updated`` is the work's
    revision time, so a new chapter moves it and the feed."""
    if not request.user.is_authenticated:
        return _unauthorized(_("Log in to see what changed in your subscriptions."))
    ids = list(subscription_updates_for(request.user).values_list("pk", flat=True)[:SHELF_SIZE])
    return _shelf(
        request,
        title=_("Subscriptions, updated"),
        feed_id=f"urn:ficarchive:opds:subscriptions:{request.user.pk}",
        ids=ids,
        continue_at={},
    )


@opds_view
def opds_continue(request: HttpRequest) -> HttpResponse:
    """Works the reader started and has not finished (a chapter after the last one read),
    last visited first, each with a link to that next chapter."""
    if not request.user.is_authenticated:
        return _unauthorized(_("Log in to continue reading."))
    readings = list(history_for(request.user)[:SHELF_SIZE])
    chapters: dict[int, list[Chapter]] = {}
    for chapter in (
        Chapter.objects.filter(work_id__in=[r.work_id for r in readings], posted=True)
        .order_by("work_id", "position", "id")
        .only("id", "work_id", "position")
    ):
        chapters.setdefault(chapter.work_id, []).append(chapter)
    continue_at = {}
    for reading in readings:
        found = next_unread_chapter(reading, chapters.get(reading.work_id, []))
        if found is not None:
            continue_at[reading.work_id] = found
    return _shelf(
        request,
        title=_("Continue reading"),
        feed_id=f"urn:ficarchive:opds:continue:{request.user.pk}",
        ids=[r.work_id for r in readings if r.work_id in continue_at],
        continue_at=continue_at,
    )


@require_safe
def series_download(request: HttpRequest, series_id: int, slug: str) -> HttpResponse:
    """/downloads/series/ID/SLUG.epub: every work of the series the reader may see."""
    try:
        series, works = series_get_for_viewer(series_id, request.user)
    except NotFound:
        raise Http404("No such series.") from None
    if slug != series_slug(series):
        return redirect("transfer:series_download", series.pk, series_slug(series))
    if not any(w.posted for w in works):
        raise Http404("No such series.")
    response = HttpResponse(series_epub(series, works), content_type=opds.FORMATS["epub"].mime)
    response["Content-Disposition"] = f'attachment; filename="{series_slug(series)}.epub"'
    response["Cache-Control"] = "private, no-cache"
    return response
