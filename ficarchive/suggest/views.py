"""The suggestions panel: a work's creators see the tags its text may call for, with the
passages behind each, and add or dismiss each one. Forms post without JavaScript;
static/suggest/panel.js turns them into one-click requests answered in JSON."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.tags.vocabulary import ADULT_RATINGS, TagKind
from ficarchive.works.models import Work
from ficarchive.works.selectors import work_get_for_viewer

from . import services
from .selectors import suggestion_panel


def _work_for_creator(request: HttpRequest, work_id: int) -> Work:
    """The work for its creators; anyone else gets the same 404 as for a missing work."""
    try:
        work = work_get_for_viewer(work_id, request.user)
    except NotFound:
        raise Http404("No such work.")
    if not work.is_creator(request.user):
        raise Http404("No such work.")
    return work


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _kind_noun(kind: str) -> str:
    try:
        return TagKind(kind).label.lower()
    except ValueError:
        return "tag"


@require_GET
def panel(request: HttpRequest, work_id: int) -> HttpResponse:
    """The tags proposed for a work, grouped by kind, each with its evidence."""
    work = _work_for_creator(request, work_id)
    return render(request, "suggest/panel.html", {"work": work, "panel": suggestion_panel(work)})


def _decide(
    request: HttpRequest, work_id: int, action: Callable[..., Any], done: str, **extra: Any
) -> HttpResponse:
    work = _work_for_creator(request, work_id)
    kind = request.POST.get("kind", "")
    name = request.POST.get("name", "")
    try:
        action(actor=request.user, work=work, kind=kind, name=name, **extra)
    except services.ConfirmationNeeded as exc:
        # A rating or warning changes only when the creator confirms old and new value.
        if _wants_json(request):
            return JsonResponse(
                {
                    "ok": False,
                    "confirm": {"from": exc.old, "to": exc.new},
                    "error": exc.messages[0],
                },
                status=409,
            )
        return render(
            request,
            "suggest/confirm.html",
            {
                "work": work,
                "kind": kind,
                "name": name,
                "old": exc.old,
                "new": exc.new,
                "message": exc.messages[0],
                # The adult-content notice follows the rating: say whether it changes.
                "notice_before": work.is_adult,
                "notice_after": exc.new in ADULT_RATINGS
                if kind == TagKind.RATING
                else work.is_adult,
            },
            status=409,
        )
    except (ValidationError, PermissionDenied) as exc:
        message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": message}, status=400)
        messages.error(request, message)
        return redirect("suggest:panel", work.pk)
    message = done.format(name=name.strip(), kind=_kind_noun(kind))
    if _wants_json(request):
        fresh = _work_for_creator(request, work_id)
        return JsonResponse(
            {
                "ok": True,
                "kind": kind,
                "name": name.strip(),
                "message": message,
                "remaining": suggestion_panel(fresh).count,
                # What the panel's "The work now" shows, after a confirmed change.
                "rating": fresh.rating,
                "warnings": [tag.name for tag in fresh.warnings],
                "adult_notice": fresh.is_adult,
            }
        )
    messages.success(request, message)
    return redirect("suggest:panel", work.pk)


@require_POST
def accept(request: HttpRequest, work_id: int) -> HttpResponse:
    """Add one proposed tag to the work (a rating or warning only with the creator's
    confirmation of the old and new value: ``confirm_from``, ``confirm_to``)."""
    return _decide(
        request,
        work_id,
        services.suggestion_accept,
        _("Added {name} ({kind}) to the work."),
        confirm_from=request.POST.get("confirm_from"),
        confirm_to=request.POST.get("confirm_to"),
    )


@require_POST
def dismiss(request: HttpRequest, work_id: int) -> HttpResponse:
    """Drop one proposed tag; it is not proposed again."""
    return _decide(
        request,
        work_id,
        services.suggestion_dismiss,
        _("Dismissed {name}; it won't be suggested again."),
    )


@require_POST
def restore(request: HttpRequest, work_id: int) -> HttpResponse:
    """Bring back a dismissed suggestion."""
    return _decide(
        request, work_id, services.suggestion_restore, _("{name} may be suggested again.")
    )
