"""Maintainers' settings page: the collection's profile and flags, and for a challenge its
window, prompt counts, required overlap and tag set."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from ficarchive.core.errors import PermissionDenied
from ficarchive.tags.services import split_tag_list

from . import services
from .models import Collection
from .views import _collection, _fail

NUMBERS = ("requests_min", "requests_max", "offers_min", "offers_max", "match_fandoms",
           "match_characters", "match_relationships", "match_freeforms", "claims_per_prompt")  # fmt: skip
DATES = ("signups_open_at", "signups_close_at", "assignments_due_at")
TAG_KINDS = ("fandom", "character", "relationship", "freeform")


class ProfileForm(forms.Form):
    title = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea, required=False)
    intro = forms.CharField(widget=forms.Textarea, required=False)
    rules = forms.CharField(widget=forms.Textarea, required=False)
    moderated = forms.BooleanField(required=False)
    closed = forms.BooleanField(required=False)
    reveal_at = forms.DateTimeField(required=False, help_text="YYYY-MM-DD HH:MM")


class ChallengeForm(forms.Form):
    signups_open = forms.BooleanField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in NUMBERS:
            self.fields[name] = forms.IntegerField(min_value=0, max_value=100)
        for name in DATES:
            self.fields[name] = forms.DateTimeField(required=False, help_text="YYYY-MM-DD HH:MM")
        for kind in TAG_KINDS:
            self.fields[f"add_{kind}"] = forms.CharField(
                required=False, label=f"Add {kind} tags to the tag set (comma-separated)"
            )


def _initial(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    return {n: getattr(obj, n) for n in names}


@login_required
@require_http_methods(["GET", "POST"])
def collection_settings(request: HttpRequest, name: str) -> HttpResponse:
    collection = _collection(name)
    if not services.is_maintainer(request.user, collection):
        raise Http404("No such page.")
    challenge = getattr(collection, "challenge", None) if collection.challenge_kind else None
    profile = ProfileForm(
        request.POST if request.POST.get("form") == "profile" else None,
        initial=_initial(collection, ("title", "description", "intro", "rules", "moderated", "closed", "reveal_at")),
    )  # fmt: skip
    settings_form = None
    if challenge is not None:
        settings_form = ChallengeForm(
            request.POST if request.POST.get("form") == "challenge" else None,
            initial=_initial(challenge, ("signups_open", *NUMBERS, *DATES)),
        )
    if request.method == "POST":
        try:
            _save(request, collection, profile, settings_form)
        except (ValidationError, PermissionDenied) as exc:
            _fail(request, exc)
        else:
            messages.success(request, _("Settings saved."))
            return redirect("collections:settings", collection.name)
    context = {"collection": collection, "profile": profile, "challenge_form": settings_form,
               "tag_set": challenge.tag_set.select_related("tag") if challenge else []}  # fmt: skip
    return render(request, "collections/settings.html", context)


@transaction.atomic
def _save(request: HttpRequest, collection: Collection, profile: ProfileForm, form: Any) -> None:
    which = request.POST.get("form")
    if which == "profile":
        if not profile.is_valid():
            raise ValidationError(_errors(profile))
        services.collection_update(
            actor=request.user, collection=collection, **profile.cleaned_data
        )
        return
    if which == "challenge" and form is not None:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        data = form.cleaned_data
        values: dict[str, Any] = {k: data[k] for k in ("signups_open", *NUMBERS, *DATES)}
        services.challenge_set(actor=request.user, collection=collection, **values)
        for kind in TAG_KINDS:
            names = split_tag_list(data.get(f"add_{kind}") or "")
            if names:
                services.tag_set_add(
                    actor=request.user, collection=collection, kind=kind, names=names
                )
        return
    raise ValidationError(_("Nothing to save."))


def _errors(form: forms.Form) -> str:
    return " ".join(f"{k}: {' '.join(str(m) for m in v)}" for k, v in form.errors.items())
