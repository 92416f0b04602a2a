"""OPDS 1.2 catalog: Atom feeds an e-reader app browses, searches and downloads from.

Every feed reaches works through Work.objects.visible_to(viewer), so a guest never sees a
restricted work and an anonymous work's entry says "Anonymous"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import EmptyPage, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from ficarchive.core.viewers import Viewer, user_or_none
from ficarchive.discovery.plan import WithinTags, within_tag
from ficarchive.discovery.search import Result, search_works
from ficarchive.tags.models import Tag, tag_key, tag_name_from_url, tag_url_name
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works import access
from ficarchive.works.models import Work
from ficarchive.works.text import html_to_text

from .downloads import FORMATS
from .downloads.document import ANONYMOUS

ATOM = "http://www.w3.org/2005/Atom"
DC = "http://purl.org/dc/terms/"
OPDS = "http://opds-spec.org/2010/catalog"
OPENSEARCH = "http://a9.com/-/spec/opensearch/1.1/"
NSMAP = {None: ATOM, "dc": DC, "opds": OPDS, "opensearch": OPENSEARCH}

NAVIGATION = "application/atom+xml;profile=opds-catalog;kind=navigation"
ACQUISITION = "application/atom+xml;profile=opds-catalog;kind=acquisition"
OPENSEARCH_TYPE = "application/opensearchdescription+xml"
ACQUISITION_REL = "http://opds-spec.org/acquisition"
PAGE_SIZE = 25
# The formats an e-reader is offered (txt is for people, not reading apps).
OPDS_FORMATS = ["epub", "azw3", "mobi", "pdf", "html"]


# --- Reads ------------------------------------------------------------------------------


def _works(viewer: Viewer) -> QuerySet[Work]:
    return (
        Work.objects.listed_for(viewer)
        .prefetch_related("taggings__tag", "creatorships__pseud__user")
        .order_by("-revised_at", "-id")
    )


def opds_works_new(viewer: Viewer, page: str | None) -> Page:
    """One page of the works the viewer may list, newest update first: the site's listing
    (``search_works``, the one search plan), so a signed-in reader's mutes apply as on
    ``/works``."""
    return _listing_page(viewer, page)


def opds_tag_get(url_name: str, *, kind: str | None = None, viewer: Viewer = None) -> Tag | None:
    """The tag named in an OPDS address (AO3's escaping), canonical one if a synonym; None
    when the viewer may not see it named (``access.tags_listed_q``)."""
    tag = Tag.objects.filter(
        access.tags_listed_q(viewer), name_key=tag_key(tag_name_from_url(url_name))
    ).first()
    if tag is not None and tag.synonym_of_id:
        tag = tag.synonym_of
    if tag is not None and kind and tag.kind != kind:
        return None
    return tag


def opds_works_tagged(viewer: Viewer, tag: Tag, page: str | None) -> Page:
    """One page of the works under a tag, its synonyms and subtags included (the tag
    closure), newest update first, as the tag's works page lists them (mutes apply)."""
    return _listing_page(viewer, page, within=within_tag(tag))


def _listing_page(viewer: Viewer, page: str | None, *, within: WithinTags | None = None) -> Page:
    """One ``PAGE_SIZE`` page of ``search_works`` sorted by date updated; an empty page past
    the end or past ``MAX_PAGE``."""
    number = _page_number(page)
    if number > MAX_PAGE:
        return Page([], number, False, True, 0)
    params = {"sort": "updated", "page": number}
    result = search_works(
        viewer, params, within=within, page_size=PAGE_SIZE, facets=False, snippets=False
    )
    if result.page != number:
        return Page([], number, False, number > 1, result.total)
    return _page_of(result, number)


def _page_of(result: Result, number: int) -> Page:
    """The OPDS page of a ``search_works`` result that found page ``number``."""
    return Page(
        result.works,
        number,
        result.next_page is not None,
        result.previous_page is not None,
        result.total,
    )


def opds_works_search(viewer: Viewer, query: str, page: str | None) -> Page:
    """One page of the works the site's search finds for the query (its query language:
    words are matched against title, creators, tags, summary and text, best match first);
    an empty page for a query that cannot be read or a page
    past the end. Mutes apply for a signed-in reader, as on the site."""
    number = _page_number(page)
    if number > MAX_PAGE:
        return Page([], number, False, True, 0)
    params = {"q": query, "page": number}
    result = search_works(viewer, params, page_size=PAGE_SIZE, facets=False, snippets=False)
    if result.query_error or result.page != number:
        return Page([], number, False, number > 1, result.total)
    return _page_of(result, number)


def opds_works_bookmarked(viewer: Viewer) -> QuerySet[Work]:
    """The viewer's bookmarked works that they may still see, newest bookmark first (none
    for a guest or the operator, who keep no bookmarks)."""
    from ficarchive.feedback.models import Bookmark

    account = user_or_none(viewer)
    if account is None:
        return _works(viewer).none()
    ids = (
        Bookmark.objects.filter(user_id=account.pk)
        .order_by("-created_at")
        .values_list("work_id", flat=True)
    )
    return _works(viewer).filter(pk__in=list(ids))


def opds_tags_listed(viewer: Viewer, *, kinds: Sequence[str]) -> QuerySet[Tag]:
    """Tags of these kinds with a work behind them that the viewer may list
    (``access.tags_used_q``), synonyms left out (their canonical tag stands for them), most
    used first."""
    return (
        # uses > 0 first: a cheap indexed cut before the per-tag rule
        Tag.objects.filter(kind__in=kinds, uses__gt=0, synonym_of__isnull=True)
        .filter(access.tags_used_q(viewer))
        .order_by("-uses", "name")
    )


# --- Feeds ------------------------------------------------------------------------------


@dataclass
class Page:
    items: list
    number: int
    has_next: bool
    has_previous: bool
    total: int


# Deeper pages are refused as past the end: an offset stays bounded (AO3 stops at 5,000).
MAX_PAGE = 5000


def _page_number(page: str | None) -> int:
    try:
        return min(MAX_PAGE + 1, max(1, int(page or 1)))
    except ValueError:
        return 1


def paginate(qs: QuerySet, page: str | None, *, size: int | None = None) -> Page:
    paginator = Paginator(qs, size or PAGE_SIZE)
    number = _page_number(page)
    try:
        current = paginator.page(number)
    except EmptyPage:
        return Page([], number, False, number > 1, paginator.count)
    return Page(
        list(current.object_list),
        number,
        current.has_next(),
        current.has_previous(),
        paginator.count,
    )


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    el = etree.SubElement(parent, tag, {k.rstrip("_"): v for k, v in attrs.items()})
    if text is not None:
        el.text = text
    return el


def _iso(value: dt.datetime | None) -> str:
    return (value or timezone.now()).astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class Feed:
    """An OPDS feed under construction; `absolute` turns a path into a full address."""

    def __init__(
        self,
        *,
        feed_id: str,
        title: str,
        self_href: str,
        kind: str,
        absolute: Callable[[str], str],
        updated: dt.datetime | None = None,
    ) -> None:
        self.absolute = absolute
        self.kind = kind
        self.root = etree.Element(f"{{{ATOM}}}feed", nsmap=NSMAP)
        _sub(self.root, "id", feed_id)
        _sub(self.root, "title", title)
        _sub(self.root, "updated", _iso(updated))
        author = _sub(self.root, "author")
        _sub(author, "name", settings.SITE_NAME)
        _sub(author, "uri", settings.SITE_URL + "/")
        self.link("self", self_href, NAVIGATION if kind == "navigation" else ACQUISITION)
        self.link("start", reverse("transfer:opds_root"), NAVIGATION)
        self.link("up", reverse("transfer:opds_root"), NAVIGATION)
        self.link("search", reverse("transfer:opds_opensearch"), OPENSEARCH_TYPE, title=_("Search"))
        # Several e-reader apps (KOReader, Moon+ Reader...) only read an Atom search
        # template, not the OpenSearch description: offer both (OPDS 1.2, section 9).
        _sub(
            self.root,
            "link",
            rel="search",
            href=self.absolute(reverse("transfer:opds_search")) + "?q={searchTerms}",
            type=ACQUISITION,
            title=_("Search"),
        )

    def link(self, rel: str, href: str, type_: str, **extra: str) -> None:
        _sub(self.root, "link", rel=rel, href=self.absolute(href), type=type_, **extra)

    def paging(self, page: Page, path: str, query: dict[str, str] | None = None) -> None:
        from urllib.parse import urlencode

        def href(number: int) -> str:
            params = dict(query or {})
            if number > 1:
                params["page"] = str(number)
            return path + ("?" + urlencode(params) if params else "")

        mime = NAVIGATION if self.kind == "navigation" else ACQUISITION
        self.link("first", href(1), mime)
        if page.has_previous:
            self.link("previous", href(page.number - 1), mime)
        if page.has_next:
            self.link("next", href(page.number + 1), mime)
        _sub(self.root, f"{{{OPENSEARCH}}}totalResults", str(page.total))
        _sub(self.root, f"{{{OPENSEARCH}}}itemsPerPage", str(PAGE_SIZE))
        _sub(self.root, f"{{{OPENSEARCH}}}startIndex", str((page.number - 1) * PAGE_SIZE + 1))

    def navigation_entry(
        self,
        *,
        entry_id: str,
        title: str,
        href: str,
        content: str,
        kind: str,
        rel: str = "subsection",
        updated: dt.datetime | None = None,
    ) -> None:
        entry = _sub(self.root, "entry")
        _sub(entry, "title", title)
        _sub(entry, "id", entry_id)
        _sub(entry, "updated", _iso(updated))
        _sub(entry, "content", content, type="text")
        _sub(
            entry,
            "link",
            rel=rel,
            href=self.absolute(href),
            type=NAVIGATION if kind == "navigation" else ACQUISITION,
        )

    def work_entry(self, work: Work) -> None:
        """One acquisition entry. Creators as a guest sees them (``access.creators_of`` for
        no viewer): catalogs are fetched by reading apps and shared like links, so an
        anonymous work is "Anonymous" in them for everyone, its creators included."""
        entry = _sub(self.root, "entry")
        _sub(entry, "title", work.title)
        _sub(entry, "id", settings.SITE_URL + work.get_absolute_url())
        _sub(entry, "updated", _iso(work.revised_at or work.updated_at))
        if work.published_at:
            _sub(entry, "published", _iso(work.published_at))
        pseuds = access.creators_of(work, None)
        if not pseuds:
            _sub(_sub(entry, "author"), "name", ANONYMOUS)
        for pseud in pseuds or []:
            author = _sub(entry, "author")
            _sub(author, "name", pseud.display_name)
            _sub(author, "uri", self.absolute(pseud.get_absolute_url()))
        _sub(entry, f"{{{DC}}}language", work.language or "en")
        if work.published_at:
            _sub(entry, f"{{{DC}}}issued", work.published_at.date().isoformat())
        for tagging in work.taggings.all():
            tag = tagging.tag
            _sub(
                entry,
                "category",
                term=tag.name,
                label=tag.name,
                scheme=self.absolute(f"/tags/kinds/{tag.kind}"),
            )
        summary = html_to_text(work.summary) if work.summary else ""
        if summary:
            _sub(entry, "summary", summary, type="text")
        stats = (
            f"{work.rating} · {', '.join(t.name for t in work.fandoms)} · "
            f"{work.word_count:,} words · {work.chapters_display} chapters"
        )
        _sub(entry, "content", (summary + "\n\n" + stats).strip(), type="text")
        _sub(
            entry,
            "link",
            rel="alternate",
            href=self.absolute(work.get_absolute_url()),
            type="text/html",
            title=_("Read on the site"),
        )
        for ext in OPDS_FORMATS:
            fmt = FORMATS[ext]
            _sub(
                entry,
                "link",
                rel=ACQUISITION_REL,
                href=self.absolute(reverse("transfer:download", args=[work.pk, work.slug, ext])),
                type=fmt.mime,
                title=fmt.label,
            )

    def to_bytes(self) -> bytes:
        return etree.tostring(self.root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def opensearch_description(*, absolute: Callable[[str], str]) -> bytes:
    """The OpenSearch description document pointing at the OPDS search feed."""
    root = etree.Element(f"{{{OPENSEARCH}}}OpenSearchDescription", nsmap={None: OPENSEARCH})
    _sub(root, f"{{{OPENSEARCH}}}ShortName", settings.SITE_NAME[:16])
    _sub(root, f"{{{OPENSEARCH}}}Description", f"Search the works of {settings.SITE_NAME}")
    _sub(root, f"{{{OPENSEARCH}}}InputEncoding", "UTF-8")
    _sub(root, f"{{{OPENSEARCH}}}OutputEncoding", "UTF-8")
    _sub(
        root,
        f"{{{OPENSEARCH}}}Url",
        type=ACQUISITION,
        template=absolute(reverse("transfer:opds_search")) + "?q={searchTerms}&page={startPage?}",
    )
    _sub(
        root,
        f"{{{OPENSEARCH}}}Url",
        type="application/atom+xml",
        template=absolute(reverse("transfer:opds_search")) + "?q={searchTerms}",
    )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def tag_path(route: str, tag: Tag) -> str:
    return reverse(route, args=[tag_url_name(tag.name)])


FANDOM_KINDS = [TagKind.FANDOM]
BROWSE_TAG_KINDS = [TagKind.RELATIONSHIP, TagKind.CHARACTER, TagKind.FREEFORM]
