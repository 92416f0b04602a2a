"""Tag pages, works under a tag and its Atom feed, autocomplete, and the wrangling tools."""

from __future__ import annotations

import hashlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.syndication.views import Feed
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from ficarchive.core import errors
from ficarchive.core.viewers import Viewer
from ficarchive.discovery.cache import facets_cached, generation, guest_page_cache
from ficarchive.works import access
from ficarchive.works.models import Work
from ficarchive.works.tag_selectors import (
    tag_autocomplete_for,
    tag_detail_for,
    tag_get_for_viewer,
    tags_cloud_for,
    works_under_tag,
)

from . import selectors, services
from .models import Tag, tag_url_name
from .vocabulary import FREE_KINDS, TagKind

WORKS_PER_PAGE = 20
FEED_ITEMS = 20


def _canonical_redirect(tag: Tag, route: str) -> HttpResponse | None:
    """A synonym's works and feed are its canonical tag's: send the reader there."""
    if tag.synonym_of_id:
        return redirect(route, tag_url_name(tag.synonym_of.name))
    return None


INDEX_KINDS = [k.value for k in FREE_KINDS]
SEARCH_LIMIT = 50


def _cloud(viewer: Viewer, kind: str) -> list[dict[str, Any]]:
    """``tags_cloud_for``, cached per generation, wrangling stamp, listing rule and kind:
    the counts are a grouped count over the most used tags' works, the same for every
    viewer with the same listing rule (``works.access.listing_rule``), and any write that
    changes them starts a new generation."""
    gen = generation()
    key = ""
    if gen is not None:
        parts = f"{gen}|{selectors.wrangling_stamp()}|{access.listing_rule(viewer)}|{kind}"
        key = "tags:cloud:" + hashlib.sha256(parts.encode()).hexdigest()[:40]
    return facets_cached(key, lambda: tags_cloud_for(viewer, kind=kind or None))


@require_GET
@guest_page_cache
def tag_index(request: HttpRequest) -> HttpResponse:
    """AO3's ``/tags``: a cloud of the popular tags (``?kind=`` one kind), sized by the
    works the reader may list, and a search of tags by name (``?name=``)."""
    kind = request.GET.get("kind") or ""
    if kind not in INDEX_KINDS:
        kind = ""
    term = (request.GET.get("name") or "").strip()[:150]
    results = None
    if term:
        results = tag_autocomplete_for(
            request.user, term=term, kind=kind or None, limit=SEARCH_LIMIT
        )
        for row in results:
            row["url"] = reverse("tags:show", args=[tag_url_name(row["name"])])
            row["kind_label"] = TagKind(row["kind"]).label
    context = {
        "kind": kind,
        "kinds": [(k.value, k.label) for k in FREE_KINDS],
        "term": term,
        "results": results,
        "cloud": [] if term else _cloud(request.user, kind),
    }
    return render(request, "tags/index.html", context)


@require_GET
def tag_show(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_get_for_viewer(name, request.user)
    context = tag_detail_for(tag, request.user)
    context["can_wrangle"] = services.can_wrangle(request.user)
    return render(request, "tags/show.html", context)


@require_GET
@guest_page_cache
def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_get_for_viewer(name, request.user)
    if response := _canonical_redirect(tag, "tags:works"):
        return response
    from ficarchive.discovery.plan import within_tag
    from ficarchive.discovery.search import search_works
    from ficarchive.discovery.views import filter_context

    result = search_works(
        request.user,
        request.GET,
        within=within_tag(tag),
        page_size=WORKS_PER_PAGE,
        cached_blurbs=True,  # the page shows its works only as blurbs (_results.html)
    )
    context = filter_context(request, result, action=request.path)
    # Each address once (the template shows both twice; a reverse is not free).
    context.update(
        tag=tag,
        tag_url=tag.get_tag_url(),
        feed_url=reverse("tags:feed", args=[tag.url_name]),
    )
    return render(request, "tags/works.html", context)


class TagWorksFeed(Feed):
    """The newest works under a tag (closure), as a guest sees them: restricted works left
    out, anonymous creators shown as "Anonymous"."""

    feed_type = Atom1Feed

    def get_object(self, request: HttpRequest, name: str) -> Tag:
        tag = tag_get_for_viewer(name, None)  # the feed is the same for everyone
        return tag.synonym_of or tag

    def title(self, tag: Tag) -> str:
        return _("%(tag)s works") % {"tag": tag.name}

    def subtitle(self, tag: Tag) -> str:
        return _("The newest works tagged %(tag)s, its synonyms and subtags.") % {"tag": tag.name}

    def link(self, tag: Tag) -> str:
        return reverse("tags:works", args=[tag_url_name(tag.name)])

    def feed_url(self, tag: Tag) -> str:
        return reverse("tags:feed", args=[tag_url_name(tag.name)])

    def items(self, tag: Tag) -> list:
        return list(works_under_tag(tag, None)[:FEED_ITEMS])

    def item_title(self, work: Any) -> str:
        return work.title

    def item_description(self, work: Any) -> str:
        return work.summary

    def item_link(self, work: Any) -> str:
        return work.get_absolute_url()

    def item_author_name(self, work: Work) -> str:
        pseuds = access.creators_of(work, None)  # the feed is the same for everyone: a guest's view
        return ", ".join(p.name for p in pseuds or []) or _("Anonymous")

    def item_pubdate(self, work: Any):
        return work.published_at

    def item_updateddate(self, work: Any):
        return work.revised_at

    def item_categories(self, work: Any) -> list[str]:
        return [t.tag.name for t in work.taggings.all()]


tag_feed = TagWorksFeed()


@require_GET
def autocomplete(request: HttpRequest) -> JsonResponse:
    kind = request.GET.get("kind") or None
    if kind is not None and kind not in TagKind.values:
        kind = "freeform" if kind == "additional" else None
    fandoms = [f for value in request.GET.getlist("fandom") for f in value.split(",")]
    results = tag_autocomplete_for(
        request.user, term=request.GET.get("term", "")[:150], kind=kind, fandoms=fandoms
    )
    response = JsonResponse({"results": results})
    response["Cache-Control"] = "private, max-age=30"
    return response


# --- Wrangling --------------------------------------------------------------------------


def _wrangler(request: HttpRequest) -> None:
    if not services.can_wrangle(request.user):
        raise PermissionDenied(_("Only tag wranglers can wrangle tags."))


def _tag_from_form(value: str) -> Tag:
    tag = selectors.tag_by_name(value)
    if tag is None:
        raise ValidationError(_("No tag named %(name)s.") % {"name": repr(value.strip())})
    return tag


@login_required
@require_GET
def wrangle(request: HttpRequest) -> HttpResponse:
    _wrangler(request)
    counts = selectors.unwrangled_counts()
    return render(
        request,
        "tags/wrangle.html",
        {
            "fandoms": selectors.wrangling_fandoms(),
            "counts": [(k.value, k.label, counts.get(k.value, 0)) for k in FREE_KINDS],
            "cap": selectors.UNWRANGLED_COUNT_CAP,
            "kinds": FREE_KINDS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def wrangle_bin(request: HttpRequest) -> HttpResponse:
    """The unwrangled bin of one fandom and kind, with AO3's mass actions."""
    _wrangler(request)
    source = request.POST if request.method == "POST" else request.GET
    kind = source.get("kind") or TagKind.CHARACTER
    if kind not in FREE_KINDS:
        raise Http404("No such kind of tag.")
    fandom_name = (source.get("fandom") or "").strip()
    fandom = selectors.tag_by_name(fandom_name) if fandom_name else None
    if fandom_name and fandom is None:
        raise Http404("No such fandom.")
    if request.method == "POST":
        ids = [int(i) for i in request.POST.getlist("tags") if i.isdigit()]
        action = request.POST.get("action", "")
        try:
            target = (
                _tag_from_form(request.POST["target"])
                if request.POST.get("target", "").strip()
                else None
            )
            tags = list(Tag.objects.filter(pk__in=ids).order_by("name_key"))
            done = services.tags_mass_wrangle(
                actor=request.user, tags=tags, action=action, target=target
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except errors.PermissionDenied as exc:
            raise PermissionDenied(str(exc))
        else:
            messages.success(
                request,
                ngettext(
                    "%(action)s: %(count)d tag wrangled.",
                    "%(action)s: %(count)d tags wrangled.",
                    done,
                )
                % {"action": services.MASS_ACTIONS[action], "count": done},
            )
        query = urlencode({"kind": kind, **({"fandom": fandom.name} if fandom else {})})
        return redirect(f"{reverse('tags:wrangle_bin')}?{query}")
    if fandom is not None:
        qs = selectors.unwrangled_bin(fandom=fandom, kind=kind)
    else:
        qs = selectors.unwrangled_without_fandom(kind=kind)
    page = Paginator(qs, 100).get_page(request.GET.get("page"))
    querystring = urlencode({"kind": kind, **({"fandom": fandom.name} if fandom else {})})
    return render(
        request,
        "tags/wrangle_bin.html",
        {
            "fandom": fandom,
            "kind": kind,
            "kind_label": TagKind(kind).label,
            "kinds": FREE_KINDS,
            "page": page,
            "tags": page.object_list,
            "actions": services.MASS_ACTIONS,
            "querystring": querystring,
        },
    )


# What the edit form's buttons do: op -> (service call, message).
def _edit_op(op: str, tag: Tag, form: Any, actor: Viewer) -> str:
    value = (form.get("value") or "").strip()
    if op == "rename":
        services.tag_rename(actor=actor, tag=tag, new_name=value)
        return _("Renamed to %(name)s.") % {"name": tag.name}
    if op == "canonical":
        services.tag_make_canonical(actor=actor, tag=tag)
        return _("%(name)s is canonical.") % {"name": tag.name}
    if op == "synonym":
        target = _tag_from_form(value)
        services.tag_make_synonym(actor=actor, tag=tag, canonical=target)
        return _("%(name)s is now a synonym of %(target)s.") % {
            "name": tag.name,
            "target": target.name,
        }
    if op == "merge":
        target = _tag_from_form(value)
        services.tag_merge(actor=actor, tag=tag, into=target)
        return _("%(name)s was merged into %(target)s.") % {"name": tag.name, "target": target.name}
    if op == "split":
        services.tag_split_synonym(
            actor=actor, tag=tag, canonical=form.get("make_canonical") == "1"
        )
        return _("%(name)s was split off.") % {"name": tag.name}
    if op == "parent":
        services.tag_add_parent(actor=actor, child=tag, parent=_tag_from_form(value))
        return _("Metatag added.")
    if op == "unparent":
        services.tag_remove_parent(actor=actor, child=tag, parent=_tag_from_form(value))
        return _("Metatag removed.")
    if op == "subtag":
        services.tag_add_parent(actor=actor, child=_tag_from_form(value), parent=tag)
        return _("Subtag added.")
    if op == "fandom":
        services.tag_link_fandom(actor=actor, tag=tag, fandom=_tag_from_form(value))
        return _("Fandom linked.")
    if op == "unfandom":
        services.tag_unlink_fandom(actor=actor, tag=tag, fandom=_tag_from_form(value))
        return _("Fandom unlinked.")
    if op == "unwrangleable":
        services.tag_set_unwrangleable(
            actor=actor, tag=tag, unwrangleable=form.get("make_canonical") != "0"
        )
        return _("Updated.")
    raise ValidationError(_("Unknown action %(op)s.") % {"op": repr(op)})


@login_required
@require_http_methods(["GET", "POST"])
def tag_edit(request: HttpRequest, name: str) -> HttpResponse:
    """One tag's wrangling page: rename, canonical, synonym, merge, split, meta/sub tags, fandoms."""
    _wrangler(request)
    tag = selectors.tag_by_url_name(name)
    if request.method == "POST":
        try:
            message = _edit_op(request.POST.get("op", ""), tag, request.POST, request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        except errors.PermissionDenied as exc:
            raise PermissionDenied(str(exc))
        else:
            messages.success(request, message)
        tag.refresh_from_db()
        return redirect("tags:edit", tag_url_name(tag.name))
    context = selectors.tag_detail(tag)
    context["log"] = selectors.wrangling_log_for(tag)
    return render(request, "tags/edit.html", context)


@login_required
@require_GET
def wrangle_log(request: HttpRequest) -> HttpResponse:
    _wrangler(request)
    return render(request, "tags/wrangle_log.html", {"entries": selectors.wrangling_log(200)})
