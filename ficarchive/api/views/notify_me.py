"""The reader's notifications and mail preferences (issue 13): ``GET /me/notifications``
(paged, newest first), ``POST /me/notifications/read`` and ``GET``/``PUT
/me/mail-preferences``. Every notification is shown as the reader may see it now
(``notify.mail.item_for``, through ``works.access``): one about a work they lost sight of
is left out of the page."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse

from ficarchive.notify import services as notify
from ficarchive.notify.mail import item_for
from ficarchive.notify.models import (
    DEFAULT_FREQUENCY,
    Frequency,
    Notification,
    NotificationKind,
)
from ficarchive.notify.selectors import mail_preferences_of, notifications_for
from ficarchive.works.models import Work

from .. import params as p
from ..http import ApiError, api_view, json_response, read_json
from ..serializers import _dt
from .common import actor, id_page

# The frequencies of a kind that is on (AO3: at once, or gathered in a digest).
FREQUENCIES = (Frequency.IMMEDIATE, Frequency.HOURLY, Frequency.DAILY)
MARK_MAX = 1000  # ids in one "mark read" request


def _notifications_json(rows: list[Notification], who: Any) -> list[dict[str, Any]]:
    cache: dict[int, Work | None] = {}
    out = []
    for n in rows:
        item = item_for(n, who, cache)
        if item is None:
            continue
        out.append(
            {
                "id": n.pk,
                "kind": n.kind,
                "subject": n.subject or None,
                "read": n.read,
                "created_at": _dt(n.created_at),
                "work": n.work_id,
                "chapter": n.chapter_id,
                "series": n.series_id,
                "comment": n.comment_id,
                "headline": item.headline,
                "url": item.url,
                "excerpt": item.excerpt,
            }
        )
    return out


@api_view("GET")
def notifications(request: HttpRequest) -> HttpResponse:
    """Your notifications of every kind, newest first; ``?unread=true`` for unread ones,
    ``?kind=K`` for one kind."""
    who = actor(request)
    kind = request.GET.get("kind", "")
    if kind and kind not in NotificationKind.values:
        raise p.bad("kind", f"kind must be one of {', '.join(NotificationKind.values)}.")
    unread = request.GET.get("unread", "")
    if unread not in ("", "true", "false"):
        raise p.bad("unread", "unread must be true or false.")
    qs = notifications_for(who, kinds=(kind,) if kind else tuple(NotificationKind.values))
    if unread == "true":
        qs = qs.filter(read=False)
    return id_page(qs, request, "notifications", lambda rows: _notifications_json(rows, who))


@api_view("POST")
def notifications_read(request: HttpRequest) -> HttpResponse:
    """Mark notifications read: ``{"ids": [ID, ...]}`` (yours; others' are ignored) or
    ``{"all": true}``. Answers ``{"marked": N}``."""
    who = actor(request)
    data = read_json(request)
    if set(data) == {"all"} and data["all"] is True:
        return json_response({"marked": notify.notifications_mark_read(actor=who)})
    ids = data.get("ids")
    if set(data) != {"ids"} or not isinstance(ids, list) or not ids:
        raise p.field_error("ids", 'Send {"ids": [ID, ...]} or {"all": true}.')
    if len(ids) > MARK_MAX or not all(type(i) is int and i > 0 for i in ids):
        raise p.field_error("ids", f"ids must be up to {MARK_MAX} positive whole numbers.")
    return json_response({"marked": notify.notifications_mark_read(actor=who, ids=ids)})


def _preferences_json(who: Any) -> dict[str, Any]:
    return {
        kind: {
            "enabled": freq != Frequency.OFF,
            "frequency": None if freq == Frequency.OFF else freq,
        }
        for kind, freq in mail_preferences_of(who).items()
    }


def _parse_preferences(data: dict[str, Any], current: dict[str, str]) -> dict[str, str]:
    """``{kind: {"enabled"?: bool, "frequency"?: F}}`` as ``{kind: frequency}``; ApiError
    (400, one line) for anything else, before anything is written."""
    if not data:
        raise ApiError(400, "invalid", "Send at least one kind of mail to change.")
    wanted = {}
    for kind, change in data.items():
        if kind not in NotificationKind.values:
            raise p.field_error(
                kind, f"Unknown kind {kind!r}: one of {', '.join(NotificationKind.values)}."
            )
        if not isinstance(change, dict) or not change or set(change) - {"enabled", "frequency"}:
            raise p.field_error(kind, f'{kind}: send {{"enabled": BOOL, "frequency": F}}.')
        enabled = change.get("enabled", True)
        freq = change.get("frequency")
        if not isinstance(enabled, bool):
            raise p.field_error(kind, f"{kind}: enabled must be true or false.")
        if freq is not None and freq not in FREQUENCIES:
            raise p.field_error(kind, f"{kind}: frequency must be immediate, hourly or daily.")
        if not enabled:
            if freq is not None:
                raise p.field_error(kind, f"{kind}: a frequency needs enabled true.")
            wanted[kind] = Frequency.OFF.value
        elif freq is not None:
            wanted[kind] = freq
        elif current[kind] == Frequency.OFF:
            default = DEFAULT_FREQUENCY[NotificationKind(kind)]
            # Turned back on without a frequency: AO3's default for the kind (kudos daily).
            wanted[kind] = (default if default != Frequency.OFF else Frequency.IMMEDIATE).value
        else:
            wanted[kind] = current[kind]
    return wanted


@api_view("GET", "PUT")
def mail_preferences(request: HttpRequest) -> HttpResponse:
    """GET: every kind's mail setting, ``{kind: {"enabled", "frequency"}}`` (frequency
    null when off). PUT the kinds to change (others keep theirs); answers the whole set."""
    who = actor(request)
    if request.method == "PUT":
        data = read_json(request)
        wanted = _parse_preferences(data, mail_preferences_of(who))
        notify.mail_preferences_update(actor=who, frequencies=wanted)
    return json_response(_preferences_json(who))
