"""Tags, search and users' public pages."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ficarchive.accounts.selectors import pseuds_of, user_get
from ficarchive.discovery.plan import within_tag
from ficarchive.tags.vocabulary import TagKind
from ficarchive.works.selectors import works_by_user
from ficarchive.works.tag_selectors import tag_autocomplete_for, tag_get_for_viewer, tag_json_for

from .. import params as p
from ..http import api_view, json_response
from ..pagination import parse_limit
from ..serializers import api_url, user_json
from .common import works_page


@api_view("GET")
def tag_detail(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_get_for_viewer(name, request.user)
    # The command line counts every work; here only those this viewer can find.
    data = tag_json_for(tag, request.user)
    data["url"] = api_url("tag", tag.url_name).replace("/api/v1/tags/", "/tags/", 1)
    data["works_url"] = api_url("tag_works", tag.url_name)
    return json_response(data)


@api_view("GET")
def tag_works(request: HttpRequest, name: str) -> HttpResponse:
    tag = tag_get_for_viewer(name, request.user)
    return works_page(request, within=within_tag(tag))


@api_view("GET")
def tag_autocomplete_view(request: HttpRequest) -> HttpResponse:
    kind = request.GET.get("kind")
    if kind is not None and kind not in TagKind.values:
        raise p.bad("kind", f"kind must be one of: {', '.join(TagKind.values)}.")
    limit = parse_limit(request.GET.get("limit"), default=10)
    items = tag_autocomplete_for(
        request.user,
        term=request.GET.get("term", ""),
        kind=kind,
        fandoms=request.GET.getlist("fandom"),
        limit=min(limit, 50),
    )
    return json_response({"items": items})


@api_view("GET")
def search(request: HttpRequest) -> HttpResponse:
    return works_page(request, default_sort="relevance")


@api_view("GET")
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    user = user_get(username)
    return json_response(user_json(user, list(pseuds_of(user))))


@api_view("GET")
def user_works(request: HttpRequest, username: str) -> HttpResponse:
    user = user_get(username)
    # works_by_user is the gate here, as on the works page: owners see their hidden works.
    return works_page(request, base=works_by_user(user, request.user), base_visible=True)
