"""Forms for account pages: they parse input; the rules live in services.py."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ficarchive.core.display import zone_names

from .models import User

if TYPE_CHECKING:  # django-stubs, installed with the dev tools only
    from django_stubs_ext import StrOrPromise

DISPLAY_FIELDS = ("time_zone", "site_skin", "hide_work_skins")


def _zone_choices() -> list[tuple[str, object]]:
    return [("", _("The archive's time zone"))] + [(n, n) for n in sorted(zone_names())]


class SignupForm(forms.Form):
    username = forms.CharField(
        label=_("User name"),
        max_length=40,
        help_text=_(
            "3 to 40 characters: letters (of any script), digits or underscores. You can add other names (pseuds) later."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    email = forms.EmailField(
        label=_("Email"),
        help_text=_("For password resets; never shown to others."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
    )
    password2 = forms.CharField(
        label=_("Confirm password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("password1")
            and cleaned.get("password2")
            and cleaned["password1"] != cleaned["password2"]
        ):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned


class PseudForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=40,
        help_text=_("Up to 40 letters, digits, spaces, dots, hyphens or underscores."),
    )
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=500,
    )
    is_default = forms.BooleanField(label=_("Make this my default pseud"), required=False)


def language_choices() -> list[tuple[str, StrOrPromise]]:
    """The interface languages, each named in itself (as language choosers do), after
    "the browser's language" (the preference left empty)."""
    return [("", _("My browser's language")), *settings.LANGUAGES]


class PreferencesForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("Interface language"), choices=language_choices, required=False
    )
    # A list of the tz database's names; anything else is one clear error, nothing saved.
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=_zone_choices,
        required=False,
        error_messages={"invalid_choice": _("Unknown time zone: choose one from the list.")},
        help_text=_("Dates and times on the archive are shown in this zone."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Left out of a post (older forms, scripts): the skin stays as it is.
        self.fields["site_skin"].required = False

    class Meta:
        model = User
        fields = ["view_adult", "hide_warnings", "hide_freeform", "language", *DISPLAY_FIELDS]
        labels = {
            "site_skin": _("Site skin"),
            "hide_work_skins": _("Hide work skins (you can still choose to show them)"),
            "view_adult": _("Show me adult content without checking"),
            "hide_warnings": _("Hide warnings (you can still choose to show them)"),
            "hide_freeform": _("Hide additional tags (you can still choose to show them)"),
        }


class ProfileForm(forms.Form):
    profile = forms.CharField(
        label=_("About me"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        max_length=2000,
    )


def add_service_errors(
    form: forms.Form, exc: ValidationError, aliases: dict[str, str] | None = None
) -> None:
    """Put a service's ValidationError on the form, field by field where it names fields."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            field = (aliases or {}).get(field, field)
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
