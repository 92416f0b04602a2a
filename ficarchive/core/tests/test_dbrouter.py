"""Reads to the replica, writes to the primary, and each browser reads its own writes
(``core.dbrouter``). The replica here is a second alias on the test database itself, so
what the router chose is seen in which connection ran the queries."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.db import connections, transaction
from django.http import HttpResponse
from django.test import RequestFactory, TransactionTestCase
from django.test.utils import CaptureQueriesContext

from ficarchive.accounts.models import User
from ficarchive.core import dbrouter
from ficarchive.core.dbrouter import (
    PRIMARY,
    REPLICA,
    REPLICA_PIN_COOKIE,
    PrimaryReplicaRouter,
    ReplicaMiddleware,
)
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work, WorkHit

ROUTER = "ficarchive.core.dbrouter.PrimaryReplicaRouter"


@pytest.fixture
def replica(settings, transactional_db):
    """A ``replica`` alias on the same (committed: transactional) test database, the router
    and the middleware installed, as settings do with DATABASE_REPLICA_URL."""
    connections.settings[REPLICA] = dict(connections[PRIMARY].settings_dict)
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.MIDDLEWARE = ["ficarchive.core.dbrouter.ReplicaMiddleware", *settings.MIDDLEWARE]
    yield connections[REPLICA]
    connections[REPLICA].close()
    del connections.settings[REPLICA]
    if hasattr(connections._connections, REPLICA):
        delattr(connections._connections, REPLICA)


def _through_middleware(request, view):
    seen = {}

    def get_response(req):
        seen["response"] = view(req)
        return seen["response"]

    return ReplicaMiddleware(get_response)(request), seen


def _reads_to(alias_box):
    def view(request):
        alias_box.append(PrimaryReplicaRouter().db_for_read(User))
        return HttpResponse("ok")

    return view


def test_without_a_replica_everything_goes_to_the_primary(db):
    """No DATABASE_REPLICA_URL: the router, if installed anyway, answers default, and the
    middleware sets no cookie."""
    assert not dbrouter.replica_configured()
    aliases: list[str] = []
    response, _ = _through_middleware(RequestFactory().post("/x"), _reads_to(aliases))
    _through_middleware(RequestFactory().get("/x"), _reads_to(aliases))
    assert aliases == [PRIMARY, PRIMARY]
    assert REPLICA_PIN_COOKIE not in response.cookies


def test_the_settings_add_the_replica_only_when_the_url_is_set(monkeypatch):
    import importlib

    import config.settings.base as base

    monkeypatch.setenv("DATABASE_REPLICA_URL", "postgres://u@127.0.0.1:5999/ficarchive")
    monkeypatch.setenv("DATABASE_URL", "postgres://u@127.0.0.1:5998/ficarchive")
    try:
        with_replica = importlib.reload(base)
        assert with_replica.DATABASES["replica"]["PORT"] == 5999
        assert with_replica.DATABASES["replica"]["TEST"] == {"MIRROR": "default"}
        assert with_replica.DATABASE_ROUTERS == [ROUTER]
        assert with_replica.MIDDLEWARE[0] == "ficarchive.core.dbrouter.ReplicaMiddleware"
        monkeypatch.delenv("DATABASE_REPLICA_URL")
        without = importlib.reload(base)
        assert "replica" not in without.DATABASES
        assert without.DATABASE_ROUTERS == []
        assert "ficarchive.core.dbrouter.ReplicaMiddleware" not in without.MIDDLEWARE
    finally:
        monkeypatch.undo()
        importlib.reload(base)


def test_safe_requests_read_the_replica_unsafe_ones_the_primary(replica):
    aliases: list[str] = []
    response, _ = _through_middleware(RequestFactory().get("/works"), _reads_to(aliases))
    assert aliases == [REPLICA]
    assert REPLICA_PIN_COOKIE not in response.cookies
    response, _ = _through_middleware(RequestFactory().post("/works/1/kudos"), _reads_to(aliases))
    assert aliases[-1] == PRIMARY
    pin = response.cookies[REPLICA_PIN_COOKIE]
    assert pin["max-age"] == 5 and pin["httponly"]
    # Outside any request (command line, worker): the primary.
    assert PrimaryReplicaRouter().db_for_read(User) == PRIMARY
    assert PrimaryReplicaRouter().db_for_write(User) == PRIMARY


def test_the_pin_cookie_sends_the_next_reads_to_the_primary_until_it_expires(replica):
    aliases: list[str] = []
    factory = RequestFactory()
    now = time.time()
    for value in (f"{now + 4:.3f}", f"{now - 1:.3f}", f"{now + 3600:.3f}", "junk"):
        factory.cookies[REPLICA_PIN_COOKIE] = value
        _through_middleware(factory.get("/works"), _reads_to(aliases))
    # Pinned; expired; too far ahead to be ours (ignored); not a time.
    assert aliases == [PRIMARY, REPLICA, REPLICA, REPLICA]


def test_an_api_client_signing_with_a_token_reads_its_writes(replica):
    """No cookies: the pin follows the Authorization header (kept in the cache)."""
    aliases: list[str] = []
    mine = {"HTTP_AUTHORIZATION": "Bearer fa_mine"}
    other = {"HTTP_AUTHORIZATION": "Bearer fa_other"}
    _through_middleware(RequestFactory().get("/api/v1/works", **mine), _reads_to(aliases))
    _through_middleware(RequestFactory().post("/api/v1/works", **mine), _reads_to(aliases))
    _through_middleware(RequestFactory().get("/api/v1/works/1", **mine), _reads_to(aliases))
    _through_middleware(RequestFactory().get("/api/v1/works/1", **other), _reads_to(aliases))
    _through_middleware(RequestFactory().get("/api/v1/works/1"), _reads_to(aliases))
    assert aliases == [REPLICA, PRIMARY, PRIMARY, REPLICA, REPLICA]


def test_a_get_that_writes_reads_the_primary_afterwards_and_in_transactions(replica):
    aliases: list[str] = []

    def view(request):
        router = PrimaryReplicaRouter()
        aliases.append(router.db_for_read(User))
        with transaction.atomic():
            aliases.append(router.db_for_read(User))
        aliases.append(router.db_for_read(User))
        router.db_for_write(WorkHit)  # reading the page records a hit: not a switch
        router.db_for_write(Work)  # (its counter)
        aliases.append(router.db_for_read(User))
        router.db_for_write(User)  # a write the view may read back
        aliases.append(router.db_for_read(User))
        return HttpResponse("ok")

    response, _ = _through_middleware(RequestFactory().get("/works/1"), view)
    assert aliases == [REPLICA, PRIMARY, REPLICA, REPLICA, PRIMARY]
    # A GET's incidental write pins only that request, not the browser.
    assert REPLICA_PIN_COOKIE not in response.cookies


class PagesThroughTheReplica(TransactionTestCase):
    """End to end through Django: a guest's /works reads run on the replica connection;
    after posting kudos the same browser's work page is read on the primary."""

    databases = {PRIMARY, REPLICA}

    @classmethod
    def setUpClass(cls):
        connections.settings[REPLICA] = {
            **connections[PRIMARY].settings_dict,
            "TEST": {"MIRROR": PRIMARY},
        }
        cls.addClassCleanup(cls._drop_replica)
        super().setUpClass()

    @classmethod
    def _drop_replica(cls):
        connections[REPLICA].close()
        del connections.settings[REPLICA]
        if hasattr(connections._connections, REPLICA):
            delattr(connections._connections, REPLICA)

    def test_reads_go_to_the_replica_and_a_writer_sees_its_write_next(self):
        middleware = ["ficarchive.core.dbrouter.ReplicaMiddleware", *settings.MIDDLEWARE]
        with self.settings(DATABASE_ROUTERS=[ROUTER], MIDDLEWARE=middleware):
            self._run()

    def _run(self):
        replica, client = connections[REPLICA], self.client
        author, reader = make_user("replauthor"), make_user("replreader")
        work = make_work(author, title="Replicated")
        with CaptureQueriesContext(replica) as on_replica:
            assert client.get("/works").status_code == 200
        assert any("works_work" in q["sql"] for q in on_replica.captured_queries)
        client.force_login(reader)
        response = client.post(f"/works/{work.pk}/kudos", {})
        assert response.status_code in (200, 302)
        assert REPLICA_PIN_COOKIE in client.cookies
        with CaptureQueriesContext(replica) as on_replica:
            with CaptureQueriesContext(connections[PRIMARY]) as on_primary:
                assert client.get(f"/works/{work.pk}").status_code == 200
        assert on_replica.captured_queries == []
        assert any("works_work" in q["sql"] for q in on_primary.captured_queries)
        # Once the pin has gone, reads go back to the replica.
        client.cookies.pop(REPLICA_PIN_COOKIE)
        with CaptureQueriesContext(replica) as on_replica:
            assert client.get(f"/works/{work.pk}").status_code == 200
        assert any("works_work" in q["sql"] for q in on_replica.captured_queries)
