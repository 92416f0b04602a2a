"""A user's profile offers Block and Mute (AO3 has both there), each behind a confirming
step that says what it does, posting to the same door as /blocked_users; never on one's
own profile nor to guests; once blocked or muted, the profile offers Unblock or Unmute."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from ficarchive.discovery.models import Mute
from ficarchive.moderation.models import Block

pytestmark = pytest.mark.django_db

DOOR = reverse("moderation:blocked_users")


def _profile(client, owner) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(
        client.get(reverse("accounts:profile", args=[owner.username])).content
    )


def _button(page, action: str):
    found = page.xpath(f'//form[@action="{DOOR}"]//button[@name="action"][@value="{action}"]')
    return found[0] if found else None


def test_profile_offers_block_and_mute_behind_a_confirmation(client, user, author):
    client.force_login(user)
    page = _profile(client, author)
    for action in ("block", "mute"):
        button = _button(page, action)
        assert button is not None, action
        form = button.xpath("ancestor::form")[0]
        assert form.get("method") == "post"
        assert form.xpath('.//input[@name="user"]/@value') == ["author"]
        assert button.xpath("ancestor::details"), f"{action} is not behind a confirmation"
    client.post(DOOR, {"user": "author", "action": "block"})
    client.post(DOOR, {"user": "author", "action": "mute"})
    assert Block.objects.filter(blocker=user, blocked=author).exists()
    assert Mute.objects.filter(user=user, creator=author).exists()
    page = _profile(client, author)
    assert _button(page, "block") is None and _button(page, "mute") is None
    assert page.xpath('//button[text()="Unblock"]') and page.xpath('//button[text()="Unmute"]')


def test_no_block_or_mute_on_ones_own_profile_or_for_guests(client, user):
    assert _button(_profile(client, user), "block") is None
    client.force_login(user)
    page = _profile(client, user)
    assert _button(page, "block") is None and _button(page, "mute") is None
