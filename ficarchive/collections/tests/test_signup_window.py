"""The sign-up page tells the truth about the sign-up window: before it opens and after it
closes (by date, not only by the maintainer's switch) it says so and shows no form to fill
in for nothing; a sign-up posted anyway is refused with a translated message."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone, translation

from ficarchive.collections.models import Signup
from ficarchive.collections.services import challenge_set, collection_create, signups_open_now
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db
URL = "/collections/Window_Swap/signups/new"


@pytest.fixture
def exchange():
    tag_make_canonical(actor=OPERATOR, tag="Fandom Alpha", kind="fandom")
    return collection_create(
        actor=OPERATOR, owner=make_user("windowmod"), name="Window_Swap",
        title="Window Swap", challenge="gift_exchange",
    )  # fmt: skip


def _reader() -> Client:
    client = Client()
    client.force_login(make_user("windowreader"))
    return client


@pytest.mark.parametrize(
    "settings,says",
    [
        ({"signups_close_at": timezone.now() - dt.timedelta(days=1)}, "Sign-ups closed on"),
        ({"signups_open_at": timezone.now() + dt.timedelta(days=1)}, "not opened yet"),
        ({"signups_open": False}, "Sign-ups are closed"),
    ],
)
def test_page_outside_the_window_says_so_and_shows_no_form(exchange, settings, says):
    challenge = challenge_set(actor=OPERATOR, collection=exchange, **settings)
    assert not signups_open_now(challenge)
    client = _reader()
    page = client.get(URL).content.decode()
    assert says in page
    assert 'name="request_1_fandoms"' not in page
    answer = client.post(
        URL, {"request_1_fandoms": "Fandom Alpha", "offer_1_fandoms": "Fandom Alpha"}, follow=True
    )
    assert says in answer.content.decode()
    assert not Signup.objects.exists()


def test_page_inside_the_window_shows_the_form(exchange):
    challenge = challenge_set(
        actor=OPERATOR, collection=exchange,
        signups_open_at=timezone.now() - dt.timedelta(days=1),
        signups_close_at=timezone.now() + dt.timedelta(days=1),
    )  # fmt: skip
    assert signups_open_now(challenge)
    assert 'name="request_1_fandoms"' in _reader().get(URL).content.decode()


def test_closed_by_date_message_is_translated(exchange):
    challenge_set(
        actor=OPERATOR, collection=exchange, signups_close_at=timezone.now() - dt.timedelta(days=1)
    )
    client = _reader()
    with translation.override("fr"):
        page = client.get(URL, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Sign-ups closed on" not in page
