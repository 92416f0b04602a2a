"""Reading and posting works. Views parse the request, call one selector or service and
render; every read of a work goes through the selectors (and so through visible_to)."""

from __future__ import annotations

import re
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ficarchive.accounts.models import User
from ficarchive.core import ratelimit
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import is_admin

from . import access, hits, page_cache, services
from .forms import WorkForm, add_service_errors, work_form_initial
from .models import Work
from .pages import work_page_flags, work_page_parts
from .selectors import (
    chapters_for_viewer,
    drafts_of,
    works_by_user,
    works_listed,
)

WORKS_PER_PAGE = 20
DOWNLOAD_FORMATS = [
    ("epub", "EPUB"),
    ("azw3", "AZW3"),
    ("mobi", "MOBI"),
    ("pdf", "PDF"),
    ("html", "HTML"),
]
# Crawlers, link previewers and scripts: their visits are not hits.
ROBOT_RE = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|embedly|preview|monitor|"
    r"curl|wget|python-requests|python-urllib|httpx|go-http-client|java/|libwww|headless",
    re.IGNORECASE,
)


def _get_work(request: HttpRequest, work_id: int, need: access.Need = access.Need.READ) -> Work:
    """The work through ``access.access_work``: 404 when the viewer cannot see it, 403 when
    they can but may not do ``need``."""
    try:
        return access.access_work(request.user, work_id, need=need)
    except NotFound:
        raise Http404(_("No such work."))


def _get_work_as_creator(request: HttpRequest, work_id: int) -> Work:
    """The work for its creators; 404 when the viewer cannot see it, 403 when they can but
    did not make it."""
    return _get_work(request, work_id, need=access.Need.EDIT)


def _is_robot(request: HttpRequest) -> bool:
    return bool(ROBOT_RE.search(request.headers.get("User-Agent", "")))


def _visitor_key(request: HttpRequest) -> str:
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    # The client behind a trusted proxy, not nginx's own address (core.ratelimit).
    return f"guest:{ratelimit.client_ip(request)}:{request.headers.get('User-Agent', '')}"


def _count_hit(request: HttpRequest, work: Work) -> None:
    """A hit per visitor per day, as AO3 counts them: not for creators, drafts or robots."""
    if not work.posted or work.is_creator(request.user) or _is_robot(request):
        return
    hits.hit_buffer(work_id=work.pk, visitor_key=_visitor_key(request))


# The adult notice's choice, as AO3 keeps it: a browser-session cookie, not the session,
# so a guest who passed a notice still gets shared (cached) pages. "all" (AO3's
# ``view_adult=true`` cookie: don't ask again this session) or the ids of the works passed.
ADULT_COOKIE = "view_adult"
ADULT_ALL = "all"
ADULT_REMEMBERED = 100


def _adult_choice(request: HttpRequest, work_id: int) -> tuple[bool, str | None]:
    """For an adult work a notice would guard: (show the notice?, the cookie's new value or
    None to leave it). ``?view_adult=true`` passes it for this work, ``=session`` for all."""
    cookie = request.COOKIES.get(ADULT_COOKIE, "")
    if cookie == ADULT_ALL:
        return False, None
    asked = request.GET.get("view_adult")
    if asked == "session":
        return False, ADULT_ALL
    remembered = [i for i in cookie.split(".") if i.isdigit()]
    if asked == "true":
        if str(work_id) in remembered:
            return False, None
        return False, ".".join([*remembered, str(work_id)][-ADULT_REMEMBERED:])
    return str(work_id) not in remembered, None


def _needs_adult_notice(request: HttpRequest, work: Work) -> tuple[bool, str | None]:
    """Mature, Explicit and Not Rated works open on a notice, unless the reader opted out
    in their preferences, passed it for this work in this browser session, or made the
    work. Returns (notice?, the adult cookie's new value or None)."""
    if not work.is_adult or work.is_creator(request.user):
        return False, None
    if request.user.is_authenticated and request.user.view_adult:
        return False, None
    return _adult_choice(request, work.pk)


def _remember_adult(response: HttpResponse, value: str | None) -> HttpResponse:
    if value is not None:
        # Until the browser closes, as AO3's cookie; nothing secret, only the reader's choice.
        response.set_cookie(ADULT_COOKIE, value, httponly=True, samesite="Lax")
    return response


def _read(request: HttpRequest, work: Work, *, chapter_id: int | None = None) -> HttpResponse:
    """The work page: AO3's header block, then one chapter or the whole work."""
    notice, remember = _needs_adult_notice(request, work)
    shared = page_cache.is_shared(request)
    token = {"csrf_token": page_cache.CSRF_PLACEHOLDER} if shared else {}
    chapters = chapters_for_viewer(work, request.user)
    index = 0
    if chapter_id is not None:
        # A chapter that is not there is a 404 before the adult notice, whose Proceed link
        # would only lead to that 404.
        index = next((i for i, ch in enumerate(chapters) if ch.pk == chapter_id), -1)
        if index < 0:
            raise Http404(_("No such chapter."))
    if notice:
        params = request.GET.copy()
        params["view_adult"] = "true"
        proceed = f"?{params.urlencode()}"
        params["view_adult"] = "session"
        notice_context = {
            "work": work,
            "proceed": proceed,
            "proceed_session": f"?{params.urlencode()}",
        }
        return render(request, "works/adult_notice.html", {**notice_context, **token})
    full = chapter_id is None and (
        request.GET.get("view_full_work") == "true" or len(chapters) == 1
    )
    shown = chapters if full else chapters[index : index + 1]
    current = None if full else chapters[index]
    _count_hit(request, work)
    context: dict[str, Any] = {
        "work": work,
        "chapters": chapters,
        "shown": shown,
        "full": full,
        "multi": len(chapters) > 1,
        # AO3 heads chapters by their titles in any work of more than one chapter, also
        # while only the first of three is posted.
        "chaptered": len(chapters) > 1 or (work.expected_chapters or 1) > 1,
        "current": current,
        "previous": chapters[index - 1] if not full and index > 0 else None,
        "next": chapters[index + 1] if not full and index + 1 < len(chapters) else None,
        "is_creator": work.is_creator(request.user),
        "downloads": DOWNLOAD_FORMATS,
        # The rest of the page (feedback...), loaded here so the view owns its queries.
        "parts": work_page_parts(request, work, current),
        **token,
    }
    return _remember_adult(render(request, "works/work.html", context), remember)


def _readable(request: HttpRequest, work_id: int) -> Work | HttpResponse:
    """The work to read, else AO3's answer to a guest at a registered-users-only work (log
    in, with a notice naming nothing of the work), else 404."""
    try:
        return access.access_work_page(request.user, work_id, flags=work_page_flags())
    except NotFound:
        if access.mystery_only(request.user, work_id):
            # AO3's "Mystery Work" notice; the status stays that of a work not available
            # (yet): nothing to index, and the privacy matrix's answer for others.
            return render(request, "collections/mystery_work.html", status=404)
        if not access.registered_only(request.user, work_id):
            raise Http404("No such work.")
    messages.error(request, _("This work is only available to registered users of the Archive."))
    return redirect_to_login(request.get_full_path())


def _work_page(request: HttpRequest, work_id: int, chapter_id: int | None) -> HttpResponse:
    """A work or chapter page; a guest's from the shared page cache (works.page_cache) when
    it holds it, the hit still counted and the adult notice's cookie still set."""

    def build() -> HttpResponse:
        work = _readable(request, work_id)
        return (
            work if isinstance(work, HttpResponse) else _read(request, work, chapter_id=chapter_id)
        )

    facts = page_cache.guest_facts(request, work_id)
    if facts is None:
        return build()
    notice, remember = _adult_choice(request, work_id) if facts.is_adult else (False, None)
    key = page_cache.page_key(request, facts, notice=notice)
    response = page_cache.cached(request, key)
    if response is None:
        return page_cache.drawn(request, key, build, allowed_cookies={ADULT_COOKIE})
    if not notice and not _is_robot(request):
        hits.hit_buffer(work_id=work_id, visitor_key=_visitor_key(request))
    return _remember_adult(response, remember)


def work_detail(request: HttpRequest, work_id: int) -> HttpResponse:
    return _work_page(request, work_id, None)


def chapter_detail(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    return _work_page(request, work_id, chapter_id)


def _form_context(form: WorkForm, **extra: Any) -> dict[str, Any]:
    return {"form": form, **extra}


def work_new(request: HttpRequest) -> HttpResponse:
    """Post New Work. Post publishes; Preview and Save as Draft keep it a draft."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    form = WorkForm(request.POST or None, request.FILES or None, user=request.user)
    status = 200
    if request.method == "POST":
        action = request.POST.get("action", "post")
        if form.is_valid():
            try:
                work = services.work_create(
                    actor=request.user,
                    meta=form.work_meta(),
                    chapters=[form.chapter_input()],
                    pseuds=list(form.cleaned_data.get("pseuds") or []) or None,
                    draft=action in {"preview", "draft"},
                    series_title=form.cleaned_data.get("series_title") or "",
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if action == "draft":
                    messages.success(
                        request, _("Draft saved. Only you can see it until you post it.")
                    )
                elif action == "preview":
                    messages.info(
                        request,
                        _("This is a preview of your draft. Post it when you are happy with it."),
                    )
                else:
                    messages.success(request, _("Work was successfully posted."))
                return redirect(work)
        status = 400
    return render(
        request,
        "works/work_form.html",
        _form_context(form, title=_("Post New Work")),
        status=status,
    )


def work_edit(request: HttpRequest, work_id: int) -> HttpResponse:
    """Edit Work: tags and preface, and the text when the work has one chapter."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    work = _get_work_as_creator(request, work_id)
    chapters = list(work.chapters.order_by("position", "id"))
    with_body = len(chapters) == 1
    initial = work_form_initial(work)
    if with_body:
        initial.update(body=chapters[0].body, text_format="html", chapter_title=chapters[0].title)
    form = WorkForm(
        request.POST or None,
        request.FILES or None,
        user=request.user,
        editing=True,
        with_body=with_body,
        initial=initial,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.work_update(
                    actor=request.user,
                    work=work,
                    meta=form.work_meta(),
                    chapter=form.chapter_input() if with_body else None,
                    series_title=form.cleaned_data.get("series_title") or "",
                )
                posting = request.POST.get("action") == "post" and not work.posted
                if posting:
                    services.work_post(actor=request.user, work=work)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                # A draft posted from its edit form is news to its creator, as AO3 says.
                done = _("Work was successfully posted.") if posting else None
                messages.success(request, done or _("Work was successfully updated."))
                return redirect(work)
        status = 400
    return render(
        request,
        "works/work_form.html",
        _form_context(form, title=_("Edit Work"), work=work),
        status=status,
    )


@require_POST
def work_post(request: HttpRequest, work_id: int) -> HttpResponse:
    """Post a draft."""
    work = _get_work_as_creator(request, work_id)
    assert isinstance(request.user, User)  # creators are logged in
    services.work_post(actor=request.user, work=work)
    messages.success(request, _("Work was successfully posted."))
    return redirect(work)


def _confirm(
    request: HttpRequest, work: Work, *, action: str, question: str, detail: str, button: str
) -> HttpResponse:
    return render(
        request,
        "works/confirm.html",
        {
            "work": work,
            "action": action,
            "question": question,
            "detail": detail,
            "button": button,
        },
    )


def work_delete(request: HttpRequest, work_id: int) -> HttpResponse:
    """Delete Work, after a confirmation page. Creators and admins may."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    work = _get_work(request, work_id)
    if not (access.may_edit(request.user, work) or is_admin(request.user)):
        raise PermissionDenied(_("Only the work's creators or an admin can delete it."))
    if request.method == "POST":
        title = work.title
        services.work_delete(actor=request.user, work=work)
        messages.success(request, _("Your work %(title)s was deleted.") % {"title": title})
        return redirect("works:user_works", request.user.username)
    return _confirm(
        request,
        work,
        action=reverse("works:delete", args=[work.pk]),
        question=_("Are you sure you want to delete %(title)s?") % {"title": work.title},
        detail=_(
            "This deletes the work, its chapters, comments, kudos and bookmarks. It cannot be undone."
        ),
        button=_("Yes, Delete Work"),
    )


def work_orphan(request: HttpRequest, work_id: int) -> HttpResponse:
    """Orphan Work: detach it from your account, leaving it up for readers."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    work = _get_work_as_creator(request, work_id)
    if request.method == "POST":
        services.work_orphan(actor=request.user, work=work)
        messages.success(
            request,
            _("%(title)s was orphaned: it is no longer linked to your account.")
            % {"title": work.title},
        )
        return redirect("works:user_works", request.user.username)
    return _confirm(
        request,
        work,
        action=reverse("works:orphan", args=[work.pk]),
        question=_("Are you sure you want to orphan %(title)s?") % {"title": work.title},
        detail=(
            _(
                "Orphaning removes your name from the work for good and gives it to the orphan "
                "account. It stays on the archive; you will not be able to edit or delete it "
                "afterwards."
            )
        ),
        button=_("Yes, I'm sure"),
    )


@require_POST
def work_hide(request: HttpRequest, work_id: int) -> HttpResponse:
    """An admin hides a work from readers, or shows it again."""
    work = _get_work(request, work_id)
    admin = request.user
    if not (is_admin(admin) and isinstance(admin, User)):
        raise PermissionDenied(_("Only admins can hide works."))
    hidden = request.POST.get("hidden") == "1"
    reason = request.POST.get("reason", "")[:2000]
    services.work_hide(actor=admin, work=work, hidden=hidden, reason=reason)
    messages.success(
        request, _("Work hidden from readers.") if hidden else _("Work visible again.")
    )
    return redirect(work)


def user_works(request: HttpRequest, username: str) -> HttpResponse:
    """A user's works, newest update first; anonymous ones only for the user and admins."""
    from ficarchive.discovery.plan import WithinWorks
    from ficarchive.discovery.search import search_works
    from ficarchive.discovery.views import filter_context

    owner = get_object_or_404(User, username=username)
    # works_by_user is this page's privacy gate (anonymous works only for their creator
    # and admins; the owner also sees works an admin hid); the filter narrows within it.
    within = WithinWorks(works_by_user(owner, request.user), is_gate=True)
    result = search_works(request.user, request.GET, within=within, page_size=WORKS_PER_PAGE)
    context = filter_context(request, result, action=request.path)
    context["owner"] = owner
    return render(request, "works/user_works.html", context)


def user_drafts(request: HttpRequest, username: str) -> HttpResponse:
    """A user's drafts, for that user only."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    owner = get_object_or_404(User, username=username)
    if owner.pk != request.user.pk:
        raise PermissionDenied(_("Drafts are only visible to their creators."))
    page = Paginator(drafts_of(owner), WORKS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request, "works/user_drafts.html", {"owner": owner, "page": page, "works": page.object_list}
    )


def home(request: HttpRequest) -> HttpResponse:
    """The newest works, as a front page (served at "/" as ``core:home``, see config/urls.py)."""
    works = works_listed(request.user)[:20]
    return render(request, "core/home.html", {"works": works})
