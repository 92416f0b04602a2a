"""Two-factor authentication for staff (django-otp): an authenticator app (TOTP, RFC 6238)
and recovery codes (django-otp's static tokens, each usable once). The admin site is
django-otp's ``OTPAdminSite`` (config/urls.py): a staff account reaches it only with a
session verified by one of these devices. Staff set theirs up at ``/account/two_factor``.
"""

from __future__ import annotations

import base64

import segno
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.models import User
from ficarchive.core.audit import audit_record

RECOVERY_CODES = 10
TOTP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def totp_device(user: User, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).first()


def has_two_factor(user: User) -> bool:
    """True when the account has a confirmed authenticator app."""
    return totp_device(user) is not None


@transaction.atomic
def totp_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator device for the account (an earlier unconfirmed one
    is replaced). It counts once ``totp_confirm`` sees a code from it."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name=TOTP_NAME, confirmed=False)


def totp_secret(device: TOTPDevice) -> str:
    """The key in base32, for typing into an app that cannot scan."""
    return base64.b32encode(device.bin_key).decode().rstrip("=")


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// address as an inline SVG QR code (segno)."""
    return segno.make(device.config_url, error="m").svg_inline(scale=4, dark="#000", light="#fff")


@transaction.atomic
def totp_confirm(*, user: User, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code from it; the account's earlier authenticator
    is retired and new recovery codes are made (returned once, never shown again).
    ValidationError when the code is wrong."""
    if device.user_id != user.pk or device.confirmed:
        raise ValidationError(_("Start the set-up again, please."))
    if not device.verify_token((token or "").replace(" ", "")):
        raise ValidationError(
            {"token": [_("That code is not right. Check the time on your phone.")]}
        )
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    audit_record(actor=user, action="two_factor.enable", target=user.username)
    return recovery_codes_make(user=user)


@transaction.atomic
def recovery_codes_make(*, user: User) -> list[str]:
    """A fresh set of recovery codes (the old ones stop working)."""
    device, _created = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _i in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=device, token=c) for c in codes])
    return codes
