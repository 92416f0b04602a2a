"""Forms for responses: they parse input; rules and limits live in services.py."""

from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

from .services import BOOKMARK_NOTES_MAX, COMMENT_MAX, GUEST_NAME_MAX
from .spam import HONEYPOT_LABEL


class CommentForm(forms.Form):
    # The limit is the service's; the form only stops absurd posts early.
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=COMMENT_MAX * 2,
        strip=False,
        help_text=format_lazy(
            gettext_lazy("Plain text or simple HTML, up to {max} characters."),
            max=f"{COMMENT_MAX:,}",
        ),
    )
    guest_name = forms.CharField(
        label=gettext_lazy("Guest name"), max_length=GUEST_NAME_MAX, required=False
    )
    guest_email = forms.CharField(
        label=gettext_lazy("Guest email"),
        max_length=254,
        required=False,
        help_text=gettext_lazy("Not shown to anyone; required."),
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)
    chapter = forms.IntegerField(required=False, widget=forms.HiddenInput)
    # The commenter's pseud (logged-in users with more than one); the service checks it is theirs.
    pseud = forms.IntegerField(label=gettext_lazy("Comment as"), required=False, min_value=1)
    # The honeypot (spam.py): hidden by CSS, so only bots fill it; the view checks it first.
    homepage = forms.CharField(
        label=HONEYPOT_LABEL,
        required=False,
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )


class CommentEditForm(forms.Form):
    body = forms.CharField(
        label=gettext_lazy("Comment"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=COMMENT_MAX * 2,
        strip=False,
    )


class BookmarkForm(forms.Form):
    notes = forms.CharField(
        label=gettext_lazy("Notes"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=BOOKMARK_NOTES_MAX * 2,
        help_text=format_lazy(
            gettext_lazy("Up to {max} characters."), max=f"{BOOKMARK_NOTES_MAX:,}"
        ),
    )
    tags = forms.CharField(
        label=gettext_lazy("Your tags"),
        required=False,
        max_length=5000,
        help_text=gettext_lazy("Comma separated; these are yours, not the creator's."),
    )
    pseud = forms.TypedChoiceField(
        label=gettext_lazy("Bookmarker's pseud"), coerce=int, required=False
    )
    private = forms.BooleanField(label=gettext_lazy("Private bookmark"), required=False)
    rec = forms.BooleanField(
        label=gettext_lazy("Rec"),
        required=False,
        help_text=gettext_lazy("Recommend this work to others."),
    )

    def __init__(self, *args, pseuds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.pseuds = {p.pk: p for p in pseuds}
        self.fields["pseud"].choices = [(p.pk, p.name) for p in pseuds]
        if len(self.pseuds) <= 1:
            self.fields["pseud"].widget = forms.HiddenInput()
