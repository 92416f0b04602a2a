"""A muted creator's series show none of their works to the reader who muted them (web
page and API object), as their works and bookmarks are left out of listings; anonymous
works stay, so a mute reveals nothing; other readers see the series whole."""

from __future__ import annotations

import pytest

from ficarchive.discovery.services import mute_add
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import series_add_work

pytestmark = pytest.mark.django_db


def _series(owner, titles, **meta):
    series = None
    for title in titles:
        work = make_work(owner, title=title, **meta)
        series = series_add_work(actor=owner, work=work, series=series, series_title="Saga")
    return series


def test_muted_creators_series_is_empty_for_the_muter(client):
    loud, quiet, reader = make_user("loud"), make_user("quiet"), make_user("muter")
    muted_series = _series(loud, ["Loud One", "Loud Two"])
    other_series = _series(quiet, ["Quiet One"])
    mute_add(actor=reader, kind="creator", value="loud")
    client.force_login(reader)
    page = client.get(f"/series/{muted_series.pk}").content.decode()
    assert "Loud One" not in page and "Loud Two" not in page
    assert "2 works by creators you muted are not shown." in page
    assert "Quiet One" in client.get(f"/series/{other_series.pk}").content.decode()
    api = client.get(f"/api/v1/series/{muted_series.pk}")
    assert api.status_code == 200 and "Saga" in api.content.decode()
    assert "Loud One" not in api.content.decode()
    client.logout()
    assert "Loud Two" in client.get(f"/series/{muted_series.pk}").content.decode()


def test_anonymous_work_in_a_muted_creators_series_stays(client):
    """Leaving it out would tell the reader who wrote it."""
    loud, reader = make_user("loud"), make_user("muter")
    series = _series(loud, ["Secret Part"], anonymous=True)
    mute_add(actor=reader, kind="creator", value="loud")
    client.force_login(reader)
    page = client.get(f"/series/{series.pk}").content.decode()
    assert "Secret Part" in page and "you muted" not in page
