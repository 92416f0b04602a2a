"""Suspended, banned and unconfirmed accounts read but do not write, on every door (the
site's forms and the API), and are told why; warnings are shown until dismissed; every
admin action lands in the audit log."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from ficarchive.api.tests.conftest import ApiClient, make_token
from ficarchive.core.audit import AuditLog
from ficarchive.feedback.models import Comment, Kudos
from ficarchive.moderation import services
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db

SOON = dt.date.today() + dt.timedelta(days=7)


def test_suspended_user_reads_but_cannot_write_on_the_site(client, admin_user, user, work):
    """Comment, kudos and posting forms answer 403 with the reason and the end date; the
    work page still opens and shows the notice; nothing is stored."""
    services.user_suspend(actor=admin_user, user=user, until=SOON, reason="Spamming links")
    client.force_login(user)
    page = client.get(work.get_absolute_url())
    assert page.status_code == 200 and "Spamming links" in page.content.decode()
    for url, data in [
        (reverse("feedback:comment_create", args=[work.pk]), {"body": "hi"}),
        (reverse("feedback:kudos", args=[work.pk]), {}),
        (reverse("works:new"), {}),
    ]:
        r = client.post(url, data)
        body = r.content.decode()
        assert r.status_code == 403 and "suspended until" in body and SOON.isoformat() in body
    assert not Comment.objects.exists() and not Kudos.objects.exists()
    # Private housekeeping stays open: blocking someone, logging out.
    assert client.post(reverse("moderation:blocked_users"), {"user": "author"}).status_code == 302


def test_suspended_user_cannot_post_through_the_api(admin_user, user, work):
    """The API refuses writes with 403 account_restricted and the reason; reads work."""
    services.user_suspend(actor=admin_user, user=user, until=SOON, reason="Spamming links")
    api = ApiClient(make_token(user))
    assert api.get(f"/works/{work.pk}").status_code == 200
    r = api.post(f"/works/{work.pk}/comments", {"body": "hi"})
    assert r.status_code == 403 and r.json()["error"]["code"] == "account_restricted"
    assert "Spamming links" in r.json()["error"]["message"]
    r = api.post("/works", {"title": "New", "body": "text", "rating": "Not Rated"})
    assert r.status_code == 403
    assert not Comment.objects.exists() and Work.objects.count() == 1


def test_suspension_ends_on_its_date_and_by_unsuspend(client, admin_user, user, work):
    services.user_suspend(actor=admin_user, user=user, until=SOON, reason="x")
    services.user_unsuspend(actor=admin_user, user=user)
    client.force_login(user)
    r = client.post(reverse("feedback:kudos", args=[work.pk]))
    assert r.status_code == 302 and Kudos.objects.filter(user=user).exists()


def test_banned_user_is_read_only(client, admin_user, user, work):
    services.user_ban(actor=admin_user, user=user, reason="ban evasion")
    client.force_login(user)
    r = client.post(reverse("feedback:kudos", args=[work.pk]))
    assert r.status_code == 403 and "banned" in r.content.decode()
    assert AuditLog.objects.filter(action="user.ban", target="reader").exists()


def test_only_admins_moderate(user, author):
    with pytest.raises(Exception, match="Only admins"):
        services.user_suspend(actor=user, user=author, until=SOON, reason="x")
    with pytest.raises(Exception, match="Only admins"):
        services.user_works_hide(actor=user, user=author)


def test_hide_all_works_of_a_user_together(client, admin_user, author):
    """All the user's works leave guests' sight at once, and come back together."""
    works = [make_work(author, title=f"W{i}") for i in range(3)]
    assert services.user_works_hide(actor=admin_user, user=author) == 3
    for w in works:
        assert client.get(w.get_absolute_url()).status_code == 404
    assert services.user_works_hide(actor=admin_user, user=author, hidden=False) == 3
    assert client.get(works[0].get_absolute_url()).status_code == 200
    assert AuditLog.objects.filter(action="user.works_hide", target="author").exists()


def test_warning_shown_until_dismissed(client, admin_user, user):
    """A warning appears on every page for its user only, until they dismiss it; a note
    is never shown to the user."""
    services.account_note_add(
        actor=admin_user, user=user, body="Please tag major spoilers.", warning=True
    )
    services.account_note_add(actor=admin_user, user=user, body="Watch this one", warning=False)
    other = make_user("bystander")
    client.force_login(other)
    assert "Please tag major spoilers." not in client.get("/works").content.decode()
    client.force_login(user)
    page = client.get("/works").content.decode()
    assert "Please tag major spoilers." in page and "Watch this one" not in page
    from ficarchive.moderation.models import AccountNote

    note = AccountNote.objects.get(kind="warning")
    client.post(reverse("moderation:warning_dismiss", args=[note.pk]), {"next": "/works"})
    assert "Please tag major spoilers." not in client.get("/works").content.decode()
