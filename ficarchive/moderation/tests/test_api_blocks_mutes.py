"""`/api/v1/me/blocks` and `/api/v1/me/mutes` (CONTRACT.md), each answer checked against
the OpenAPI description, and what a block does through the API."""

from __future__ import annotations

import pytest

from ficarchive.api.tests.conftest import ApiClient, make_token
from ficarchive.discovery.models import Mute
from ficarchive.feedback.models import Comment, Kudos
from ficarchive.moderation.models import Block
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
def test_add_list_delete(kind, author, user):
    """POST {"user": NAME} makes one (201, then 200 for the same), GET lists it, DELETE
    removes it (204) and a second DELETE is 404."""
    api = ApiClient(make_token(author))
    r = api.post(f"/me/{kind}", {"user": "reader"})
    assert r.status_code == 201 and r.json()["user"] == "reader"
    item_id = r.json()["id"]
    assert api.post(f"/me/{kind}", {"user": "READER"}).status_code == 200
    listed = api.get(f"/me/{kind}").json()["items"]
    assert [i["user"] for i in listed] == ["reader"]
    assert api.delete(f"/me/{kind}/{item_id}").status_code == 204
    assert api.get(f"/me/{kind}").json()["items"] == []
    assert api.delete(f"/me/{kind}/{item_id}").status_code == 404


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
@pytest.mark.parametrize("body", [{"user": ""}, {}, {"user": 5}])
def test_bad_names_are_refused(kind, body, author):
    """A missing or malformed name: 400 with a clear message, nothing stored."""
    r = ApiClient(make_token(author)).post(f"/me/{kind}", body)
    assert r.status_code == 400 and r.json()["error"]["message"]
    assert not Block.objects.exists() and not Mute.objects.exists()


@pytest.mark.parametrize("kind", ["blocks", "mutes"])
def test_unknown_user_is_not_found(kind, author):
    """A user that does not exist is a 404 ``not_found``, as ``POST /subscriptions``
    answers for ``{"user": NAME}`` (docs/api.md, Errors), and nothing is stored."""
    r = ApiClient(make_token(author)).post(f"/me/{kind}", {"user": "nobody_here"})
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found" and r.json()["error"]["message"]
    assert not Block.objects.exists() and not Mute.objects.exists()


def test_blocking_yourself_or_a_guest(author):
    """You cannot block yourself; guests cannot block at all."""
    assert ApiClient(make_token(author)).post("/me/blocks", {"user": "author"}).status_code == 400
    assert ApiClient().post("/me/blocks", {"user": "author"}).status_code == 401


def test_someone_elses_block_is_not_found(author, user):
    """DELETE of another user's block id is 404 and leaves it."""
    block_id = ApiClient(make_token(author)).post("/me/blocks", {"user": "reader"}).json()["id"]
    assert ApiClient(make_token(user)).delete(f"/me/blocks/{block_id}").status_code == 404
    assert Block.objects.filter(pk=block_id).exists()


def test_blocked_user_cannot_comment_reply_or_kudos_through_the_api(author, user, work):
    """Once blocked by the work's creator, the API refuses comments, replies and kudos
    (403) and stores nothing."""
    other = make_user("other")
    parent = Comment.objects.create(work=work, user=other, body="<p>hi</p>")
    ApiClient(make_token(author)).post("/me/blocks", {"user": "reader"})
    reader = ApiClient(make_token(user))
    before = Comment.objects.count()
    r = reader.post(f"/works/{work.pk}/comments", {"body": "hello"})
    assert r.status_code == 403 and "blocked" in r.json()["error"]["message"]
    r = reader.post(f"/works/{work.pk}/comments", {"body": "reply", "parent": parent.pk})
    assert r.status_code == 403
    assert reader.post(f"/works/{work.pk}/kudos").status_code == 403
    assert Comment.objects.count() == before and not Kudos.objects.filter(user=user).exists()
