"""Subscriptions: follow a work, a creator or a series (issue 13)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from ficarchive.notify import services as notify
from ficarchive.notify.models import Subscription
from ficarchive.notify.selectors import subscriptions_of, target_labels

from .. import params as p
from ..http import ApiError, api_view, json_response, read_json
from ..serializers import _dt, absolute, api_url
from .common import actor, id_page


def subscriptions_json(subs: list[Subscription], viewer: Any) -> list[dict[str, Any]]:
    return [
        subscription_json(s, label)
        for s, label in zip(subs, target_labels(subs, viewer), strict=True)
    ]


def subscription_json(sub: Subscription, label: tuple[str, str]) -> dict[str, Any]:
    """A subscription: its target in the shape it was made with (``work``, ``series``: ids;
    ``user``: a name), and the target's title and address while the reader may see it
    (``label``, from ``target_labels``)."""
    title, url = label
    return {
        "id": sub.pk,
        "kind": sub.kind,
        "work": sub.work_id,
        "series": sub.series_id,
        "user": sub.creator.username if sub.creator_id else None,
        "title": title if url else None,
        "url": absolute(url) if url else None,
        "api_url": api_url("subscription", sub.pk),
        "created_at": _dt(sub.created_at),
    }


@api_view("GET", "POST")
def subscriptions_collection(request: HttpRequest) -> HttpResponse:
    """GET: your subscriptions, newest first. POST ``{"work": ID}``, ``{"user": NAME}`` or
    ``{"series": ID}``: subscribe (201; 200 with the existing one when already subscribed)."""
    who = actor(request)
    if request.method == "POST":
        data = read_json(request)
        named = [k for k in ("work", "user", "series") if k in data]
        if len(named) != 1:
            raise ApiError(400, "invalid", "Send exactly one of work, user or series.")
        user = p.get_str(data, "user", max_length=150) if "user" in data else None
        if user is not None and not user:
            raise p.field_error("user", "user must be a user name.")
        sub, made = notify.subscription_create(
            actor=who, work=p.get_id(data, "work"), series=p.get_id(data, "series"), user=user
        )
        response = json_response(subscriptions_json([sub], who)[0], status=201 if made else 200)
        response["Location"] = api_url("subscription", sub.pk)
        return response
    return id_page(
        subscriptions_of(who),
        request,
        "subscriptions",
        lambda rows: subscriptions_json(rows, who),
    )


@api_view("GET", "DELETE")
def subscription_detail(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """One of your subscriptions; DELETE unsubscribes (204)."""
    who = actor(request)
    if request.method == "DELETE":
        notify.subscription_delete(actor=who, subscription_id=subscription_id)
        return HttpResponse(status=204)
    sub = subscriptions_of(who).filter(pk=subscription_id).first()
    if sub is None:
        raise ApiError(404, "not_found", "No such subscription.")
    return json_response(subscriptions_json([sub], who)[0])
