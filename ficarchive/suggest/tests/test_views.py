"""The suggestions panel's pages: who may see them, how decisions are posted."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.suggest.models import DismissedSuggestion
from ficarchive.testing import make_user, make_work
from ficarchive.works.selectors import work_get_for_viewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def logged(author):
    client = Client()
    client.force_login(author)
    return client


def _characters(work, author):
    return [t.name for t in work_get_for_viewer(work.pk, author).characters]


def test_panel_shows_grouped_suggestions_with_marked_evidence(logged, holmes_work):
    """The creator sees proposals by kind, neutral wording, and each cue inside <mark>."""
    response = logged.get(f"/works/{holmes_work.pk}/suggestions")
    html = response.content.decode()
    assert response.status_code == 200
    assert "The text may call for these tags" in html
    assert '<h3 id="suggest-group-character">Characters</h3>' in html
    assert "Chapter 1:" in html and "<mark>John Watson</mark> read the paper." in html
    assert html.count(f'action="/works/{holmes_work.pk}/suggestions/accept"') >= 3


def test_evidence_is_escaped(logged, author):
    """Passages are text: markup-looking words from the work come out escaped."""
    from .factories import make_canon

    make_canon()
    text = "John Watson wrote &lt;b&gt;bold&lt;/b&gt; notes. " * 4
    work = make_work(
        author, chapters=(f"<p>{text}</p>",), fandoms=["Sherlock Holmes - Arthur Conan Doyle"]
    )
    html = logged.get(f"/works/{work.pk}/suggestions").content.decode()
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "<b>bold</b>" not in html


@pytest.mark.parametrize("who", ["guest", "stranger", "admin"])
def test_panel_is_404_for_non_creators(holmes_work, who, admin_user):
    """Guests, other users and even admins get a 404 for the panel and for decisions."""
    client = Client()
    if who == "stranger":
        client.force_login(make_user("stranger"))
    elif who == "admin":
        client.force_login(admin_user)
    assert client.get(f"/works/{holmes_work.pk}/suggestions").status_code == 404
    data = {"kind": "character", "name": "John Watson"}
    assert client.post(f"/works/{holmes_work.pk}/suggestions/accept", data).status_code == 404
    assert client.post(f"/works/{holmes_work.pk}/suggestions/dismiss", data).status_code == 404
    assert _characters(holmes_work, holmes_work.creator_pseuds()[0].user) == []
    assert DismissedSuggestion.objects.count() == 0


def test_panel_of_a_missing_work_is_404(logged):
    """No work, no panel."""
    assert logged.get("/works/999999/suggestions").status_code == 404


def test_accept_and_dismiss_need_post(logged, holmes_work, author):
    """GET on the decision addresses changes nothing (405)."""
    query = "?kind=character&name=John+Watson"
    assert logged.get(f"/works/{holmes_work.pk}/suggestions/accept{query}").status_code == 405
    assert logged.get(f"/works/{holmes_work.pk}/suggestions/dismiss{query}").status_code == 405
    assert _characters(holmes_work, author) == [] and DismissedSuggestion.objects.count() == 0


def test_accept_and_dismiss_need_csrf(holmes_work, author):
    """Without the CSRF token the decisions are refused (403) and nothing changes."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    data = {"kind": "character", "name": "John Watson"}
    assert client.post(f"/works/{holmes_work.pk}/suggestions/accept", data).status_code == 403
    assert client.post(f"/works/{holmes_work.pk}/suggestions/dismiss", data).status_code == 403
    assert _characters(holmes_work, author) == [] and DismissedSuggestion.objects.count() == 0


def test_accept_form_post_adds_tag_and_redirects(logged, holmes_work, author):
    """Without JavaScript, Add posts the form and comes back to the panel with a message."""
    response = logged.post(
        f"/works/{holmes_work.pk}/suggestions/accept",
        {"kind": "character", "name": "John Watson"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/works/{holmes_work.pk}/suggestions"
    html = response.content.decode()
    assert "Added John Watson" in html and "<mark>John Watson</mark>" not in html
    assert _characters(holmes_work, author) == ["John Watson"]


def test_accept_json_for_one_click(logged, holmes_work, author):
    """With Accept: application/json the answer is JSON, with how many proposals remain."""
    before = logged.get(f"/works/{holmes_work.pk}/suggestions").content.decode()
    remaining_before = int(before.split('data-remaining="')[1].split('"')[0])
    response = logged.post(
        f"/works/{holmes_work.pk}/suggestions/accept",
        {"kind": "character", "name": "Sherlock Holmes"},
        HTTP_ACCEPT="application/json",
    )
    data = response.json()
    assert response.status_code == 200 and data["ok"] is True
    assert data["remaining"] == remaining_before - 1
    assert _characters(holmes_work, author) == ["Sherlock Holmes"]


def test_bad_decision_reports_error(logged, holmes_work, author):
    """A tag the engine does not propose is refused with a reason (400 in JSON)."""
    response = logged.post(
        f"/works/{holmes_work.pk}/suggestions/accept",
        {"kind": "character", "name": "Moriarty"},
        HTTP_ACCEPT="application/json",
    )
    assert (
        response.status_code == 400 and "not among the tags suggested" in response.json()["error"]
    )
    assert _characters(holmes_work, author) == []


def test_dismissed_suggestion_does_not_return(logged, holmes_work, author):
    """A dismissed tag is gone from the panel on every later visit, is not on the work, and can be restored."""
    url = f"/works/{holmes_work.pk}/suggestions"
    logged.post(f"{url}/dismiss", {"kind": "character", "name": "Irene Adler"})
    html = logged.get(url).content.decode()
    assert 'aria-label="Add Irene Adler"' not in html and "Dismissed suggestions" in html
    assert 'aria-label="Add John Watson"' in html
    assert _characters(holmes_work, author) == []
    logged.post(f"{url}/restore", {"kind": "character", "name": "Irene Adler"})
    assert 'aria-label="Add Irene Adler"' in logged.get(url).content.decode()


def test_edit_page_summarises_suggestions(logged, holmes_work):
    """The Edit Work page points the creator to the panel with the number of open proposals."""
    html = logged.get(f"/works/{holmes_work.pk}/edit").content.decode()
    assert "suggested tags" in html.lower() and f"/works/{holmes_work.pk}/suggestions" in html
    assert "John Watson" in html


def test_new_work_page_explains_suggestions(logged):
    """Before a work exists, the posting page says suggestions come after preview or save."""
    html = logged.get("/works/new").content.decode()
    assert "suggests tags drawn from its text" in html


def test_panel_page_query_count(logged, holmes_work, django_assert_max_num_queries):
    """With the proposals cached, the panel page is a handful of queries."""
    url = f"/works/{holmes_work.pk}/suggestions"
    logged.get(url)
    with django_assert_max_num_queries(10):
        assert logged.get(url).status_code == 200


def test_panel_include_for_work_page(rf, holmes_work, author):
    """The include the work page takes ("suggest/_panel.html") shows the summary to creators only."""
    from django.contrib.auth.models import AnonymousUser
    from django.template.loader import render_to_string

    work = work_get_for_viewer(holmes_work.pk, author)
    request = rf.get(work.get_absolute_url())
    request.user = author
    html = render_to_string("suggest/_panel.html", {"work": work}, request=request)
    from ficarchive.suggest.selectors import suggestion_panel

    count = suggestion_panel(work).count
    assert count >= 3 and f"{count} suggested tags" in html and "John Watson" in html
    assert f'href="/works/{work.pk}/suggestions"' in html
    request.user = make_user("stranger")
    assert render_to_string("suggest/_panel.html", {"work": work}, request=request).strip() == ""
    request.user = AnonymousUser()
    assert render_to_string("suggest/_panel.html", {"work": work}, request=request).strip() == ""


def test_panel_include_survives_engine_failure(rf, holmes_work, author, monkeypatch):
    """If suggesting fails, the page holding the summary still renders (without it)."""
    from django.core.cache import cache
    from django.template.loader import render_to_string

    from ficarchive.suggest import engine

    cache.clear()
    monkeypatch.setattr(engine, "suggest_for_work", lambda w: 1 / 0)
    request = rf.get("/")
    request.user = author
    html = render_to_string(
        "suggest/_panel.html",
        {"work": work_get_for_viewer(holmes_work.pk, author)},
        request=request,
    )
    assert html.strip() == ""


def test_dismissing_a_name_no_tag_may_have_is_refused(logged, holmes_work):
    """A dismissed name follows the one tag-name rule: "John*Watson" is refused and nothing is stored."""
    response = logged.post(
        f"/works/{holmes_work.pk}/suggestions/dismiss",
        {"kind": "character", "name": "John*Watson"},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 400
    assert "cannot contain" in response.json()["error"]
    assert not DismissedSuggestion.objects.exists()


def _explicit_work(author):
    from ficarchive.testing import make_work

    text = "They kissed and then they made love all night, naked, moaning, in bed. " * 30
    return make_work(author, chapters=(text,), rating="General Audiences")


def test_accepting_a_rating_asks_first(logged, author):
    """The panel's Add on a rating shows a confirmation page naming old and new rating;
    the work changes only when that form is sent."""
    from ficarchive.suggest.selectors import suggestions_for_work

    work = _explicit_work(author)
    new = suggestions_for_work(work)["rating"][0]["name"]
    url = f"/works/{work.pk}/suggestions/accept"
    page = logged.post(url, {"kind": "rating", "name": new})
    assert page.status_code == 409
    html = page.content.decode()
    assert "from General Audiences to" in html and 'name="confirm_to"' in html
    work.refresh_from_db()
    assert work.rating == "General Audiences"
    done = logged.post(
        url,
        {"kind": "rating", "name": new, "confirm_from": "General Audiences", "confirm_to": new},
    )
    assert done.status_code == 302
    work.refresh_from_db()
    assert work.rating == new


def test_one_click_rating_answers_with_what_to_confirm(logged, author):
    """The one-click (JSON) accept of a rating answers 409 with old and new value."""
    from ficarchive.suggest.selectors import suggestions_for_work

    work = _explicit_work(author)
    new = suggestions_for_work(work)["rating"][0]["name"]
    response = logged.post(
        f"/works/{work.pk}/suggestions/accept",
        {"kind": "rating", "name": new},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 409
    assert response.json()["confirm"] == {"from": "General Audiences", "to": new}
    work.refresh_from_db()
    assert work.rating == "General Audiences"


def test_panel_says_when_the_language_is_not_supported(logged, author):
    """A Chinese work on an archive without a model: the panel says plainly that its
    rating and warnings cannot be suggested."""
    from ficarchive.testing import make_work

    text = "安娜和本一起去市场买苹果。他们谈论天气和漫长的夏天。她在窗边看书。" * 20
    work = make_work(author, chapters=(text,))
    html = logged.get(f"/works/{work.pk}/suggestions").content.decode()
    assert "does not read as English" in html
