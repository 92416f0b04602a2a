"""Errors keep one shape across the API (docs/api.md, Conventions): a bad query parameter
is 400 ``invalid_parameter`` and a bad body field 400 ``invalid``, each with ``fields``
naming what is at fault, and nothing changes."""

from __future__ import annotations

import pytest

from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db


def _error(response, status: int = 400) -> dict:
    assert response.status_code == status, response.content
    error = response.json()["error"]
    assert "\n" not in error["message"]
    return error


@pytest.mark.parametrize(
    ("path", "field"),
    [
        ("/me/reading_list?status=bogus", "status"),
        ("/me/notifications?kind=bogus", "kind"),
        ("/me/notifications?unread=maybe", "unread"),
    ],
)
def test_bad_query_parameters_are_invalid_parameter(author_api, path, field):
    """The same code and ``fields`` as the browse filters' bad values."""
    error = _error(author_api.get(path))
    assert error["code"] == "invalid_parameter" and list(error["fields"]) == [field]


def test_reading_settings_name_the_bad_field(author_api):
    """A flag that is not true/false names its field; the settings stay as they were."""
    before = author_api.get("/me/reading_settings").json()
    error = _error(author_api.patch("/me/reading_settings", {"history_enabled": "yes"}))
    assert error["code"] == "invalid" and list(error["fields"]) == ["history_enabled"]
    assert author_api.get("/me/reading_settings").json() == before


def test_mail_preferences_name_the_bad_kind(author_api):
    """A bad kind or a bad value for one kind names that kind."""
    for body, field in (
        ({"bogus": {"enabled": True}}, "bogus"),
        ({"kudos": {"enabled": "no"}}, "kudos"),
        ({"comment": {"frequency": "weekly"}}, "comment"),
    ):
        error = _error(author_api.request("put", "/me/mail-preferences", body))
        assert error["code"] == "invalid" and list(error["fields"]) == [field]


def test_chapter_order_names_chapter_ids(author, author_api):
    """Chapter ids that are not the work's chapters, each once: ``chapter_ids`` named, the
    order unchanged."""
    work = make_work(author, chapters=("One.", "Two."))
    ids = list(work.chapters.order_by("position").values_list("pk", flat=True))
    for wrong in ([ids[0]], [ids[0], ids[0]], [ids[1], 999999]):
        error = _error(
            author_api.request("put", f"/works/{work.pk}/chapters/order", {"chapter_ids": wrong})
        )
        assert error["code"] == "invalid" and list(error["fields"]) == ["chapter_ids"]
    assert list(work.chapters.order_by("position").values_list("pk", flat=True)) == ids


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
def test_blocks_and_mutes_are_pages_like_every_list(author_api, kind):
    """``/me/blocks`` and ``/me/mutes`` page as the other lists do: ``next_cursor`` and
    ``next``, ``limit`` honoured, a bad ``limit`` or ``cursor`` refused (was: every row,
    bad parameters ignored)."""
    from ficarchive.testing import make_user

    for name in ("rel_one", "rel_two", "rel_three"):
        make_user(name)
        assert author_api.post(f"/me/{kind}", {"user": name}).status_code == 201
    first = author_api.get(f"/me/{kind}", limit=2).json()
    assert [i["user"] for i in first["items"]] == ["rel_three", "rel_two"]
    rest = author_api.get(f"/me/{kind}", limit=2, cursor=first["next_cursor"]).json()
    assert [i["user"] for i in rest["items"]] == ["rel_one"] and rest["next_cursor"] is None
    assert _error(author_api.get(f"/me/{kind}", limit=0))["code"] == "invalid_parameter"
    assert _error(author_api.get(f"/me/{kind}", cursor="zz"))["code"] == "invalid_cursor"


def test_subscribing_to_yourself_names_user(author_api):
    """``{"user": your own name}``: 400 ``invalid`` naming ``user``, nothing made."""
    error = _error(author_api.post("/subscriptions", {"user": "author"}))
    assert error["code"] == "invalid" and list(error["fields"]) == ["user"]
    assert author_api.get("/subscriptions").json()["items"] == []


def test_stats_year_and_notification_ids_are_named(author_api):
    """``/me/stats?year=abc`` is a bad parameter named ``year``; a bad body of
    ``/me/notifications/read`` names ``ids``."""
    error = _error(author_api.get("/me/stats", year="abc"))
    assert error["code"] == "invalid_parameter" and list(error["fields"]) == ["year"]
    for body in ({}, {"ids": "x"}, {"ids": [0]}):
        error = _error(author_api.post("/me/notifications/read", body))
        assert error["code"] == "invalid" and list(error["fields"]) == ["ids"]


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
def test_one_block_or_mute_reads_like_one_subscription(author_api, reader_api, kind):
    """``GET /me/blocks/{id}`` (and mutes) answers the item to its owner, 404 to anyone
    else, as ``GET /subscriptions/{id}`` does (was 405)."""
    from ficarchive.testing import make_user

    make_user("rel_target")
    made = author_api.post(f"/me/{kind}", {"user": "rel_target"}).json()
    assert author_api.get(f"/me/{kind}/{made['id']}").json() == made
    assert _error(reader_api.get(f"/me/{kind}/{made['id']}"), 404)["code"] == "not_found"


def test_a_posted_work_cannot_be_patched_back_to_draft(author, author_api):
    """``"posted": false`` on a posted work: 400 naming ``posted``, the work unchanged
    (was 200 with the flag silently kept)."""
    work = make_work(author, title="Out There")
    error = _error(author_api.patch(f"/works/{work.pk}", {"posted": False, "title": "Back"}))
    assert error["code"] == "invalid" and list(error["fields"]) == ["posted"]
    work.refresh_from_db()
    assert work.posted and work.title == "Out There"
    assert author_api.patch(f"/works/{work.pk}", {"posted": True}).status_code == 200
