"""The email preferences page: each kind off, immediately, hourly or daily."""

from __future__ import annotations

import pytest

from ficarchive.notify.models import MailPreference
from ficarchive.notify.selectors import mail_preferences_of
from ficarchive.testing import PASSWORD

pytestmark = pytest.mark.django_db


def test_defaults_as_ao3(user):
    prefs = mail_preferences_of(user)
    assert prefs["kudos"] == "daily"
    assert prefs["subscription"] == prefs["comment"] == prefs["reply"] == "immediate"


def test_page_saves_choices(client, user):
    client.login(username=user.username, password=PASSWORD)
    url = f"/users/{user.username}/notifications/preferences"
    page = client.get(url).content.decode()
    assert 'name="kudos"' in page and 'value="daily" selected' in page
    data = {
        "subscription": "hourly",
        "comment": "off",
        "reply": "immediate",
        "kudos": "daily",
        "gift": "daily",
    }
    assert client.post(url, data).status_code == 302
    assert mail_preferences_of(user) == data


def test_bad_choice_changes_nothing(client, user):
    client.login(username=user.username, password=PASSWORD)
    url = f"/users/{user.username}/notifications/preferences"
    data = {
        "subscription": "weekly",
        "comment": "off",
        "reply": "immediate",
        "kudos": "daily",
        "gift": "daily",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Unknown mail setting" in response.content.decode()
    assert not MailPreference.objects.exists()


def test_only_your_own(client, user, author):
    client.login(username=user.username, password=PASSWORD)
    assert client.get(f"/users/{author.username}/notifications/preferences").status_code == 404
