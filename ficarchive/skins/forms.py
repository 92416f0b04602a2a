from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.models import SiteSkin

from .sanitize import MAX_CSS_CHARS


class SiteSkinForm(forms.Form):
    skin = forms.ChoiceField(
        label=_("Site skin"),
        choices=SiteSkin.choices,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Unknown site skin.")},
    )


class WorkSkinForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=100)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=500,
    )
    css = forms.CharField(
        label=_("CSS"),
        widget=forms.Textarea(attrs={"rows": 16, "class": "body", "spellcheck": "false"}),
        required=False,
        max_length=MAX_CSS_CHARS,
        help_text=_(
            "Rules apply only inside the work's text (under #workskin). Images, fonts and "
            "imports from elsewhere, fixed positions and scripts are removed."
        ),
    )


class WorkSkinChoiceForm(forms.Form):
    skin = forms.TypedChoiceField(
        label=_("Work skin"), coerce=int, empty_value=None, required=False
    )

    def __init__(self, *args: object, skins: list, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["skin"].choices = [("", _("None"))] + [(s.pk, s.title) for s in skins]  # type: ignore[attr-defined]
