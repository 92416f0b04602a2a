"""Accounts people manage themselves: change the email (confirmed at the new address, the
old one told), delete the account (orphan or delete works, after the password), and
download everything as a ZIP."""

from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from django.core import mail
from django.utils import timezone

from ficarchive.accounts.models import User
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.feedback import services as feedback
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def test_email_change_is_confirmed_at_the_new_address_and_the_old_is_told(client, user):
    client.force_login(user)
    r = client.post("/account/email", {"email": "new@example.org", "password": "wrong"})
    assert "not your password" in r.content.decode() and not mail.outbox
    client.post("/account/email", {"email": "new@example.org", "password": PASSWORD})
    assert not mail.outbox  # queued, not sent in the request
    jobs_run_pending()
    assert mail.outbox[-1].to == ["new@example.org"]
    user.refresh_from_db()
    assert user.email == "reader@example.org"  # unchanged until the link is opened
    link = re.search(r"/confirm/\S+", mail.outbox[-1].body).group(0)
    assert client.get(link).status_code == 200
    jobs_run_pending()
    user.refresh_from_db()
    assert user.email == "new@example.org"
    assert mail.outbox[-1].to == ["reader@example.org"]
    assert "new@example.org" in mail.outbox[-1].body
    assert client.get(link).status_code == 400  # used once


def test_email_change_to_a_taken_address_is_refused(client, user, author):
    client.force_login(user)
    r = client.post("/account/email", {"email": "author@example.org", "password": PASSWORD})
    assert "Another account uses this address" in r.content.decode()


def test_delete_account_orphaning_works(client, author):
    solo = make_work(author, title="Solo")
    client.force_login(author)
    r = client.post("/account/delete", {"works": "orphan", "password": "nope"})
    assert "not your password" in r.content.decode()
    assert User.objects.filter(username="author").exists()
    client.post("/account/delete", {"works": "orphan", "password": PASSWORD})
    assert not User.objects.filter(username="author").exists()
    orphaned = Work.objects.get(pk=solo.pk)
    assert [c.pseud.user.username for c in orphaned.creatorships.all()] == ["orphan_account"]


def test_delete_account_deleting_works(client, author):
    solo = make_work(author, title="Solo")
    client.force_login(author)
    client.post("/account/delete", {"works": "delete", "password": PASSWORD})
    assert not Work.objects.filter(pk=solo.pk).exists()
    assert not User.objects.filter(username="author").exists()


def test_export_is_built_by_the_job_queue_and_served_to_its_owner_only(client, author, user):
    """Asking queues a job and shows a page that refreshes; the worker builds the ZIP
    (JSON and EPUBs) and mails the link; only the owner downloads it; asking again while
    it is kept returns the same export."""
    work = make_work(author, title="Exported Work")
    feedback.comment_create(actor=author, work=make_work(user, title="Other"), body="Nice!")
    client.force_login(author)
    assert "Prepare My Download" in client.get("/account/export").content.decode()
    r = client.post("/account/export")
    status_url = r["Location"]
    assert status_url.startswith("/account/export/")
    waiting = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' in waiting and "being prepared" in waiting
    assert client.get(status_url + "/download").status_code == 404  # not built yet
    assert client.post("/account/export")["Location"] == status_url  # one job, not two
    jobs_run_pending()
    (sent,) = [m for m in mail.outbox if m.to == ["author@example.org"]]
    assert status_url in sent.body
    ready = client.get(status_url).content.decode()
    assert 'http-equiv="refresh"' not in ready and "/download" in ready
    r = client.get(status_url + "/download")
    assert r["Content-Type"] == "application/zip" and r["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(r.streaming_content)))
    names = set(archive.namelist())
    assert {"account.json", "comments.json", "bookmarks.json", "kudos.json"} <= names
    assert f"works/{work.pk}.json" in names and f"works/{work.pk}.epub" in names
    data = json.loads(archive.read(f"works/{work.pk}.json"))
    assert data["title"] == "Exported Work" and data["chapters"][0]["body"]
    assert json.loads(archive.read("comments.json"))[0]["body"].startswith("<p>Nice!")
    assert zipfile.ZipFile(io.BytesIO(archive.read(f"works/{work.pk}.epub"))).testzip() is None
    client.force_login(user)
    assert client.get(status_url).status_code == 404
    assert client.get(status_url + "/download").status_code == 404
    client.logout()
    assert client.get(status_url + "/download").status_code == 302  # to the log-in page


def test_expired_exports_are_removed_with_their_files(client, author):
    import datetime as dt

    from ficarchive.site import exports

    client.force_login(author)
    status_url = client.post("/account/export")["Location"]
    jobs_run_pending()
    (export,) = exports.AccountExport.objects.all()
    path = exports.export_path(export)
    assert path.exists()
    assert exports.exports_purge() == 0
    assert exports.exports_purge(now=timezone.now() + dt.timedelta(days=8)) == 1
    assert not path.exists() and not exports.AccountExport.objects.exists()
    assert client.get(status_url + "/download").status_code == 404


def test_rename_redirects_the_old_name_and_reserves_it(client, author):
    """A renamed account's pages answer under the new name; the old name redirects there
    and cannot be taken by someone else meanwhile; the default pseud follows."""
    make_work(author, title="Renamed Work")
    client.force_login(author)
    r = client.post("/account/username", {"username": "new_name", "password": "bad"})
    assert "not your password" in r.content.decode()
    client.post("/account/username", {"username": "new_name", "password": PASSWORD})
    author.refresh_from_db()
    assert author.username == "new_name"
    assert author.default_pseud().name == "new_name"
    r = client.get("/users/author/pseuds")
    assert r.status_code == 301 and r["Location"] == "/users/new_name/pseuds"
    assert client.get("/users/author")["Location"] == "/users/new_name"
    assert "Renamed Work" in client.get("/users/new_name/works").content.decode()
    from ficarchive.accounts.standing import user_rename

    other = make_user("other")
    with pytest.raises(Exception, match="already taken"):
        user_rename(user=other, new_name="author", password=PASSWORD)


def test_every_page_under_the_old_name_redirects_for_the_redirect_period(client, author, user):
    """/users/OLD/works, bookmarks and the rest go to the new name with their query; after
    RENAME_REDIRECT_DAYS they are 404 again; a name nobody had stays 404."""
    import datetime as dt

    from ficarchive.accounts.models import PreviousUsername
    from ficarchive.accounts.standing import RENAME_REDIRECT_DAYS, user_rename

    make_work(author, title="Renamed Work")
    user_rename(user=author, new_name="new_name", password=PASSWORD)
    r = client.get("/users/author/works?page=2")
    assert r.status_code == 302 and r["Location"] == "/users/new_name/works?page=2"
    assert client.get("/users/AUTHOR/bookmarks")["Location"] == "/users/new_name/bookmarks"
    assert "Renamed Work" in client.get("/users/author/works", follow=True).content.decode()
    assert client.get("/users/nobody_ever/works").status_code == 404
    assert client.get("/users/reader/works").status_code == 200  # a live name: untouched
    PreviousUsername.objects.filter(name="author").update(
        changed_at=timezone.now() - dt.timedelta(days=RENAME_REDIRECT_DAYS + 1)
    )
    assert client.get("/users/author/works").status_code == 404
