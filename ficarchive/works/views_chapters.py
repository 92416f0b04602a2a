"""Adding, editing, deleting and reordering a work's chapters (its creators only)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from . import services
from .forms import ChapterForm, ReorderForm, add_service_errors
from .models import Chapter, Work
from .views import _confirm, _get_work_as_creator


def _chapter_of(work: Work, chapter_id: int) -> Chapter:
    chapter = work.chapters.filter(pk=chapter_id).first()
    if chapter is None:
        raise Http404(_("No such chapter."))
    chapter.work = work
    return chapter


def _chapter_form_page(
    request: HttpRequest,
    form: ChapterForm,
    *,
    save: Callable[[ChapterForm], Chapter],
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The chapter form's round trip, shared by Add Chapter and Edit Chapter: on a valid
    POST, ``save(form)`` (a works service; its ValidationError goes back onto the form)
    then a redirect to the saved chapter with the ``done`` message; else the form, with
    400 after a failed POST so clients and tests can tell a refusal from a first view."""
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                chapter = save(form)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done)
                return redirect(chapter)
        status = 400
    return render(request, "works/chapter_form.html", {"form": form, **context}, status=status)


def chapter_new(request: HttpRequest, work_id: int) -> HttpResponse:
    """Add Chapter at the end of the work."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = request.user  # a User here: narrowed by the check above, kept for the lambda
    work = _get_work_as_creator(request, work_id)
    return _chapter_form_page(
        request,
        ChapterForm(request.POST or None, request.FILES or None),
        save=lambda form: services.chapter_add(
            actor=actor, work=work, chapter=form.chapter_input()
        ),
        done=_("Chapter was successfully posted."),
        context={
            "work": work,
            "title": _("Add Chapter %(number)d") % {"number": work.chapters.count() + 1},
        },
    )


def chapter_edit(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """Edit one chapter's title, notes and text."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    actor = request.user  # a User here: narrowed by the check above, kept for the lambda
    work = _get_work_as_creator(request, work_id)
    chapter = _chapter_of(work, chapter_id)
    initial = {
        "title": chapter.title,
        "summary": chapter.summary,
        "notes": chapter.notes,
        "end_notes": chapter.end_notes,
        "body": chapter.body,
        "text_format": "html",
    }
    return _chapter_form_page(
        request,
        ChapterForm(request.POST or None, request.FILES or None, initial=initial),
        save=lambda form: services.chapter_update(
            actor=actor, chapter=chapter, data=form.chapter_input()
        ),
        done=_("Chapter was successfully updated."),
        context={
            "work": work,
            "chapter": chapter,
            "title": _("Edit %(heading)s") % {"heading": chapter.heading},
        },
    )


def chapter_delete(request: HttpRequest, work_id: int, chapter_id: int) -> HttpResponse:
    """Delete one chapter, after a confirmation page."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    work = _get_work_as_creator(request, work_id)
    chapter = _chapter_of(work, chapter_id)
    if request.method == "POST":
        try:
            services.chapter_delete(actor=request.user, chapter=chapter)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("works:chapters_manage", work.pk)
        messages.success(request, _("The chapter was deleted."))
        return redirect(work)
    return _confirm(
        request,
        work,
        action=reverse("works:chapter_delete", args=[work.pk, chapter.pk]),
        question=_("Are you sure you want to delete %(heading)s of %(title)s?")
        % {"heading": chapter.heading, "title": work.title},
        detail=_("The chapter's text, notes and comments are deleted. This cannot be undone."),
        button=_("Yes, Delete Chapter"),
    )


def chapters_manage(request: HttpRequest, work_id: int) -> HttpResponse:
    """Manage Chapters: give each chapter its new number and save the order."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    work = _get_work_as_creator(request, work_id)
    chapters = list(work.chapters.order_by("position", "id"))
    form = ReorderForm(request.POST or None, chapters=chapters)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.chapters_reorder(
                    actor=request.user, work=work, chapter_ids=form.ordered_ids()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Chapter order updated."))
                return redirect("works:chapters_manage", work.pk)
        status = 400
    return render(
        request, "works/chapters_manage.html", {"form": form, "work": work}, status=status
    )
