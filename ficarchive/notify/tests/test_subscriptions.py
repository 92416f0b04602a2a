"""Subscribing: who may subscribe to what, and the pages' buttons and list."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.core.errors import NotFound
from ficarchive.notify import services
from ficarchive.notify.models import Subscription
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def test_subscribe_to_work_creator_and_series(author, user, work):
    """One subscription per target; subscribing twice keeps the first."""
    series = series_add_work(actor=author, work=work, series_title="Cases")
    sub, made = services.subscription_create(actor=user, work=work.pk)
    assert made and sub.kind == "work"
    again, made = services.subscription_create(actor=user, work=work.pk)
    assert not made and again.pk == sub.pk
    assert services.subscription_create(actor=user, user=author.username)[0].kind == "user"
    assert services.subscription_create(actor=user, series=series.pk)[0].kind == "series"
    assert Subscription.objects.filter(user=user).count() == 3


def test_what_you_may_not_see_is_not_found(author, user):
    """Drafts, restricted works for guests' eyes, unknown users and series: NotFound."""
    draft = make_work(author, draft=True)
    with pytest.raises(NotFound):
        services.subscription_create(actor=user, work=draft.pk)
    with pytest.raises(NotFound):
        services.subscription_create(actor=author, work=draft.pk)  # a draft has no readers
    with pytest.raises(NotFound):
        services.subscription_create(actor=user, user="nobody")
    with pytest.raises(NotFound):
        services.subscription_create(actor=user, series=999)
    with pytest.raises(ValidationError):
        services.subscription_create(actor=user, user=user.username)
    with pytest.raises(ValidationError):
        services.subscription_create(actor=user)
    assert not Subscription.objects.exists()


def test_hidden_work_is_not_found(author, user, admin_user, work):
    from ficarchive.works.services import work_hide

    work_hide(actor=admin_user, work=work, hidden=True)
    with pytest.raises(NotFound):
        services.subscription_create(actor=user, work=work.pk)


def test_unsubscribe_only_your_own(author, user, work):
    sub, _ = services.subscription_create(actor=user, work=work.pk)
    with pytest.raises(NotFound):
        services.subscription_delete(actor=author, subscription_id=sub.pk)
    services.subscription_delete(actor=user, subscription_id=sub.pk)
    assert not Subscription.objects.exists()


def test_buttons_and_list(client, author, user, work):
    """The work page's Subscribe button subscribes; the reader's page lists it and its
    Unsubscribe button removes it."""
    client.login(username=user.username, password=PASSWORD)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert 'action="/subscriptions"' in page and ">Subscribe<" in page
    response = client.post("/subscriptions", {"work": work.pk, "next": f"/works/{work.pk}"})
    assert response.status_code == 302
    page = client.get(f"/works/{work.pk}").content.decode()
    assert ">Unsubscribe<" in page
    listing = client.get(f"/users/{user.username}/subscriptions").content.decode()
    assert work.title in listing
    sub = Subscription.objects.get(user=user)
    client.post(f"/subscriptions/{sub.pk}/delete")
    assert not Subscription.objects.exists()
    # Someone else's list is not there for you.
    assert client.get(f"/users/{author.username}/subscriptions").status_code == 404


def test_series_and_profile_buttons(client, author, user, work):
    series = series_add_work(actor=author, work=work, series_title="Cases")
    client.login(username=user.username, password=PASSWORD)
    assert 'name="series"' in client.get(f"/series/{series.pk}").content.decode()
    assert 'name="user"' in client.get(f"/users/{author.username}").content.decode()
    assert client.post("/subscriptions", {"user": author.username}).status_code == 302
    assert Subscription.objects.filter(user=user, creator=author).exists()
    # Posting a subscription to a draft is a 404.
    draft = make_work(author, draft=True)
    assert client.post("/subscriptions", {"work": draft.pk}).status_code == 404


def test_guest_sees_no_button(client, work):
    assert 'action="/subscriptions"' not in client.get(f"/works/{work.pk}").content.decode()


def test_many_subscriptions_page(client, user):
    """A reader with many subscriptions gets a paged list."""
    creators = [make_user(f"writer{i}") for i in range(60)]
    Subscription.objects.bulk_create(
        [Subscription(user=user, kind="user", creator=c) for c in creators]
    )
    client.login(username=user.username, password=PASSWORD)
    page = client.get(f"/users/{user.username}/subscriptions").content.decode()
    assert page.count('id="subscription_') == 50


def test_list_queries_do_not_grow_with_the_page(client, author, user):
    """The reader's page asks the same number of queries for 5 subscriptions as for 50."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.login(username=user.username, password=PASSWORD)
    client.get("/")  # the session and per-user caches exist before counting
    counts = []
    for n in (5, 50):
        Subscription.objects.filter(user=user).delete()
        works = [make_work(author, title=f"W{n}-{i}") for i in range(n)]
        Subscription.objects.bulk_create(
            [Subscription(user=user, kind="work", work=w) for w in works]
        )
        client.get("/")  # the header's cached counts live 30 s: a slow run outlives them
        with CaptureQueriesContext(connection) as queries:
            page = client.get(f"/users/{user.username}/subscriptions").content.decode()
        assert f"W{n}-{n - 1}" in page
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_admin_lists_read_only(client, admin_user, user, work):
    services.subscription_create(actor=user, work=work.pk)
    client.force_login(admin_user)
    assert client.get("/admin/notify/subscription/").status_code == 200
    assert client.get("/admin/notify/outgoingmail/").status_code == 200
    assert client.get("/admin/notify/subscription/add/").status_code == 403
