"""Pages of the skins app: choosing a site skin, writing work skins, dressing a work in
one, and serving a work's skin as a same-origin stylesheet (the site's
Content-Security-Policy allows only ``style-src 'self'``: no inline styles)."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.display import display_preferences_update
from ficarchive.accounts.models import User
from ficarchive.core.display import SITE_SKIN_COOKIE
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.works import access
from ficarchive.works.models import Chapter, Work

from . import selectors, services
from .forms import SiteSkinForm, WorkSkinChoiceForm, WorkSkinForm
from .models import WorkSkin
from .site_skins import COOKIE_SECONDS, request_skin

# Laid before every work skin. The work's box is its own stacking context (no z-index
# inside lifts anything over the page) and clips what is painted inside it (a shadow,
# outline or text shadow thousands of pixels wide stays in the box; wide content scrolls).
# The doubled id outranks every selector the sanitizer lets through (at most one id on the
# container), and !important outranks theirs.
SKIN_PREAMBLE = "#workskin#workskin { isolation: isolate !important; overflow: auto !important; }\n"


def _me(request: HttpRequest) -> User:
    return cast(User, request.user)


def _removed_message(request: HttpRequest, removed: list[str]) -> None:
    if removed:
        messages.warning(
            request,
            _("Some of the CSS was removed because work skins do not allow it: %(items)s")
            % {"items": "; ".join(removed[:20])},
        )


def site_skins(request: HttpRequest) -> HttpResponse:
    """/skins: choose a site skin (guests too); a signed-in reader also sees their work
    skins."""
    form = SiteSkinForm(request.POST or None, initial={"skin": request_skin(request)})
    if request.method == "POST" and form.is_valid():
        skin = form.cleaned_data["skin"]
        nxt = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(nxt, {request.get_host()}):
            nxt = reverse("skins:index")
        response = redirect(nxt)
        if request.user.is_authenticated:
            display_preferences_update(actor=_me(request), user=_me(request), site_skin=skin)
        else:
            response.set_cookie(
                SITE_SKIN_COOKIE, skin, max_age=COOKIE_SECONDS, samesite="Lax", httponly=True
            )
        return response
    own = selectors.work_skins_of(_me(request)) if request.user.is_authenticated else []
    return render(request, "skins/index.html", {"form": form, "work_skins": own})


def _skin_form_page(request: HttpRequest, skin: WorkSkin | None) -> HttpResponse:
    initial = (
        {"title": skin.title, "description": skin.description, "css": skin.css} if skin else None
    )
    form = WorkSkinForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if skin is None:
                skin, removed = services.work_skin_create(actor=_me(request), **form.cleaned_data)
            else:
                removed = services.work_skin_update(
                    actor=_me(request), skin=skin, **form.cleaned_data
                )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            _removed_message(request, removed)
            messages.success(request, _("The work skin was saved."))
            return redirect("skins:edit", skin.pk)
    return render(request, "skins/work_skin_form.html", {"form": form, "skin": skin})


@login_required
def work_skin_new(request: HttpRequest) -> HttpResponse:
    return _skin_form_page(request, None)


def _own_skin(request: HttpRequest, skin_id: int) -> WorkSkin:
    skin = get_object_or_404(WorkSkin, pk=skin_id)
    if skin.owner_id != request.user.pk:
        raise Http404
    return skin


@login_required
def work_skin_edit(request: HttpRequest, skin_id: int) -> HttpResponse:
    return _skin_form_page(request, _own_skin(request, skin_id))


@login_required
@require_POST
def work_skin_delete(request: HttpRequest, skin_id: int) -> HttpResponse:
    services.work_skin_delete(actor=_me(request), skin=_own_skin(request, skin_id))
    messages.success(request, _("The work skin was deleted."))
    return redirect("skins:index")


@login_required
def work_skin_choose(request: HttpRequest, work_id: int) -> HttpResponse:
    """/works/ID/skin: the work's creator picks one of their skins for it."""
    try:
        work = access.access_work(request.user, work_id, need=access.Need.EDIT)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Http404 from None
    skins = selectors.work_skins_of(_me(request))
    current = selectors.work_skin_of(work.pk)
    form = WorkSkinChoiceForm(
        request.POST or None, skins=skins, initial={"skin": current.pk if current else ""}
    )
    if request.method == "POST" and form.is_valid():
        chosen = next((s for s in skins if s.pk == form.cleaned_data["skin"]), None)
        services.work_skin_set(actor=_me(request), work_id=work.pk, skin=chosen)
        messages.success(request, _("The work's skin was saved."))
        return redirect(work.get_absolute_url())
    return render(request, "skins/work_skin_choose.html", {"form": form, "work": work})


def work_skin_css(request: HttpRequest, work_id: int) -> HttpResponse:
    """/works/ID/skin.css: the sanitized skin, to whoever may read the work (404 else)."""
    try:
        work = access.access_work(request.user, work_id, need=access.Need.READ)
    except NotFound:
        raise Http404 from None
    skin = selectors.work_skin_of(work.pk)
    if skin is None:
        raise Http404
    response = HttpResponse(SKIN_PREAMBLE + skin.css_clean, content_type="text/css; charset=utf-8")
    # The address carries the skin's version (?v=), so the browser may keep it.
    response["Cache-Control"] = "private, max-age=86400"
    return response


def work_page_part(request: HttpRequest, work: Work, chapter: Chapter | None) -> dict[str, Any]:
    """The work page's skin: its stylesheet unless the reader hides work skins (their
    preference, or AO3's "Hide Creator's Style" link: ?style=disable), and the creator's
    link to choose one."""
    data: dict[str, Any] = {}
    if access.is_creator(request.user, work):
        data["choose_url"] = reverse("skins:work_choose", args=[work.pk])
    flag = getattr(work, selectors.SKIN_FLAG, None)  # read with the work's row, or None
    if flag is not None and not flag:
        return data
    skin = selectors.work_skin_of(work.pk)
    if skin is None:
        return data
    style = request.GET.get("style", "")
    hidden = style == "disable" or (
        style != "creator" and bool(getattr(request.user, "hide_work_skins", False))
    )
    query = request.GET.copy()
    query["style"] = "creator" if hidden else "disable"
    data["has_skin"] = True
    data["hidden"] = hidden
    data["toggle_url"] = "?" + query.urlencode()
    if not hidden:
        version = int(skin.updated_at.timestamp())
        data["stylesheet"] = reverse("skins:work_css", args=[work.pk]) + f"?v={version}.{skin.pk}"
    return data
