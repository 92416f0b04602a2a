"""GET /api/v1/me/notifications, POST /api/v1/me/notifications/read and GET/PUT
/api/v1/me/mail-preferences (issue 13): read tokens read, write tokens change, bad input
is one 400 line and changes nothing."""

from __future__ import annotations

import pytest

from ficarchive.core.jobs import jobs_run_pending
from ficarchive.feedback.services import kudos_give
from ficarchive.notify.models import MailPreference, Notification
from ficarchive.notify.services import subscription_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add, work_hide

from .conftest import ApiClient, make_token

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def worker_mode(settings):
    settings.FICARCHIVE_TASK_MODE = "worker"
    settings.SITE_URL = "http://testserver"


def _put(api: ApiClient, data):
    return api.request("put", "/me/mail-preferences", data)


@pytest.fixture
def updates(user, author):
    """The reader follows a work that gets a chapter, and left kudos (the author's)."""
    work = make_work(author, title="Serial")
    jobs_run_pending()
    subscription_create(actor=user, work=work.pk)
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="Two."))
    kudos_give(actor=user, work=work)
    jobs_run_pending()
    return work


def test_list_page_filter_and_mark_read(user, author, updates, reader_api, author_api):
    listing = reader_api.get("/me/notifications").json()
    (item,) = listing["items"]
    assert item["kind"] == "subscription" and item["subject"] == "chapter"
    assert item["work"] == updates.pk and not item["read"]
    assert "Serial" in item["headline"] and item["url"].startswith("http://testserver/works/")
    # The author hears of the kudos; paging walks one at a time.
    mine = author_api.get("/me/notifications", limit=1).json()
    assert [i["kind"] for i in mine["items"]] == ["kudos"] and mine["next_cursor"] is None
    assert author_api.get("/me/notifications", kind="gift").json()["items"] == []
    # Marking another reader's notification changes nothing.
    assert author_api.post("/me/notifications/read", {"ids": [item["id"]]}).json() == {"marked": 0}
    assert reader_api.post("/me/notifications/read", {"ids": [item["id"]]}).json() == {"marked": 1}
    assert reader_api.get("/me/notifications", unread="true").json()["items"] == []
    assert author_api.post("/me/notifications/read", {"all": True}).json() == {"marked": 1}
    assert not Notification.objects.filter(read=False).exists()


def test_paging_and_lost_sight(user, author, admin_user, reader_api):
    works = [make_work(author, title=f"W{i}") for i in range(3)]
    jobs_run_pending()
    for work in works:
        subscription_create(actor=user, work=work.pk)
        chapter_add(actor=author, work=work, chapter=ChapterInput(body="More."))
    jobs_run_pending()
    first = reader_api.get("/me/notifications", limit=2).json()
    assert [i["work"] for i in first["items"]] == [works[2].pk, works[1].pk]
    rest = reader_api.get("/me/notifications", limit=2, cursor=first["next_cursor"]).json()
    assert [i["work"] for i in rest["items"]] == [works[0].pk]
    work_hide(actor=admin_user, work=works[1], hidden=True)
    shown = reader_api.get("/me/notifications").json()["items"]
    assert [i["work"] for i in shown] == [works[2].pk, works[0].pk]


def test_bad_input_and_scopes(user, updates, reader_api, guest_api):
    for body in ({}, {"ids": []}, {"ids": ["x"]}, {"all": False}, {"ids": [1], "all": True}):
        answer = reader_api.post("/me/notifications/read", body)
        assert answer.status_code == 400 and answer.json()["error"]["message"]
    assert reader_api.get("/me/notifications", kind="spam").status_code == 400
    assert guest_api.get("/me/notifications").status_code == 401
    read_only = ApiClient(make_token(user, scope="read"))
    assert read_only.get("/me/notifications").status_code == 200
    assert read_only.post("/me/notifications/read", {"all": True}).status_code == 403
    assert read_only.get("/me/mail-preferences").status_code == 200
    assert _put(read_only, {"kudos": {"enabled": False}}).status_code == 403
    assert not Notification.objects.filter(read=True).exists()


def test_mail_preferences(user, reader_api):
    prefs = reader_api.get("/me/mail-preferences").json()
    assert prefs["kudos"] == {"enabled": True, "frequency": "daily"}  # AO3's daily batch
    assert prefs["comment"] == {"enabled": True, "frequency": "immediate"}
    changed = _put(
        reader_api, {"kudos": {"enabled": False}, "subscription": {"frequency": "hourly"}}
    ).json()
    assert changed["kudos"] == {"enabled": False, "frequency": None}
    assert changed["subscription"] == {"enabled": True, "frequency": "hourly"}
    assert changed["gift"] == {"enabled": True, "frequency": "immediate"}
    back_on = _put(reader_api, {"kudos": {"enabled": True}}).json()
    assert back_on["kudos"] == {"enabled": True, "frequency": "daily"}
    other = make_user("other")
    assert not MailPreference.objects.filter(user=other).exists()


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"spam": {"enabled": False}},
        {"kudos": {"frequency": "weekly"}},
        {"kudos": {"enabled": "no"}},
        {"kudos": {"enabled": False, "frequency": "daily"}},
        {"kudos": "off"},
        {"kudos": {"colour": "red"}},
        {"gift": {"enabled": False}, "kudos": {"frequency": "monthly"}},
    ],
)
def test_mail_preferences_bad_input_changes_nothing(user, reader_api, body):
    answer = _put(reader_api, body)
    assert answer.status_code == 400
    message = answer.json()["error"]["message"]
    assert message and "\n" not in message
    assert not MailPreference.objects.filter(user=user).exists()
