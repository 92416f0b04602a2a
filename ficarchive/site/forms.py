"""Forms of the site app: sign-up (the accounts form plus an invitation code and the terms
of service), the invite queue, changing the email address, deleting the account."""

from __future__ import annotations

from django import forms

from ficarchive.accounts.forms import SignupForm as AccountSignupForm


class SignupForm(AccountSignupForm):
    invitation = forms.CharField(
        label="Invitation code",
        max_length=40,
        required=False,
        help_text="The code from your invitation email.",
    )
    tos = forms.BooleanField(
        label="I have read and accept the Terms of Service, the Content Policy and the Privacy Policy",
        required=False,
    )

    def __init__(self, *args, needs_tos: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not needs_tos:
            del self.fields["tos"]


class InviteRequestForm(forms.Form):
    email = forms.EmailField(
        label="Email", widget=forms.EmailInput(attrs={"autocomplete": "email"})
    )


class EmailChangeForm(forms.Form):
    email = forms.EmailField(label="New email")
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)


class AccountDeleteForm(forms.Form):
    works = forms.ChoiceField(
        label="My works",
        choices=[
            ("orphan", "Orphan my works: keep them on the archive under orphan_account"),
            ("delete", "Delete my works"),
        ],
        widget=forms.RadioSelect,
    )
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)


class InvitationsForm(forms.Form):
    count = forms.IntegerField(min_value=1, max_value=100, initial=1)
    email = forms.EmailField(required=False, help_text="Mail the code to this address (optional).")


class RenameForm(forms.Form):
    username = forms.CharField(
        label="New user name", max_length=40, help_text="3 to 40 letters, digits or underscores."
    )
    password = forms.CharField(label="Your password", strip=False, widget=forms.PasswordInput)
