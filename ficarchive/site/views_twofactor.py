"""``/account/two_factor``: set up the authenticator app that staff need for the admin,
and make new recovery codes."""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.accounts.models import User

from . import twofactor


@login_required
def two_factor(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    verified = bool(getattr(user, "is_verified", lambda: False)())
    active = twofactor.has_two_factor(user)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "recovery" and active and verified:
        codes = twofactor.recovery_codes_make(user=user)
        return render(request, "site/two_factor_codes.html", {"codes": codes})
    if active and not verified:
        # Changing the second factor needs it first: log in through the admin with a code.
        return render(
            request,
            "site/two_factor.html",
            {"active": True, "verified": False, "admin_url": "/" + settings.ADMIN_URL},
        )
    error = ""
    if action == "confirm":
        device = TOTPDevice.objects.filter(
            user=user, pk=request.POST.get("device"), confirmed=False
        ).first()
        if device is not None:
            try:
                codes = twofactor.totp_confirm(
                    user=user, device=device, token=request.POST.get("token", "")
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                otp_login(request, device)
                messages.success(request, _("Two-factor authentication is on."))
                return render(request, "site/two_factor_codes.html", {"codes": codes})
        else:
            error = "Start the set-up again, please."
    if active and action != "renew" and not error:
        return render(request, "site/two_factor.html", {"active": True, "verified": True})
    device = twofactor.totp_begin(user=user)
    return render(
        request,
        "site/two_factor.html",
        {
            "active": active,
            "verified": verified,
            "device": device,
            "qr": twofactor.totp_qr_svg(device),
            "secret": twofactor.totp_secret(device),
            "error": error,
        },
    )
