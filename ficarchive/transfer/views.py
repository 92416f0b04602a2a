"""Downloads and the OPDS catalog. Views parse, ask one selector, and answer."""

from __future__ import annotations

import base64
import binascii
import logging
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth import authenticate
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from ficarchive.accounts.tokens import TOKEN_PREFIX, token_lookup
from ficarchive.core import ratelimit
from ficarchive.core.errors import NotFound
from ficarchive.works.selectors import work_get_for_viewer

from . import opds
from .downloads import FORMATS, ConversionError, download_disposition
from .downloads.delivery import DownloadState, download_for_reader

BUILD_RETRY_SECONDS = 5
log = logging.getLogger(__name__)
# What accounts.tokens.token_create makes: the prefix and 43 URL-safe characters.
TOKEN_SHAPE = re.compile(re.escape(TOKEN_PREFIX) + r"[A-Za-z0-9_-]{43}")


def reader_error(raw: str, label: str) -> str:
    """A failed build's reason in plain words for readers, one of a few (the raw text, such
    as Calibre's output, goes to the log, never to the page): the format cannot be made on
    this server, the build took too long, or it failed for another reason."""
    lowered = raw.lower()
    if "not installed" in lowered or "does not make" in lowered:
        return _("This archive can't make %(format)s downloads. Please choose another format.") % {
            "format": label
        }
    if "took longer" in lowered or "timed out" in lowered or "timeout" in lowered:
        return _(
            "Making the %(format)s took too long. Please try again later or choose another format."
        ) % {"format": label}
    return _(
        "Something went wrong while making the %(format)s. Please try again later or choose "
        "another format."
    ) % {"format": label}


@require_safe
def download(request: HttpRequest, work_id: str, slug: str, ext: str) -> HttpResponseBase:
    """/downloads/ID/SLUG.EXT: the work as a file, or a page saying it is being built."""
    fmt = FORMATS.get(ext)
    if fmt is None:
        raise Http404("No such download format.")
    try:
        work = work_get_for_viewer(work_id, request.user)
    except NotFound:
        raise Http404("No such work.")
    if slug != work.slug:
        return redirect("transfer:download", work.pk, work.slug, ext)
    try:
        state = download_for_reader(work, ext, request)
    except ConversionError as exc:  # a quick format built in this request failed
        state = DownloadState(error=str(exc))
    if state.retry_after:
        return ratelimit.too_many(request, state.retry_after)
    if state.path is not None:
        response = FileResponse(
            state.path.open("rb"),
            as_attachment=True,
            filename=state.path.name,
            content_type=fmt.mime,
        )
        response["Content-Disposition"] = download_disposition(work, ext)
        response["Cache-Control"] = "private, no-cache"
        return response
    context = {
        "work": work,
        "format": fmt,
        "retry_seconds": BUILD_RETRY_SECONDS,
        "error": reader_error(state.error, fmt.label) if state.error else "",
        "download_url": request.path,
    }
    if state.error:
        # The builder's own words (Calibre's last line, a timeout) are for the operator.
        log.warning("download %s of work %s failed: %s", ext, work.pk, state.error)
    if state.error:
        return render(request, "transfer/download_failed.html", context, status=503)
    building = render(request, "transfer/download_building.html", context, status=202)
    building["Retry-After"] = str(BUILD_RETRY_SECONDS)
    building["Cache-Control"] = "no-store"
    return building


# --- OPDS -------------------------------------------------------------------------------


def _unauthorized(message: str | None = None) -> HttpResponse:
    message = message or _("Log in to see this catalog.")
    response = HttpResponse(message + "\n", status=401, content_type="text/plain; charset=utf-8")
    response["WWW-Authenticate"] = 'Basic realm="OPDS", charset="UTF-8"'
    return response


def _basic_credentials(header: str) -> tuple[str, str] | None:
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic" or not value:
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return None
    username, sep, password = decoded.partition(":")
    return (username, password) if sep else None


def _token_user(raw: str) -> Any:
    """The user of a personal access token (read scope is enough)."""
    token = token_lookup(raw)
    return token.user if token is not None else None


def _header_user(request: HttpRequest, header: str) -> Any:
    """Basic with a password, Basic with an API token as the password (for apps that only
    know Basic), or Bearer with an API token."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return _token_user(value.strip())
    credentials = _basic_credentials(header)
    if credentials is None:
        return None
    username, password = credentials
    # Something shaped like a token is only ever a token: an e-reader syncing with its
    # token (or a revoked one, after a password change) must never count as a failed
    # password against the account's lock-out.
    if TOKEN_SHAPE.fullmatch(password):
        token_user = _token_user(password)
        if token_user is not None and token_user.username == username:
            return token_user
        return None
    return authenticate(request, username=username, password=password)


def opds_view(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """E-reader apps log in with HTTP Basic on every request (no session): a valid
    Authorization header makes that request the user's; a wrong one gets 401."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return HttpResponse(status=405, headers={"Allow": "GET, HEAD"})
        header = request.META.get("HTTP_AUTHORIZATION", "")
        if header:
            user = _header_user(request, header)
            if user is None or not user.is_active:
                return _unauthorized(_("Wrong user name, password or token."))
            request.user = user
        return view(request, *args, **kwargs)

    return wrapper


def _feed_response(feed: opds.Feed) -> HttpResponse:
    mime = opds.NAVIGATION if feed.kind == "navigation" else opds.ACQUISITION
    response = HttpResponse(feed.to_bytes(), content_type=mime + ";charset=utf-8")
    response["Vary"] = "Authorization, Cookie"
    return response


def _feed(request: HttpRequest, *, title: str, kind: str, feed_id: str) -> opds.Feed:
    return opds.Feed(
        feed_id=feed_id,
        title=title,
        self_href=request.get_full_path(),
        kind=kind,
        absolute=request.build_absolute_uri,
    )


def _acquisition(
    request: HttpRequest,
    *,
    title: str,
    feed_id: str,
    works=None,
    query=None,
    page: opds.Page | None = None,
) -> HttpResponse:
    if page is None:
        page = opds.paginate(works, request.GET.get("page"))
    feed = _feed(request, title=title, kind="acquisition", feed_id=feed_id)
    feed.paging(page, request.path, query)
    for work in page.items:
        feed.work_entry(work)
    return _feed_response(feed)


@opds_view
def opds_root(request: HttpRequest) -> HttpResponse:
    """The catalog's start: newest works, fandoms, tags, search, and bookmarks when logged in.
    `?auth=1` asks a guest to log in (401), for apps that only log in when challenged."""
    if request.GET.get("auth") and not request.user.is_authenticated:
        return _unauthorized()
    feed = _feed(
        request,
        title=_("%(site)s catalog") % {"site": opds.settings.SITE_NAME},
        kind="navigation",
        feed_id="urn:ficarchive:opds",
    )
    feed.navigation_entry(
        entry_id="urn:ficarchive:opds:new",
        title=_("New works"),
        href=reverse("transfer:opds_new"),
        kind="acquisition",
        rel="http://opds-spec.org/sort/new",
        content=_("The most recently updated works."),
    )
    feed.navigation_entry(
        entry_id="urn:ficarchive:opds:fandoms",
        title=_("Fandoms"),
        href=reverse("transfer:opds_fandoms"),
        kind="navigation",
        content=_("Works by fandom."),
    )
    feed.navigation_entry(
        entry_id="urn:ficarchive:opds:tags",
        title=_("Tags"),
        href=reverse("transfer:opds_tags"),
        kind="navigation",
        content=_("Works by relationship, character and additional tags."),
    )
    if request.user.is_authenticated:
        feed.navigation_entry(
            entry_id="urn:ficarchive:opds:bookmarks",
            title=_("My bookmarks"),
            href=reverse("transfer:opds_bookmarks"),
            kind="acquisition",
            content=_("Works %(name)s bookmarked.") % {"name": request.user.username},
        )
        feed.navigation_entry(
            entry_id="urn:ficarchive:opds:later",
            title=_("Marked for Later"),
            href=reverse("transfer:opds_later"),
            kind="acquisition",
            content=_("Works you marked for later."),
        )
        feed.navigation_entry(
            entry_id="urn:ficarchive:opds:subscriptions",
            title=_("Subscriptions, updated"),
            href=reverse("transfer:opds_subscriptions"),
            kind="acquisition",
            content=_("Works you subscribed to that changed since you last read them."),
        )
        feed.navigation_entry(
            entry_id="urn:ficarchive:opds:continue",
            title=_("Continue reading"),
            href=reverse("transfer:opds_continue"),
            kind="acquisition",
            content=_("Works you started, at the next chapter you have not read."),
        )
    else:
        feed.navigation_entry(
            entry_id="urn:ficarchive:opds:login",
            title=_("Log in"),
            href=reverse("transfer:opds_root") + "?auth=1",
            kind="navigation",
            content=_("Log in to see restricted works and your bookmarks."),
        )
    return _feed_response(feed)


@opds_view
def opds_new(request: HttpRequest) -> HttpResponse:
    return _acquisition(
        request,
        title=_("New works"),
        feed_id="urn:ficarchive:opds:new",
        page=opds.opds_works_new(request.user, request.GET.get("page")),
    )


def _tag_navigation(
    request: HttpRequest, *, title: str, feed_id: str, kinds, route: str
) -> HttpResponse:
    page = opds.paginate(opds.opds_tags_listed(request.user, kinds=kinds), request.GET.get("page"))
    feed = _feed(request, title=title, kind="navigation", feed_id=feed_id)
    feed.paging(page, request.path)
    for tag in page.items:
        feed.navigation_entry(
            entry_id=f"urn:ficarchive:tag:{tag.pk}",
            title=tag.name,
            href=opds.tag_path(route, tag),
            kind="acquisition",
            content=f"{tag.get_kind_display()}: {tag.name}",
            updated=tag.updated_at,
        )
    return _feed_response(feed)


@opds_view
def opds_fandoms(request: HttpRequest) -> HttpResponse:
    return _tag_navigation(
        request,
        title=_("Fandoms"),
        feed_id="urn:ficarchive:opds:fandoms",
        kinds=opds.FANDOM_KINDS,
        route="transfer:opds_fandom",
    )


@opds_view
def opds_tags(request: HttpRequest) -> HttpResponse:
    return _tag_navigation(
        request,
        title=_("Tags"),
        feed_id="urn:ficarchive:opds:tags",
        kinds=opds.BROWSE_TAG_KINDS,
        route="transfer:opds_tag",
    )


def _tag_works(request: HttpRequest, name: str, *, kind: str | None) -> HttpResponse:
    tag = opds.opds_tag_get(name, kind=kind, viewer=request.user)
    if tag is None:
        raise Http404("No such tag.")
    return _acquisition(
        request,
        title=tag.name,
        feed_id=f"urn:ficarchive:opds:tag:{tag.pk}",
        page=opds.opds_works_tagged(request.user, tag, request.GET.get("page")),
    )


@opds_view
def opds_fandom(request: HttpRequest, name: str) -> HttpResponse:
    return _tag_works(request, name, kind=opds.TagKind.FANDOM)


@opds_view
def opds_tag(request: HttpRequest, name: str) -> HttpResponse:
    return _tag_works(request, name, kind=None)


@opds_view
def opds_search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())[:200]
    if query:
        # The search plan is the site's most expensive read: the same per-account and
        # per-address limit as the site's other doors (scope "search").
        refused = ratelimit.check_request(request, "search")
        if refused is not None:
            return refused
        page = opds.opds_works_search(request.user, query, request.GET.get("page"))
    else:
        page = opds.Page([], 1, False, False, 0)
    return _acquisition(
        request,
        title=_("Search: %(query)s") % {"query": query},
        feed_id=f"urn:ficarchive:opds:search:{query}",
        page=page,
        query={"q": query},
    )


@opds_view
def opds_opensearch(request: HttpRequest) -> HttpResponse:
    return HttpResponse(
        opds.opensearch_description(absolute=request.build_absolute_uri),
        content_type=opds.OPENSEARCH_TYPE + ";charset=utf-8",
    )


@opds_view
def opds_bookmarks(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _unauthorized(_("Log in to see your bookmarks."))
    return _acquisition(
        request,
        title=_("My bookmarks"),
        feed_id=f"urn:ficarchive:opds:bookmarks:{request.user.pk}",
        works=opds.opds_works_bookmarked(request.user),
    )
