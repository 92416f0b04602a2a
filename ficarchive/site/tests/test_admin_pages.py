"""Site pages, news and the banner as admins edit them in the admin and readers meet them:
history kept, author HTML sanitized, news on the home page with comments, the banner
dismissed per browser until it changes."""

from __future__ import annotations

import pytest

from ficarchive.core.audit import AuditLog
from ficarchive.core.viewers import OPERATOR
from ficarchive.site import pages
from ficarchive.site.models import AdminPostComment, SitePage

pytestmark = pytest.mark.django_db


def test_pages_edited_in_the_admin_keep_their_history(client, admin_user):
    client.force_login(admin_user)
    add = {"slug": "faq", "title": "FAQ", "body": "<p>First answer</p>", "major": "on"}
    add.update({"versions-TOTAL_FORMS": "0", "versions-INITIAL_FORMS": "0"})
    assert client.post("/admin/site/sitepage/add/", add).status_code == 302
    page = SitePage.objects.get(slug="faq")
    change = {**add, "body": "<p>Second answer</p><img src=x onerror=alert(1)>"}
    r = client.post(f"/admin/site/sitepage/{page.pk}/change/", change)
    assert r.status_code == 302
    page.refresh_from_db()
    assert page.version == 2 and "onerror" not in page.body
    history = client.get("/faq/history").content.decode()
    assert "First answer" in history and "Second answer" in history
    assert AuditLog.objects.filter(action="site_page.save", target="faq").count() == 2


def test_news_on_the_home_page_and_comments(client, user):
    post = pages.admin_post_save(actor=OPERATOR, title="Maintenance Sunday", body="<p>Down 1h.</p>")
    home = client.get("/").content.decode()
    assert "Maintenance Sunday" in home and "/admin_posts/feed.atom" in home
    client.force_login(user)
    client.post(post.get_absolute_url(), {"body": "Thanks for the warning"})
    assert "Thanks for the warning" in client.get(post.get_absolute_url()).content.decode()
    comment = AdminPostComment.objects.get()
    pages.admin_post_comment_hide(actor=OPERATOR, comment=comment, hidden=True)
    assert "Thanks for the warning" not in client.get(post.get_absolute_url()).content.decode()


def test_guests_cannot_comment_on_news(client):
    post = pages.admin_post_save(actor=OPERATOR, title="News", body="<p>x</p>")
    client.post(post.get_absolute_url(), {"body": "guest words"})
    assert not AdminPostComment.objects.exists()


def test_banner_shows_until_dismissed_and_returns_when_changed(client):
    pages.banner_set(actor=OPERATOR, text="<strong>Read-only tonight</strong>")
    assert "Read-only tonight" in client.get("/works").content.decode()
    client.post("/banner/dismiss", {"next": "/works"})
    assert "Read-only tonight" not in client.get("/works").content.decode()
    pages.banner_set(actor=OPERATOR, text="Back to normal")
    assert "Back to normal" in client.get("/works").content.decode()


def test_site_settings_in_the_admin_set_the_signup_mode(client, admin_user):
    from ficarchive.site.selectors import site_settings

    site_settings()
    client.force_login(admin_user)
    data = {
        "signup_mode": "invite",
        "invites_per_day": "5",
        "user_invitations": "3",
        "unconfirmed_days": "7",
        "invitation_days": "14",
        "banner": "",
    }
    assert client.post("/admin/site/sitesettings/1/change/", data).status_code == 302
    row = site_settings()
    assert (row.signup_mode, row.invites_per_day, row.user_invitations) == ("invite", 5, 3)
    assert AuditLog.objects.filter(action="site.signup_mode").exists()
