"""Series management: rename, describe, complete, reorder, add, remove, delete; only the
series' creators."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Series
from ficarchive.works.services import (
    series_add_work,
    series_delete,
    series_remove_work,
    series_reorder,
    series_update,
)

pytestmark = pytest.mark.django_db


def test_manage_a_series_through_its_page():
    author = make_user("serialist")
    one, two, three = (make_work(author, title=t) for t in ("One", "Two", "Three"))
    series = series_add_work(actor=author, work=one, series_title="Saga")
    series_add_work(actor=author, work=two, series=series)
    client = Client()
    client.force_login(author)
    url = f"/series/{series.pk}/edit"
    client.post(url, {"action": "update", "title": "Saga Renamed", "summary": "<b>Big</b><script>x</script>", "complete": "on"})  # fmt: skip
    series.refresh_from_db()
    assert series.title == "Saga Renamed" and series.complete
    assert "<b>Big</b>" in series.summary and "script" not in series.summary
    client.post(url, {"action": "add", "work": three.pk})
    client.post(url, {"action": "reorder", "order": f"{three.pk} {one.pk} {two.pk}"})
    order = list(series.serial_works.order_by("position").values_list("work_id", flat=True))
    assert order == [three.pk, one.pk, two.pk]
    client.post(url, {"action": "remove", "work": one.pk})
    order = list(series.serial_works.order_by("position").values_list("work_id", "position"))
    assert order == [(three.pk, 1), (two.pk, 2)]
    page = client.post(url, {"action": "reorder", "order": f"{two.pk}"}, follow=True)
    assert "each work of the series once" in page.content.decode()
    assert Client().get(url).status_code == 302  # guests are sent to log in
    other = Client()
    other.force_login(make_user("outsider"))
    assert other.get(url).status_code == 404
    client.post(url, {"action": "delete"})
    assert not Series.objects.filter(pk=series.pk).exists()


def test_only_creators_manage():
    author, other = make_user("owner1"), make_user("owner2")
    series = series_add_work(actor=author, work=make_work(author), series_title="Mine")
    theirs = make_work(other)
    with pytest.raises(PermissionDenied):
        series_update(actor=other, series=series, title="Taken")
    with pytest.raises(PermissionDenied):
        series_add_work(actor=other, work=theirs, series=series)
    with pytest.raises(PermissionDenied):
        series_reorder(actor=other, series=series, work_ids=[])
    with pytest.raises(PermissionDenied):
        series_delete(actor=other, series=series)
    with pytest.raises(ValueError, match="needs a title"):
        series_update(actor=author, series=series, title="   ")
    assert Series.objects.get(pk=series.pk).title == "Mine"


def test_removing_the_last_work_deletes_the_series():
    author = make_user("solo")
    work = make_work(author)
    series = series_add_work(actor=author, work=work, series_title="Lonely")
    assert series_remove_work(actor=author, series=series, work=work) is False
    assert not Series.objects.filter(pk=series.pk).exists()
