"""Forms of the site app: sign-up (the accounts form plus an invitation code and the terms
of service), the invite queue, changing the email address, deleting the account."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ficarchive.accounts.forms import SignupForm as AccountSignupForm


class SignupForm(AccountSignupForm):
    invitation = forms.CharField(
        label=_("Invitation code"),
        max_length=40,
        required=False,
        help_text=_("The code from your invitation email."),
    )
    tos = forms.BooleanField(
        label=_(
            "I have read and accept the Terms of Service, the Content Policy and the Privacy Policy"
        ),
        required=False,
    )

    def __init__(self, *args, needs_tos: bool = False, needs_invitation: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_tos:
            del self.fields["tos"]
        # An archive taking members by invitation says so on the field (``required`` and
        # its error beside it), not only in a refusal after the whole form is filled in.
        invitation = self.fields["invitation"]
        invitation.required = needs_invitation
        invitation.error_messages["required"] = _("Signing up here needs an invitation code.")


class InviteRequestForm(forms.Form):
    email = forms.EmailField(
        label=_("Email"), widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label=_("New email"))
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)


class AccountDeleteForm(forms.Form):
    works = forms.ChoiceField(
        label=_("My works"),
        choices=[
            ("orphan", _("Orphan my works: keep them on the archive under orphan_account")),
            ("delete", _("Delete my works")),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)


class InvitationsForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=100, initial=1)
    email = forms.EmailField(
        required=False, help_text=_("Mail the code to this address (optional).")
    )


class RenameForm(forms.Form):
    username = forms.CharField(
        label=_("New user name"),
        max_length=40,
        help_text=_("3 to 40 letters, digits or underscores."),
    )
    password = forms.CharField(label=_("Your password"), strip=False, widget=forms.PasswordInput)
