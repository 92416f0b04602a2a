"""In headless Chromium: join the invite queue, get the invitation by mail, sign up
through its link, and post once the address is confirmed; an admin logs in with a TOTP
code."""

from __future__ import annotations

import os
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django_otp.oath import totp

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.testing import PASSWORD, make_user

os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # Playwright's sync API runs an event loop

GOOD = "quiet-river-lantern-88"


def _path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_invite_queue_sign_up_with_email_confirmation(live_server, browser):
    base = live_server.url
    call_command("site", "signup", "queue")
    page = browser.new_page()
    page.set_default_timeout(15_000)

    page.goto(f"{base}/invite_requests")
    page.fill("#id_email", "queued@example.org")
    page.click("button:has-text('Add Me to the List')")
    assert "number 1 in the queue" in page.content()

    call_command("site", "queue-send")
    jobs_run_pending()
    invitation = mail.outbox[-1]
    assert invitation.to == ["queued@example.org"]
    signup = re.search(r"https?://\S+/signup\?invitation=\S+", invitation.body).group(0)
    page.goto(base + _path(signup))
    assert page.input_value("#id_invitation")
    page.fill("#id_username", "queued_writer")
    page.fill("#id_email", "queued@example.org")
    page.fill("#id_password1", GOOD)
    page.fill("#id_password2", GOOD)
    page.click("button:has-text('Create Account')")
    page.wait_for_url(f"{base}/users/queued_writer")
    # The invitation came to this address: it is confirmed already, so posting opens.
    page.goto(f"{base}/works/new")
    assert page.locator("#id_title").count() == 1

    # A second person signs up with the same (now used) code: refused, nothing made.
    other = browser.new_page()
    other.goto(base + _path(signup))
    other.fill("#id_username", "second_try")
    other.fill("#id_email", "second@example.org")
    other.fill("#id_password1", GOOD)
    other.fill("#id_password2", GOOD)
    other.click("button:has-text('Create Account')")
    assert "already been used" in other.content()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_logs_in_with_a_totp_code(live_server, browser):
    """A staff account sets up its authenticator, then logs in to the admin with password
    and the app's code."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    make_user("staffer", is_staff=True, is_superuser=True)
    base = live_server.url
    page = browser.new_page()
    page.set_default_timeout(15_000)
    page.goto(f"{base}/login")
    page.fill("#id_username", "staffer")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.goto(f"{base}/admin/")
    assert "/admin/login/" in page.url  # a password alone does not open the admin

    page.goto(f"{base}/account/two_factor")
    assert page.locator(".qr svg").count() == 1
    device = TOTPDevice.objects.get(user__username="staffer", confirmed=False)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("button:has-text('Turn On')")
    assert page.locator(".recovery-codes li").count() == 10

    fresh = browser.new_context().new_page()
    fresh.set_default_timeout(15_000)
    fresh.goto(f"{base}/admin/login/?next=/admin/")
    fresh.fill("#id_username", "staffer")
    fresh.fill("#id_password", PASSWORD)
    device.refresh_from_db()
    device.last_t = -1  # the set-up used this time step's code a moment ago
    device.save(update_fields=["last_t"])
    fresh.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    fresh.click("input[type=submit]")
    # With two devices (the app and the recovery codes) django-otp asks which one, once
    # it knows who is logging in, rather than trying each.
    assert "select a device" in fresh.content()
    fresh.fill("#id_password", PASSWORD)
    fresh.select_option("#id_otp_device", label="Authenticator app")
    fresh.fill("#id_otp_token", f"{totp(device.bin_key):06d}")
    fresh.click("input[type=submit]")
    fresh.wait_for_url(f"{base}/admin/")
    assert "Site administration" in fresh.content()
