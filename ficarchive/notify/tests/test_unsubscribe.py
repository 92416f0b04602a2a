"""One-click unsubscribe from a mail: signed, no log-in, a bad token changes nothing."""

from __future__ import annotations

import re

import pytest
from django.core import mail as outbox

from ficarchive.feedback.services import comment_create
from ficarchive.notify import services
from ficarchive.notify.models import MailPreference, Subscription
from ficarchive.notify.tokens import unsubscribe_token
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


def _link(message) -> str:
    return re.search(
        r"<http://testserver(/unsubscribe/[^>]+)>", message.extra_headers["List-Unsubscribe"]
    ).group(1)


def test_link_in_subscription_mail_unsubscribes(client, author, user, work, drain):
    services.subscription_create(actor=user, work=work.pk)
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="More."))
    drain()
    link = _link(outbox.outbox[0])
    assert link in outbox.outbox[0].body  # the same link in the text
    page = client.get(link)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and Subscription.objects.exists()
    done = client.post(link, {"List-Unsubscribe": "One-Click"})  # RFC 8058, no session
    assert done.status_code == 200 and "You are unsubscribed." in done.content.decode()
    assert not Subscription.objects.exists()
    again = client.post(link)
    assert "already unsubscribed" in again.content.decode()


def test_link_in_comment_mail_turns_kind_off(client, author, user, work, drain):
    comment_create(actor=user, work=work, body="Hi")
    drain()
    client.post(_link(outbox.outbox[0]))
    assert MailPreference.objects.get(user=author, kind="comment").frequency == "off"


@pytest.mark.parametrize(
    "mangle", [lambda t: t[:-2] + "xx", lambda t: "nonsense", lambda t: t + "a"]
)
def test_bad_token_changes_nothing(client, user, work, mangle):
    sub, _ = services.subscription_create(actor=user, work=work.pk)
    token = mangle(unsubscribe_token(user, {"s": sub.pk}))
    for method in (client.get, client.post):
        response = method(f"/unsubscribe/{token}")
        assert response.status_code == 400
        assert "not valid" in response.content.decode()
        assert "Nothing was changed" in response.content.decode()
    assert Subscription.objects.filter(pk=sub.pk).exists()


def test_token_of_another_salt_is_refused(client, user, work):
    from django.core import signing

    sub, _ = services.subscription_create(actor=user, work=work.pk)
    forged = signing.dumps({"u": user.pk, "s": sub.pk})  # signed, but not for this purpose
    assert client.post(f"/unsubscribe/{forged}").status_code == 400
    assert Subscription.objects.exists()


def test_the_link_page_says_what_it_stops(client, author, user, work, drain):
    """Before the button: the subscription by its title (or the kinds of mail); after it,
    that it is already gone, not a bare button again."""
    services.subscription_create(actor=user, work=work.pk)
    chapter_add(actor=author, work=work, chapter=ChapterInput(body="More."))
    comment_create(actor=user, work=work, body="Hi")
    drain()
    sub_link = _link(next(m for m in outbox.outbox if user.email in m.to))
    page = client.get(sub_link).content.decode()
    assert f"your subscription to “{work.title}”" in page
    client.post(sub_link)
    assert "You were already unsubscribed." in client.get(sub_link).content.decode()
    kind_link = _link(next(m for m in outbox.outbox if author.email in m.to))
    assert "Stop all email about comments on my works." in client.get(kind_link).content.decode()
