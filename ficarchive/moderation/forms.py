"""Forms of moderation's pages: the abuse report and blocking a user."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ReportKind, ReportReason


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What are you reporting?"), choices=ReportKind.choices)
    target = forms.CharField(
        label=_("Which one"),
        max_length=150,
        help_text=_("Its number, or the user's or tag's name."),
    )
    reason = forms.ChoiceField(label=_("Reason"), choices=ReportReason.choices)
    details = forms.CharField(
        label=_("Details"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=10_000,
    )
    email = forms.EmailField(
        label=_("Your email (optional)"),
        required=False,
        help_text=_("Leave an address to hear what we decided."),
    )
    url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class BlockForm(forms.Form):
    user = forms.CharField(label=_("User name"), max_length=40)
