"""Guests' work pages come from the cache (works.page_cache) and are never stale: after each
kind of write the page shows (edit, new chapter, wrangling, kudos, comments and their
moderation, visibility, deletion, skin, collection reveal, series, banner, hits) the next
guest request draws it afresh. Each guest gets their own CSRF token; signed-in readers,
guests with a session and answers other than 200 are never stored.

These tests commit (``transaction=True``): nothing read inside a transaction is stored."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from ficarchive.core.viewers import OPERATOR
from ficarchive.feedback.models import Comment
from ficarchive.feedback.services import (
    comment_approve,
    comment_create,
    comment_delete,
    comment_edit,
    comment_mark_spam,
    kudos_give,
)
from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_rename
from ficarchive.testing import make_user, make_work
from ficarchive.works.hits import hits_flush
from ficarchive.works.models import CommentPermission, Work
from ficarchive.works.page_cache import CACHE_HEADER, CSRF_PLACEHOLDER
from ficarchive.works.services import (
    ChapterInput,
    WorkMeta,
    chapter_add,
    series_add_work,
    work_delete,
    work_hide,
    work_update,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def admin():
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def work(alice):
    return make_work(
        alice,
        title="Orchard",
        freeforms=["Apples"],
        comment_permission=CommentPermission.ANYONE,
        chapters=("The first apple.",),
    )


def guest_get(path: str, client: Client | None = None) -> tuple[str, str]:
    """(body, cache header) of a guest's GET."""
    response = (client or Client()).get(path, **BROWSER)
    assert response.status_code == 200
    return response.content.decode(), response.headers.get(CACHE_HEADER, "")


def warm(path: str) -> str:
    """Fetch twice; the second answer must be a hit (so a later fresh answer proves the
    write moved the page to a new key, not that nothing was cached)."""
    guest_get(path)
    body, header = guest_get(path)
    assert header == "hit", header
    return body


def fresh(path: str) -> str:
    body, header = guest_get(path)
    assert header == "miss", header
    return body


def meta(**changes) -> WorkMeta:
    base = {
        "title": "Orchard",
        "rating": "General Audiences",
        "warnings": ["No Archive Warnings Apply"],
        "fandoms": ["Sherlock Holmes - Arthur Conan Doyle"],
        "freeforms": ["Apples"],
        "comment_permission": CommentPermission.ANYONE,
    }
    return WorkMeta(**{**base, **changes})


def _work(work: Work) -> Work:
    return Work.objects.get(pk=work.pk)


def test_guest_page_is_cached_and_the_same(work):
    """The second guest request is a hit and shows the same page (but for the token)."""
    first, header = guest_get(f"/works/{work.pk}")
    assert header == "miss" and "The first apple." in first
    second, header = guest_get(f"/works/{work.pk}")
    assert header == "hit"
    token = re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"')
    assert token.sub("", first) == token.sub("", second)


def test_edit_shows_at_once(alice, work):
    """A title and text edit is on the next guest page."""
    warm(f"/works/{work.pk}")
    work_update(
        actor=alice,
        work=_work(work),
        meta=meta(title="Silver Orchard"),
        chapter=ChapterInput(body="A pear instead."),
    )
    body = fresh(f"/works/{work.pk}")
    assert "Silver Orchard" in body and "A pear instead." in body


def test_new_chapter_shows_at_once(alice, work):
    """A new chapter changes the work page, its full view and makes its chapter page."""
    warm(f"/works/{work.pk}")
    warm(f"/works/{work.pk}?view_full_work=true")
    chapter = chapter_add(actor=alice, work=_work(work), chapter=ChapterInput(body="Second."))
    assert "Chapter Index" in fresh(f"/works/{work.pk}")
    assert "Second." in fresh(f"/works/{work.pk}?view_full_work=true")
    assert "Second." in fresh(chapter.get_absolute_url())
    assert "Second." in warm(chapter.get_absolute_url())


def test_wrangling_shows_at_once(work):
    """A tag renamed by a wrangler shows on the next page."""
    assert "Apples" in warm(f"/works/{work.pk}")
    tag_rename(actor=OPERATOR, tag=Tag.objects.get(name="Apples"), new_name="Green Apples")
    assert "Green Apples" in fresh(f"/works/{work.pk}")


def test_kudos_show_at_once(work):
    """Kudos change the count and the givers on the next page."""
    warm(f"/works/{work.pk}")
    kudos_give(actor=make_user("bob"), work=_work(work))
    kudos_give(actor=AnonymousUser(), work=_work(work), guest_address="10.0.0.9")
    body = fresh(f"/works/{work.pk}")
    assert '<dd class="kudos">2</dd>' in body and 'href="/users/bob"' in body
    assert "1 guest" in body


def test_comments_and_their_moderation_show_at_once(alice, admin, work):
    """A comment posted, edited, marked as spam, deleted; one held then approved: each
    shows (or goes) on the next guest page."""
    from ficarchive.moderation.comments import thread_flag_set, work_moderate_all_set

    path = f"/works/{work.pk}"
    warm(path)
    bob = make_user("bob")
    comment = comment_create(actor=bob, work=_work(work), body="Lovely apples.")
    assert "Lovely apples." in fresh(path)
    warm(path)
    comment_edit(actor=bob, comment=comment, body="Lovely pears.")
    assert "Lovely pears." in fresh(path)
    warm(path)
    thread_flag_set(actor=alice, comment=comment, hidden=True)
    assert "Lovely pears." not in fresh(path)
    thread_flag_set(actor=alice, comment=comment, hidden=False)
    assert "Lovely pears." in fresh(path)
    warm(path)
    comment_mark_spam(actor=alice, comment=Comment.objects.get(pk=comment.pk))
    assert "Lovely pears." not in fresh(path)
    other = comment_create(actor=bob, work=_work(work), body="Second thoughts.")
    assert "Second thoughts." in warm(path)
    comment_delete(actor=bob, comment=other)
    assert "Second thoughts." not in fresh(path)
    work_moderate_all_set(actor=alice, work=_work(work), on=True)
    held = comment_create(actor=bob, work=_work(work), body="Held back.")
    assert "Held back." not in warm(path)
    comment_approve(actor=alice, comment=held)
    assert "Held back." in fresh(path)


def test_frozen_thread_loses_reply_at_once(alice, work):
    """Freezing a thread takes its Reply form off the next guest page."""
    from ficarchive.moderation.comments import thread_flag_set

    comment = comment_create(actor=make_user("bob"), work=_work(work), body="Reply to me.")
    assert f'name="parent" value="{comment.pk}"' in warm(f"/works/{work.pk}")
    thread_flag_set(actor=alice, comment=comment, frozen=True)
    assert f'name="parent" value="{comment.pk}"' not in fresh(f"/works/{work.pk}")


@pytest.mark.parametrize("change", ["hide", "restrict", "delete"])
def test_visibility_changes_show_at_once(alice, admin, work, change):
    """Hidden or deleted: the next guest gets 404; restricted: sent to log in."""
    warm(f"/works/{work.pk}")
    if change == "hide":
        work_hide(actor=admin, work=_work(work), hidden=True)
    elif change == "restrict":
        work_update(actor=alice, work=_work(work), meta=meta(restricted=True))
    else:
        work_delete(actor=alice, work=_work(work))
    response = Client().get(f"/works/{work.pk}", **BROWSER)
    assert response.status_code == (302 if change == "restrict" else 404)
    assert CACHE_HEADER not in response.headers
    if change == "restrict":
        assert "/login" in response["Location"]


def test_skin_edit_shows_at_once(alice, work):
    """Choosing a work skin, and editing it, change the stylesheet link on the next page."""
    from ficarchive.skins.services import work_skin_create, work_skin_set, work_skin_update

    warm(f"/works/{work.pk}")
    skin, _removed = work_skin_create(actor=alice, title="Red", css="#workskin p { color: red; }")
    work_skin_set(actor=alice, work_id=work.pk, skin=skin)
    body = fresh(f"/works/{work.pk}")
    link = re.search(r'href="(/[^"]*css[^"]*)"', body)
    assert link
    warm(f"/works/{work.pk}")
    work_skin_update(actor=alice, skin=skin, title="Blue", css="#workskin p { color: blue; }")
    assert fresh(f"/works/{work.pk}")


def test_collection_reveal_shows_at_once(alice, work):
    """A work in an unrevealed collection is not a guest's; its reveal opens it at once."""
    from ficarchive.collections.services import collection_create, collection_reveal, item_add

    box = collection_create(
        actor=alice, owner=alice, name="orchards", title="Orchards", unrevealed=True
    )
    warm(f"/works/{work.pk}")
    item_add(actor=alice, collection=box, work=_work(work))
    assert Client().get(f"/works/{work.pk}", **BROWSER).status_code == 404
    collection_reveal(actor=alice, collection=box)
    assert "The first apple." in fresh(f"/works/{work.pk}")


def test_series_sibling_made_anonymous_hides_series_line(alice, work):
    """A named work does not show a series holding an anonymous work: when a sibling turns
    anonymous the series line goes from the named work's cached page."""
    sibling = make_work(alice, title="Grove")
    series = series_add_work(actor=alice, work=_work(work), series_title="Fruit")
    series_add_work(actor=alice, work=_work(sibling), series=series)
    assert "Fruit</a>" in warm(f"/works/{work.pk}")
    from ficarchive.works.services import works_collection_state_set

    works_collection_state_set(states={sibling.pk: (True, False)})
    assert "Fruit</a>" not in fresh(f"/works/{work.pk}")


def test_banner_shows_at_once(admin, work):
    """A site banner set after the page was cached is on the next guest page."""
    from ficarchive.site.pages import banner_set

    warm(f"/works/{work.pk}")
    banner_set(actor=admin, text="Maintenance tonight.")
    assert "Maintenance tonight." in fresh(f"/works/{work.pk}")


def test_hits_flush_shows_at_once(work):
    """Hits counted since the page was cached show once flushed."""
    warm(f"/works/{work.pk}")
    Client().get(f"/works/{work.pk}", HTTP_USER_AGENT="Mozilla/5.0 Other", REMOTE_ADDR="10.1.1.1")
    assert hits_flush() >= 1
    assert f'<dd class="hits">{_work(work).hit_count}</dd>' in fresh(f"/works/{work.pk}")


# --- CSRF, adult notice, who is never cached ------------------------------------------
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def test_each_guest_gets_their_own_token(work):
    """Two guests served the same cached page get different tokens, each matching their
    own CSRF cookie (a kudos posted with it passes Django's check); no placeholder leaks."""
    from django.middleware.csrf import _unmask_cipher_token

    warm(f"/works/{work.pk}")
    guests = []
    for _ in range(2):
        guest = Client(enforce_csrf_checks=True)
        response = guest.get(f"/works/{work.pk}", **BROWSER)
        assert response.headers[CACHE_HEADER] == "hit"
        body = response.content.decode()
        assert CSRF_PLACEHOLDER not in body
        tokens = set(TOKEN.findall(body))
        assert len(tokens) == 1
        token = tokens.pop()
        assert _unmask_cipher_token(token) == guest.cookies["csrftoken"].value
        guests.append((guest, token))
    seen = [guest.cookies["csrftoken"].value for guest, _token in guests]
    for n, (guest, token) in enumerate(guests):
        posted = guest.post(
            f"/works/{work.pk}/kudos", {"csrfmiddlewaretoken": token}, REMOTE_ADDR=f"10.0.0.{n}"
        )
        assert posted.status_code == 302
    # Another guest's token is refused.
    stranger = Client(enforce_csrf_checks=True)
    stranger.get(f"/works/{work.pk}", **BROWSER)
    refused = stranger.post(f"/works/{work.pk}/kudos", {"csrfmiddlewaretoken": guests[0][1]})
    assert refused.status_code == 403
    assert seen[0] != seen[1]
    assert _work(work).kudos_count == 2
    stored = [v for v in cache._cache.values()]  # type: ignore[attr-defined]
    assert not any(secret.encode() in repr(v).encode() for v in stored for secret in seen)


def test_adult_notice_cached_and_passed(alice):
    """An adult work's notice and its text are both cached for guests; ``view_adult=true``
    sets the cookie that passes the notice for that work only."""
    work = make_work(alice, rating="Explicit", chapters=("Grown-up words.",))
    other = make_work(alice, rating="Mature", chapters=("Other words.",))
    assert "could have adult content" in warm(f"/works/{work.pk}")
    guest = Client()
    body, header = guest_get(f"/works/{work.pk}?view_adult=true", guest)
    assert "Grown-up words." in body
    assert "Grown-up words." in guest_get(f"/works/{work.pk}?view_adult=true", guest)[0]
    assert guest.cookies["view_adult"].value == str(work.pk)
    assert "Grown-up words." in guest_get(f"/works/{work.pk}", guest)[0]
    assert "Other words." not in guest_get(f"/works/{other.pk}", guest)[0]
    assert "could have adult content" in guest_get(f"/works/{work.pk}")[0]


def test_signed_in_and_session_requests_never_cached(alice, work):
    """A signed-in reader, and a guest with a session cookie, are drawn every time."""
    warm(f"/works/{work.pk}")
    reader = Client()
    reader.force_login(make_user("reader"))
    for _ in range(2):
        response = reader.get(f"/works/{work.pk}", **BROWSER)
        assert CACHE_HEADER not in response.headers
    session_guest = Client()
    session_guest.cookies["sessionid"] = "not-a-session"
    assert CACHE_HEADER not in session_guest.get(f"/works/{work.pk}", **BROWSER).headers


def test_restricted_work_redirects_guest_never_cached(alice):
    """A registered-users-only work sends guests to log in, every time, nothing stored."""
    work = make_work(alice, restricted=True)
    for _ in range(2):
        response = Client().get(f"/works/{work.pk}", **BROWSER)
        assert response.status_code == 302 and CACHE_HEADER not in response.headers


def test_commenter_pseud_rename_shows_at_once(work):
    """A commenter renaming their pseud changes the byline on the next guest page."""
    from ficarchive.accounts.services import pseud_update

    bob = make_user("bob")
    comment_create(actor=bob, work=_work(work), body="Nice.")
    byline = re.compile(r'class="heading byline"><a href="[^"]*">([^<]*)</a>')
    assert byline.findall(warm(f"/works/{work.pk}")) == ["bob"]
    pseud_update(actor=bob, pseud=bob.default_pseud(), name="Robert", is_default=True)
    assert "Robert" in byline.findall(fresh(f"/works/{work.pk}"))[0]
