"""The web side of responses: POST-only writes, CSRF, 404 for what the viewer can't see,
and what the work page, bookmark list and inbox show."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from ficarchive.feedback import services
from ficarchive.feedback.models import Bookmark, Comment, InboxItem, Kudos
from ficarchive.testing import make_user, make_work

from .factories import counters_match, works_by_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def works(author):
    return works_by_state(author)


def login(client: Client, user) -> Client:
    client.force_login(user)
    return client


WRITE_URLS = [
    ("feedback:kudos", "work"),
    ("feedback:comment_create", "work"),
    ("feedback:comment_delete", "comment"),
    ("feedback:bookmark_delete", "bookmark"),
    ("feedback:inbox_update", "user"),
]


@pytest.mark.parametrize(("name", "arg"), WRITE_URLS)
def test_writes_refuse_get(client, work, user, name, arg):
    """Every write address answers GET with 405 Method Not Allowed."""
    c = services.comment_create(actor=user, work=work, body="Hi")
    b = services.bookmark_save(actor=user, work=work)
    value = {"work": work.pk, "comment": c.pk, "bookmark": b.pk, "user": user.username}[arg]
    login(client, user)
    assert client.get(reverse(name, args=[value])).status_code == 405


def test_writes_need_csrf(work, user):
    """A POST without the CSRF token is refused and writes nothing."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("feedback:kudos", args=[work.pk])).status_code == 403
    assert (
        client.post(reverse("feedback:comment_create", args=[work.pk]), {"body": "x"}).status_code
        == 403
    )
    assert not Kudos.objects.exists() and not Comment.objects.exists()


def test_kudos_view_guest_and_user(client, work, user):
    """Guests and users leave kudos by POST; the work page lists the givers."""
    r = client.post(reverse("feedback:kudos", args=[work.pk]), REMOTE_ADDR="192.0.2.1")
    assert r.status_code == 302
    login(client, user)
    client.post(reverse("feedback:kudos", args=[work.pk]))
    client.post(reverse("feedback:kudos", args=[work.pk]))  # twice: refused with a message
    assert Kudos.objects.filter(work=work).count() == 2
    assert counters_match(work)
    page = client.get(work.get_absolute_url()).content.decode()
    assert 'href="/users/reader"' in page and "1 guest left kudos" in page
    assert "You left kudos" in page


@pytest.mark.parametrize("name", ["feedback:kudos", "feedback:comment_create"])
@pytest.mark.parametrize("state", ["restricted", "draft"])
def test_guest_posting_to_invisible_work_gets_404(client, works, name, state):
    """A guest posting to a restricted work or a draft gets 404, like a missing work."""
    r = client.post(
        reverse(name, args=[works[state].pk]),
        {"body": "hi", "guest_name": "G", "guest_email": "g@example.org"},
        REMOTE_ADDR="192.0.2.1",
    )
    assert r.status_code == 404
    assert not Kudos.objects.exists() and not Comment.objects.exists()


def test_other_user_posting_to_draft_gets_404(client, works, user):
    """A logged-in reader posting kudos or a comment on someone's draft gets 404."""
    login(client, user)
    assert client.post(reverse("feedback:kudos", args=[works["draft"].pk])).status_code == 404
    assert (
        client.post(
            reverse("feedback:comment_create", args=[works["draft"].pk]), {"body": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("feedback:bookmark_new", args=[works["draft"].pk])).status_code == 404


def test_comment_view_creates_and_redirects_to_anchor(client, work, user):
    """Posting a comment redirects to it on the work page, where it shows."""
    login(client, user)
    r = client.post(reverse("feedback:comment_create", args=[work.pk]), {"body": "What a *story*."})
    c = Comment.objects.get()
    assert r.status_code == 302 and r["Location"].endswith(f"#comment_{c.pk}")
    page = client.get(work.get_absolute_url()).content.decode()
    assert f'id="comment_{c.pk}"' in page and "What a *story*." in page


def test_comment_view_errors_keep_text(client, work, user):
    """A comment over the limit is refused with the form shown again, text kept."""
    login(client, user)
    r = client.post(reverse("feedback:comment_create", args=[work.pk]), {"body": "word " * 2500})
    assert r.status_code == 400 and b"at most 10,000" in r.content and b"word word" in r.content
    assert not Comment.objects.exists()


def test_guest_comment_form_only_where_allowed(client, author, settings):
    """Guests see name and email fields on works open to anyone, a login note elsewhere."""
    settings.FICARCHIVE_MODERATE_GUEST_COMMENTS = False  # shown at once (moderation: test_spam.py)
    open_work = make_work(author, comment_permission="anyone")
    users_work = make_work(author, title="Users only")
    closed = make_work(author, title="Closed", comment_permission="disabled")
    assert b'name="guest_email"' in client.get(open_work.get_absolute_url()).content
    page = client.get(users_work.get_absolute_url()).content.decode()
    assert 'name="guest_email"' not in page and "only allows comments by logged-in users" in page
    assert (
        b"doesn&#x27;t allow comments" in client.get(closed.get_absolute_url()).content
        or b"doesn't allow comments" in client.get(closed.get_absolute_url()).content
    )
    r = client.post(
        reverse("feedback:comment_create", args=[users_work.pk]),
        {"body": "hi", "guest_name": "G", "guest_email": "g@example.org"},
    )
    assert r.status_code == 302 and not Comment.objects.exists()
    client.post(
        reverse("feedback:comment_create", args=[open_work.pk]),
        {"body": "hi", "guest_name": "Gwen", "guest_email": "g@example.org"},
    )
    assert b"Gwen" in client.get(open_work.get_absolute_url()).content


def test_restricted_work_comments_only_for_logged_in(client, author, user):
    """Comments on a restricted work are not shown to guests (the page sends them to log
    in, as AO3 does)."""
    work = make_work(author, restricted=True)
    services.comment_create(actor=user, work=work, body="Secret thoughts")
    page = client.get(work.get_absolute_url(), follow=True)
    assert page.redirect_chain and "Secret thoughts" not in page.content.decode()
    assert (
        client.get(reverse("feedback:comment", args=[Comment.objects.get().pk])).status_code == 404
    )
    login(client, user)
    assert b"Secret thoughts" in client.get(work.get_absolute_url()).content


def test_deleted_comment_placeholder_shown(client, work, author, user):
    """A deleted comment with replies shows as "(Previous comment deleted.)" above its reply."""
    c = services.comment_create(actor=user, work=work, body="Original words")
    services.comment_create(actor=author, work=work, body="A reply", parent=c)
    login(client, author)
    r = client.post(reverse("feedback:comment_delete", args=[c.pk]))
    assert r.status_code == 302
    page = client.get(work.get_absolute_url()).content.decode()
    assert (
        "(Previous comment deleted.)" in page and "A reply" in page and "Original words" not in page
    )


def test_comment_delete_by_stranger_refused(client, work, user):
    """Another reader cannot delete a comment; the page offers them no delete button."""
    c = services.comment_create(actor=user, work=work, body="Mine")
    login(client, make_user("stranger"))
    assert (
        f'action="/comments/{c.pk}/delete"'
        not in client.get(work.get_absolute_url()).content.decode()
    )
    client.post(reverse("feedback:comment_delete", args=[c.pk]))
    assert Comment.objects.filter(pk=c.pk).exists()


def test_comment_edit_view(client, work, user):
    """The author edits a comment; others get 404 on the edit page."""
    c = services.comment_create(actor=user, work=work, body="Draft text")
    login(client, make_user("stranger"))
    assert client.get(reverse("feedback:comment_edit", args=[c.pk])).status_code == 404
    login(client, user)
    assert client.get(reverse("feedback:comment_edit", args=[c.pk])).status_code == 200
    client.post(reverse("feedback:comment_edit", args=[c.pk]), {"body": "Final text"})
    c.refresh_from_db()
    assert "Final text" in c.body and c.edited_at


def test_anonymous_creator_reply_stays_anonymous(client, author, user):
    """On an anonymous work, the creator's replies show as "Anonymous Creator"."""
    work = make_work(author, anonymous=True)
    c = services.comment_create(actor=user, work=work, body="Who wrote this?")
    services.comment_create(actor=author, work=work, body="Not telling", parent=c)
    login(client, user)
    page = client.get(work.get_absolute_url()).content.decode()
    assert "Anonymous Creator" in page and 'href="/users/author' not in page
    inbox = client.get(reverse("feedback:inbox", args=[user.username])).content.decode()
    assert "Anonymous Creator" in inbox and "author" not in inbox.replace("Anonymous Creator", "")


def test_bookmark_views_and_listing(client, works, user):
    """Bookmarks are made, edited and deleted through the pages; private ones are listed
    only to their owner, and works the viewer can't see never appear."""
    login(client, user)
    r = client.post(
        reverse("feedback:bookmark_new", args=[works["public"].pk]),
        {"notes": "Must re-read", "tags": "comfort read, classic", "rec": "on"},
    )
    assert r.status_code == 302
    client.post(reverse("feedback:bookmark_new", args=[works["anonymous"].pk]), {"private": "on"})
    client.post(
        reverse("feedback:bookmark_new", args=[works["restricted"].pk]),
        {"notes": "Hidden from guests"},
    )
    assert Bookmark.objects.count() == 3
    own = client.get(reverse("feedback:user_bookmarks", args=[user.username])).content.decode()
    assert "Public" in own and "Anonymous" in own and "Restricted" in own and "comfort read" in own
    guest = Client().get(reverse("feedback:user_bookmarks", args=[user.username])).content.decode()
    assert "Public" in guest and "Must re-read" in guest
    assert (
        "Anonymous" not in guest and "Restricted" not in guest and "Hidden from guests" not in guest
    )
    other = login(Client(), make_user("other"))
    seen = other.get(reverse("feedback:user_bookmarks", args=[user.username])).content.decode()
    assert "Restricted" in seen and "Private Bookmark" not in seen
    b = Bookmark.objects.get(work=works["public"])
    assert client.get(reverse("feedback:bookmark_new", args=[works["public"].pk]))[
        "Location"
    ] == reverse("feedback:bookmark_edit", args=[b.pk])
    client.post(
        reverse("feedback:bookmark_edit", args=[b.pk]),
        {"notes": "Changed", "tags": "classic", "private": "on"},
    )
    b.refresh_from_db()
    assert b.private and "Changed" in b.notes
    assert other.get(reverse("feedback:bookmark_edit", args=[b.pk])).status_code == 404
    other.post(reverse("feedback:bookmark_delete", args=[b.pk]))
    assert Bookmark.objects.filter(pk=b.pk).exists()
    client.post(reverse("feedback:bookmark_delete", args=[b.pk]))
    assert not Bookmark.objects.filter(pk=b.pk).exists()
    for w in works.values():
        assert counters_match(w)


def test_bookmark_new_needs_login(client, work):
    """A guest asking for the bookmark form is sent to log in."""
    r = client.get(reverse("feedback:bookmark_new", args=[work.pk]))
    assert r.status_code == 302 and "/login" in r["Location"]


def test_inbox_only_for_owner(client, work, author, user):
    """The inbox is its owner's alone: guests are sent to log in, others get 404."""
    services.comment_create(actor=user, work=work, body="Loved it")
    url = reverse("feedback:inbox", args=[author.username])
    assert client.get(url).status_code == 302
    login(client, user)
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("feedback:inbox_update", args=[author.username]), {"action": "delete"}
        ).status_code
        == 404
    )
    login(client, author)
    page = client.get(url).content.decode()
    assert "Loved it" in page and "1 unread" in page


def test_inbox_mark_read_and_delete_views(client, work, author, user):
    """The inbox form marks selected items read, and deletes them."""
    services.comment_create(actor=user, work=work, body="One")
    services.comment_create(actor=user, work=work, body="Two")
    items = list(InboxItem.objects.filter(user=author).order_by("pk"))
    login(client, author)
    url = reverse("feedback:inbox_update", args=[author.username])
    client.post(url, {"items": [items[0].pk], "action": "read"})
    assert [i.read for i in InboxItem.objects.order_by("pk")] == [True, False]
    unread_page = client.get(
        reverse("feedback:inbox", args=[author.username]) + "?filter=unread"
    ).content.decode()
    assert "Two" in unread_page and "<p>One</p>" not in unread_page
    client.post(url, {"items": [i.pk for i in items], "action": "delete"})
    assert not InboxItem.objects.exists()
