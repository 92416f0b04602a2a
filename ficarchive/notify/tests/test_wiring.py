"""What this app hands the apps below it: gifts announced through the inbox and mail, and
subscriber counts on the author statistics page."""

from __future__ import annotations

import pytest
from django.core import mail as outbox

from ficarchive.collections.services.gifts import gift_add
from ficarchive.notify import services
from ficarchive.notify.models import Notification, NotificationKind
from ficarchive.reading.stats import author_stats

pytestmark = pytest.mark.django_db


def test_a_gift_from_the_collections_app_reaches_the_inbox_and_mail(author, user, work, drain):
    gift_add(actor=author, work=work, name=user.username)
    drain()
    note = Notification.objects.get(user=user)
    assert note.kind == NotificationKind.GIFT and note.work_id == work.pk
    assert [m.to for m in outbox.outbox] == [[user.email]]
    assert "gift" in outbox.outbox[0].subject


def test_author_statistics_count_subscribers(author, user, work):
    assert author_stats(author).totals["subscribers"] == 0
    services.subscription_create(actor=user, work=work.pk)
    assert author_stats(author).totals["subscribers"] == 1
