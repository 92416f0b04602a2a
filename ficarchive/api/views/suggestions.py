"""Tags the suggestion engine proposes for a work, for its creators (404 for everyone
else, as on the suggestions page), and the creators' decisions on them."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from ficarchive.suggest import services as suggest
from ficarchive.suggest.selectors import suggestion_panel
from ficarchive.works.models import Work

from .. import params as p
from ..http import ApiError, api_view, json_response, read_json
from ..serializers import suggestions_json
from .common import actor, work_for


def _work_for_creator(request: HttpRequest, work_id: int) -> Work:
    """The work for its creators; anyone else gets the same 404 as for a missing work."""
    work = work_for(request, work_id)
    if not work.is_creator(request.user):
        raise ApiError(404, "not_found", "No such work.")
    return work


@api_view("GET")
def suggestions(request: HttpRequest, work_id: int) -> HttpResponse:
    work = _work_for_creator(request, work_id)
    return json_response(suggestions_json(work, suggestion_panel(work)))


def _decide(
    request: HttpRequest, work_id: int, action: Callable[..., Any], confirm: bool = False
) -> HttpResponse:
    work = _work_for_creator(request, work_id)
    data = read_json(request)
    # A rating or warning changes only with the creator's confirmation of old and new value.
    extra = (
        {"confirm_from": data.get("confirm_from"), "confirm_to": data.get("confirm_to")}
        if confirm
        else {}
    )
    action(
        actor=actor(request),
        work=work,
        kind=p.get_str(data, "kind"),
        name=p.get_str(data, "name"),
        **extra,
    )
    fresh = _work_for_creator(request, work_id)
    return json_response(suggestions_json(fresh, suggestion_panel(fresh)))


@api_view("POST")
def suggestion_accept(request: HttpRequest, work_id: int) -> HttpResponse:
    """Add a proposed tag to the work; a rating or archive warning needs ``confirm_from``
    and ``confirm_to`` naming the old and new value (400 saying what to confirm without)."""
    return _decide(request, work_id, suggest.suggestion_accept, confirm=True)


@api_view("POST")
def suggestion_dismiss(request: HttpRequest, work_id: int) -> HttpResponse:
    """Drop a proposed tag for good."""
    return _decide(request, work_id, suggest.suggestion_dismiss)


@api_view("POST")
def suggestion_restore(request: HttpRequest, work_id: int) -> HttpResponse:
    """Propose a dismissed tag again."""
    return _decide(request, work_id, suggest.suggestion_restore)
