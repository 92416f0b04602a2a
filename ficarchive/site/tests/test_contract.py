"""The interfaces of issue 14 that scripts and readers rely on (CONTRACT.md): the site
pages, the news and its feed, the invite queue, `ficarchive site signup`, `ficarchive
invite create`, and the sign-up form's `invitation` field."""

from __future__ import annotations

import io
import json

import feedparser
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ficarchive.accounts.models import User
from ficarchive.core.viewers import OPERATOR
from ficarchive.site import pages, selectors
from ficarchive.site.models import Invitation, InviteRequest, SignupMode

pytestmark = pytest.mark.django_db

GOOD = "quiet-river-lantern-88"


def run(command: str, *args: str) -> str:
    out = io.StringIO()
    call_command(command, *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


@pytest.mark.parametrize("slug", ["tos", "content", "privacy", "faq"])
def test_site_pages_answer_before_and_after_they_are_written(client, slug):
    """Each page answers at its AO3 address, with a placeholder until written, then with
    the admins' text (sanitized) and a link to its history."""
    r = client.get(f"/{slug}")
    assert r.status_code == 200 and "have not written this page yet" in r.content.decode()
    pages.page_save(actor=OPERATOR, slug=slug, title="", body="<p>Be kind.</p><script>x</script>")
    body = client.get(f"/{slug}").content.decode()
    assert "Be kind." in body and "<script>x" not in body
    assert f"/{slug}/history" in body
    assert client.get(f"/{slug}/history").status_code == 200


def test_admin_posts_page_links_its_atom_feed(client):
    """/admin_posts lists the news and links an Atom feed that readers can parse."""
    pages.admin_post_save(actor=OPERATOR, title="Archive news", body="<p>We launched.</p>")
    page = client.get("/admin_posts").content.decode()
    assert "Archive news" in page
    assert 'type="application/atom+xml"' in page and "/admin_posts/feed.atom" in page
    feed = feedparser.parse(client.get("/admin_posts/feed.atom").content)
    assert feed.version == "atom10"
    assert [e.title for e in feed.entries] == ["Archive news"]


def test_invite_requests_page_queues_and_tells_the_place(client):
    """/invite_requests takes an address and says its place in the queue."""
    run("site", "signup", "queue")
    assert client.get("/invite_requests").status_code == 200
    client.post("/invite_requests", {"email": "first@example.org"})
    r = client.post("/invite_requests", {"email": "second@example.org"}, follow=True)
    assert "number 2 in the queue" in r.content.decode()
    assert InviteRequest.objects.count() == 2


def test_abuse_report_page_answers(client):
    """/abuse_reports/new shows the report form."""
    r = client.get("/abuse_reports/new")
    assert r.status_code == 200 and 'name="reason"' in r.content.decode()


def test_signup_mode_command_and_default():
    """A new archive asks for email confirmation; `site signup MODE` changes it; an
    unknown mode fails with nothing changed."""
    assert selectors.site_settings().signup_mode == SignupMode.CONFIRM
    for mode in ("open", "invite", "queue", "confirm"):
        run("site", "signup", mode)
        assert selectors.site_settings().signup_mode == mode
    # With --json, one object with the key `site show --json` uses.
    assert json.loads(run("site", "signup", "open", "--json")) == {"signup_mode": "open"}
    run("site", "signup", "confirm")
    with pytest.raises(CommandError):
        call_command("site", "signup", "everyone", stdout=io.StringIO(), stderr=io.StringIO())
    assert selectors.site_settings().signup_mode == SignupMode.CONFIRM


def test_invite_create_prints_codes_as_json():
    """`invite create --count 3 --json` prints three {"code": ...} lines, each a stored,
    unused code; without --json one code per line."""
    lines = run("invite", "create", "--count", "3", "--json").strip().splitlines()
    codes = [json.loads(line)["code"] for line in lines]
    assert len(set(codes)) == 3
    assert set(Invitation.objects.values_list("code", flat=True)) == set(codes)
    plain = run("invite", "create").strip()
    assert Invitation.objects.filter(code=plain, used_by=None).exists()


def test_signup_form_takes_and_prefills_the_invitation(client):
    """/signup?invitation=CODE fills the field named `invitation`; signing up with it in
    invite-only mode uses the code up."""
    run("site", "signup", "invite")
    code = run("invite", "create").strip()
    page = client.get(f"/signup?invitation={code}").content.decode()
    assert 'name="invitation"' in page and f'value="{code}"' in page
    r = client.post(
        "/signup",
        {
            "username": "invited",
            "email": "inv@example.org",
            "password1": GOOD,
            "password2": GOOD,
            "invitation": code,
        },
    )
    assert r.status_code == 302
    assert Invitation.objects.get(code=code).used_by == User.objects.get(username="invited")
