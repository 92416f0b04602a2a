"""Forms of moderation's pages: the abuse report and blocking a user."""

from __future__ import annotations

from django import forms

from .models import ReportKind, ReportReason


class ReportForm(forms.Form):
    kind = forms.ChoiceField(label="What are you reporting?", choices=ReportKind.choices)
    target = forms.CharField(
        label="Which one", max_length=150, help_text="Its number, or the user's or tag's name."
    )
    reason = forms.ChoiceField(label="Reason", choices=ReportReason.choices)
    details = forms.CharField(
        label="Details", required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=10_000
    )
    email = forms.EmailField(
        label="Your email (optional)",
        required=False,
        help_text="Leave an address to hear what we decided.",
    )
    url = forms.CharField(widget=forms.HiddenInput, required=False, max_length=500)


class BlockForm(forms.Form):
    user = forms.CharField(label="User name", max_length=40)
