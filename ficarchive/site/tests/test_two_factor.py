"""Staff reach the admin only with a second factor: set up an authenticator app at
/account/two_factor, log in to the admin with password and code, or with a recovery code
(once)."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from ficarchive.site import twofactor
from ficarchive.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/?next=/admin/"


def code_for(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def admin_login(client: Client, username: str, token: str, device: str = ""):
    """The admin's log-in form: password, then the device chosen and its code (with more
    than one device, django-otp asks which one rather than trying each)."""
    return client.post(
        LOGIN,
        {"username": username, "password": PASSWORD, "otp_device": device, "otp_token": token},
    )


def test_password_alone_does_not_open_the_admin():
    staff = make_user("staffer", is_staff=True, is_superuser=True)
    client = Client()
    client.login(username="staffer", password=PASSWORD)  # a site log-in, no second factor
    assert client.get("/admin/").status_code == 302
    twofactor.totp_begin(user=staff)
    r = admin_login(client, "staffer", "")
    assert r.status_code == 200 and client.get("/admin/").status_code == 302


def test_setup_then_admin_login_with_a_totp_code():
    """Set-up shows a QR code; the right code turns it on and shows 10 recovery codes; the
    admin log-in takes password and code; a wrong code is refused."""
    make_user("staffer", is_staff=True, is_superuser=True)
    client = Client()
    client.login(username="staffer", password=PASSWORD)
    page = client.get("/account/two_factor").content.decode()
    assert "<svg" in page
    device = TOTPDevice.objects.get(user__username="staffer", confirmed=False)
    wrong = client.post(
        "/account/two_factor", {"action": "confirm", "device": device.pk, "token": "000000"}
    )
    assert "not right" in wrong.content.decode() or code_for(device) == "000000"
    device = TOTPDevice.objects.get(user__username="staffer", confirmed=False)
    r = client.post(
        "/account/two_factor",
        {"action": "confirm", "device": device.pk, "token": code_for(device)},
    )
    codes = re.findall(r"<li><code>(\w+)</code></li>", r.content.decode())
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200  # this session was verified at set-up

    fresh = Client()
    assert admin_login(fresh, "staffer", "123", device.persistent_id).status_code == 200
    assert fresh.get("/admin/").status_code == 302
    device.refresh_from_db()
    device.last_t = -1  # a new log-in may reuse the current time step in this test
    device.throttling_failure_count, device.throttling_failure_timestamp = 0, None
    device.save()
    r = admin_login(fresh, "staffer", code_for(device), device.persistent_id)
    assert r.status_code == 302
    assert fresh.get("/admin/").status_code == 200

    recovery = StaticDevice.objects.get(user=device.user).persistent_id
    other = Client()
    assert admin_login(other, "staffer", codes[0], recovery).status_code == 302
    again = Client()
    assert admin_login(again, "staffer", codes[0], recovery).status_code == 200  # once only
