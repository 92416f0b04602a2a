"""Forms for collections and sign-ups (thin: the services validate)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.tags.services import split_tag_list

from .models import ChallengeKind
from .services.challenges import KINDS, PromptInput


class CollectionForm(forms.Form):
    name = forms.CharField(
        max_length=255, help_text=_("Letters, numbers and underscores: its address.")
    )
    title = forms.CharField(max_length=255)
    description = forms.CharField(widget=forms.Textarea, required=False)
    rules = forms.CharField(widget=forms.Textarea, required=False)
    moderated = forms.BooleanField(required=False)
    closed = forms.BooleanField(required=False)
    anonymous = forms.BooleanField(required=False, label=_("Anonymous (creators hidden)"))
    unrevealed = forms.BooleanField(required=False, label=_("Unrevealed (works hidden)"))
    challenge = forms.ChoiceField(choices=ChallengeKind.choices, required=False)

    def service_args(self) -> dict[str, Any]:
        return dict(self.cleaned_data)


# The sign-up form's labels: "Request 1: fandoms" (the field names stay English).
LABELS = {"request": _("Request %(n)s: %(key)s"), "offer": _("Offer %(n)s: %(key)s")}
KIND_NAMES = {
    "fandoms": _("fandoms"),
    "characters": _("characters"),
    "relationships": _("relationships"),
    "freeforms": _("additional tags"),
}


class SignupForm(forms.Form):
    """Requests and offers, each a set of tags per kind typed comma-separated, and a
    description. ``requests`` and ``offers`` are how many of each to show."""

    def __init__(self, *args: Any, requests: int, offers: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.counts = {"request": requests, "offer": offers}
        for side, count in self.counts.items():
            for n in range(1, count + 1):
                for key in KINDS:
                    self.fields[f"{side}_{n}_{key}"] = forms.CharField(
                        required=False,
                        label=LABELS[side] % {"n": n, "key": KIND_NAMES[key]},
                        max_length=2000,
                    )
                self.fields[f"{side}_{n}_description"] = forms.CharField(
                    required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=5000,
                    label=LABELS[side] % {"n": n, "key": _("description")},
                )  # fmt: skip

    def prompts(self, side: str) -> list[PromptInput]:
        """The filled-in prompts of one side (an empty row is left out)."""
        out = []
        for n in range(1, self.counts[side] + 1):
            tags = {
                kind: split_tag_list(self.cleaned_data.get(f"{side}_{n}_{key}") or "")
                for key, kind in KINDS.items()
            }
            tags = {k: v for k, v in tags.items() if v}
            description = self.cleaned_data.get(f"{side}_{n}_description") or ""
            if tags or description.strip():
                out.append(PromptInput(tags=tags, description=description))
        return out

    @property
    def request_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("request")

    @property
    def offer_rows(self) -> list[list[forms.BoundField]]:
        return self.rows("offer")

    def rows(self, side: str) -> list[list[forms.BoundField]]:
        return [
            [self[f"{side}_{n}_{key}"] for key in (*KINDS, "description")]
            for n in range(1, self.counts[side] + 1)
        ]


def posted_id(data: Mapping[str, Any], key: str) -> int:
    """The row id a form posted under ``key`` (a hidden field or a button's value), or 0 when
    it is missing or not a whole number, so a tampered or stale form finds no row (and
    gets its "No such ..." message) instead of a server error from the database lookup."""
    value = str(data.get(key) or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return 0  # 18 digits stay inside a 64-bit integer column
    return int(value)
