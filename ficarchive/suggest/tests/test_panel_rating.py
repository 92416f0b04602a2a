"""Issue 18: the suggestion panel shows the current rating, and a suggested rating never
replaces it in one click; the adult-content notice follows the rating confirmed."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.suggest.selectors import suggestions_for_work
from ficarchive.testing import make_work

pytestmark = pytest.mark.django_db

EXPLICIT_TEXT = "They kissed and then they made love all night, naked, moaning, in bed. " * 30


@pytest.fixture
def logged(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def general_work(author):
    return make_work(author, chapters=(EXPLICIT_TEXT,), rating="General Audiences")


def test_panel_shows_the_current_rating_and_notice(logged, general_work):
    """ "The work now" names the rating, the warnings and whether the notice shows; a
    suggested rating offers "Change rating…" (named old → new), not a one-click Add."""
    new = suggestions_for_work(general_work)["rating"][0]["name"]
    html = logged.get(f"/works/{general_work.pk}/suggestions").content.decode()
    assert "<dd data-current-rating>General Audiences</dd>" in html
    assert "No Archive Warnings Apply" in html
    assert "Change rating…" in html
    assert f"Change the rating from General Audiences to {new}…" in html
    assert f'aria-label="Add {new}"' not in html


def test_confirmed_rating_brings_the_adult_notice(logged, general_work):
    """The confirmation names old and new value and says the notice will show; once
    confirmed, a guest opening the work meets the adult-content notice."""
    new = suggestions_for_work(general_work)["rating"][0]["name"]
    assert new in {"Mature", "Explicit"}
    url = f"/works/{general_work.pk}/suggestions/accept"
    page = logged.post(url, {"kind": "rating", "name": new})
    html = page.content.decode()
    assert page.status_code == 409
    assert f"Change from General Audiences to {new}" in html
    assert "Keep General Audiences" in html
    assert "readers will see the adult-content notice" in html
    assert (
        "This work could have adult content"
        not in Client().get(f"/works/{general_work.pk}").content.decode()
    )
    logged.post(
        url, {"kind": "rating", "name": new, "confirm_from": "General Audiences", "confirm_to": new}
    )
    guest = Client().get(f"/works/{general_work.pk}").content.decode()
    assert "This work could have adult content" in guest
    panel = logged.get(f"/works/{general_work.pk}/suggestions").content.decode()
    assert f"<dd data-current-rating>{new}</dd>" in panel


def test_one_click_answer_carries_the_current_state(logged, general_work):
    """The JSON answer to a confirmed change says the new rating and that the notice shows,
    so the panel's "The work now" stays true without a reload."""
    new = suggestions_for_work(general_work)["rating"][0]["name"]
    done = logged.post(
        f"/works/{general_work.pk}/suggestions/accept",
        {"kind": "rating", "name": new, "confirm_from": "General Audiences", "confirm_to": new},
        HTTP_ACCEPT="application/json",
    )
    assert done.status_code == 200
    assert done.json()["rating"] == new and done.json()["adult_notice"] is True
