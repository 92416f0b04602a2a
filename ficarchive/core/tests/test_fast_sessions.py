"""The session store (``core.sessions``) and the backend's ``get_user`` read their rows as
plain SQL and give what Django's reads gave: the same session data, no session once it
expired or was flushed (log-out), no user once deactivated or deleted, every field of the
user the same."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.sessions.backends import db
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core.auth_backends import LockoutModelBackend
from ficarchive.core.sessions import SessionStore
from ficarchive.testing import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def _fields(user):
    return {f.attname: getattr(user, f.attname) for f in User._meta.concrete_fields}


def test_the_store_is_the_engine_without_redis():
    if not settings.REDIS_URL:
        assert settings.SESSION_ENGINE == "ficarchive.core.sessions"


def test_a_session_reads_as_djangos_db_store_reads_it():
    store = SessionStore()
    store["answer"] = 42
    store["name"] = "ü & <b>"
    store.save()
    fast, django = SessionStore(store.session_key), db.SessionStore(store.session_key)
    assert fast.load() == django.load() == {"answer": 42, "name": "ü & <b>"}
    assert fast.session_key == store.session_key


def test_an_expired_or_unknown_session_is_none():
    store = SessionStore()
    store["x"] = 1
    store.save()
    Session.objects.filter(session_key=store.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1)
    )
    expired = SessionStore(store.session_key)
    assert expired.load() == db.SessionStore(store.session_key).load() == {}
    assert expired.session_key is None
    unknown = SessionStore("a" * 32)
    assert unknown.load() == {} and unknown.session_key is None
    assert SessionStore(None).load() == {}


def test_logout_ends_the_session_for_its_cookie():
    user = make_user("sessionreader")
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert client.get("/works").wsgi_request.user == user
    client.post("/logout")
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert not replay.get("/works").wsgi_request.user.is_authenticated


def test_get_user_matches_djangos_and_refuses_inactive_and_deleted():
    user = make_user("backendreader")
    fast, django = LockoutModelBackend().get_user(user.pk), ModelBackend().get_user(user.pk)
    assert _fields(fast) == _fields(django) and fast._state.db == django._state.db
    assert not fast._state.adding
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert LockoutModelBackend().get_user(user.pk) is None is ModelBackend().get_user(user.pk)
    assert LockoutModelBackend().get_user(999_999) is None
