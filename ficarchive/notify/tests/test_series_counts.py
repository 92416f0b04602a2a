"""Series blurbs count the series' subscribers: this app hands works.series_stats its counter."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from ficarchive.notify.services import subscription_create
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def test_series_page_shows_its_subscriber_count():
    writer = make_user("writer")
    work = make_work(writer, title="Part-One", chapters=["one two three"])
    series = series_add_work(actor=writer, work=work, series_title="The Saga")
    other = series_add_work(actor=writer, work=make_work(writer), series_title="Another")
    for name in ("r1", "r2"):
        subscription_create(actor=make_user(name), series=series.pk)
    subscription_create(actor=make_user("r3"), series=other.pk)
    subscription_create(actor=make_user("r4"), work=work.pk)  # a work's, not the series'
    page = Client().get(f"/series/{series.pk}").content.decode()
    assert re.search(r'<dd class="subscriptions">([^<]*)</dd>', page).group(1) == "2"
