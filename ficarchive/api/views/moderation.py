"""The API's blocks and mutes of users: ``/api/v1/me/blocks`` and ``/api/v1/me/mutes``.

GET is a page like every list (``items``, ``next_cursor``, ``next``; ``limit`` and ``cursor``),
newest first. Each item is ``{"id", "user", "created_at"}``; POST takes ``{"user": NAME}`` and answers
201 with the item (200 with the existing one when already there); DELETE answers 204.
A user that does not exist is a 404 ``not_found``, as for ``POST /subscriptions``.
A read-only account (suspended, banned, unconfirmed) may still block and mute."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound
from ficarchive.discovery import services as discovery_services
from ficarchive.discovery.models import Mute, MuteKind
from ficarchive.moderation import selectors, services
from ficarchive.moderation.models import Block

from ..http import api_view, json_response, read_json
from .common import actor, id_page


def _block_json(block: Block) -> dict[str, Any]:
    return {
        "id": block.pk,
        "user": block.blocked.username,
        "created_at": block.created_at.isoformat(),
    }


def _mute_json(mute: Mute) -> dict[str, Any]:
    name = mute.creator.username if mute.creator_id else None
    return {"id": mute.pk, "user": name, "created_at": mute.created_at.isoformat()}


def _user_name(request: HttpRequest) -> str:
    """The ``user`` of the JSON body, naming an existing account (any case, as the
    services match it). ValidationError (400) when it is missing or not a string;
    NotFound (404) when no such user exists: the answer ``POST /subscriptions`` gives."""
    name = read_json(request).get("user")
    if not isinstance(name, str) or not name.strip():
        raise ValidationError({"user": ['Send the user name as {"user": NAME}.']})
    name = name.strip()
    if not User.objects.filter(username__iexact=name).exists():
        raise NotFound("No such user.")
    return name


@api_view("GET", "POST", restricted_ok=True)
def blocks(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if request.method == "POST":
        name = _user_name(request)
        existed = selectors.blocks_of(me).filter(blocked__username__iexact=name).exists()
        block = services.block_add(actor=me, username=name)
        return json_response(_block_json(block), status=200 if existed else 201)
    return id_page(
        selectors.blocks_of(me), request, "blocks", lambda rows: list(map(_block_json, rows))
    )


@api_view("GET", "DELETE", restricted_ok=True)
def block_detail(request: HttpRequest, block_id: int) -> HttpResponse:
    """One of your blocks (GET, as ``/subscriptions/{id}``), or unblock (DELETE, 204);
    404 for anyone else's id."""
    if request.method == "GET":
        block = selectors.blocks_of(actor(request)).filter(pk=block_id).first()
        if block is None:
            raise NotFound("No such block.")
        return json_response(_block_json(block))
    services.block_remove(actor=actor(request), block_id=block_id)
    return HttpResponse(status=204)


@api_view("GET", "POST", restricted_ok=True)
def mutes(request: HttpRequest) -> HttpResponse:
    me = actor(request)
    if request.method == "POST":
        name = _user_name(request)
        existed = selectors.creator_mutes_of(me).filter(creator__username__iexact=name).exists()
        try:
            mute = discovery_services.mute_add(actor=me, kind=MuteKind.CREATOR, value=name)
        except ValidationError as exc:
            if hasattr(exc, "error_dict") and "value" in exc.error_dict:
                raise ValidationError({"user": exc.message_dict["value"]})
            raise
        return json_response(_mute_json(mute), status=200 if existed else 201)
    return id_page(
        selectors.creator_mutes_of(me), request, "mutes", lambda rows: list(map(_mute_json, rows))
    )


@api_view("GET", "DELETE", restricted_ok=True)
def mute_detail(request: HttpRequest, mute_id: int) -> HttpResponse:
    """One of your mutes (GET), or unmute (DELETE, 204); 404 for anyone else's id."""
    me = actor(request)
    mute = selectors.creator_mutes_of(me).filter(pk=mute_id).first()
    if mute is None:
        raise NotFound("No such mute.")
    if request.method == "GET":
        return json_response(_mute_json(mute))
    discovery_services.mute_remove(actor=me, mute_id=mute_id)
    return HttpResponse(status=204)
