"""Claiming imported authors: the emailed one-time link, as Open Doors does it."""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from ficarchive.accounts import services
from ficarchive.accounts.models import Pseud
from ficarchive.accounts.tests.factories import imported_author
from ficarchive.core.audit import AuditLog
from ficarchive.core.errors import PermissionDenied
from ficarchive.testing import PASSWORD
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db


def _token_from_mail() -> str:
    match = re.search(r"/pseuds/claim/(\S+)", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_request_emails_link_to_claim_address_only(user):
    """A claim request emails the imported author's address, not the claimer's, with a link."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_request(actor=user, pseud=pseud)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["quill@example.org"]
    assert "reader" in mail.outbox[0].body and "Quill" in mail.outbox[0].subject
    assert _token_from_mail()
    assert (
        AuditLog.objects.filter(action="pseud.claim_request", target=f"pseud {pseud.pk}").count()
        == 1
    )


def test_confirm_attaches_pseud_and_works_to_account(user):
    """Confirming the link makes the pseud the user's, with its works, and logs it."""
    pseud, works = imported_author("Quill", "quill@example.org", ("One", "Two"))
    services.pseud_claim_request(actor=user, pseud=pseud)
    claimed = services.pseud_claim_confirm(actor=user, token=_token_from_mail())
    assert claimed.pk == pseud.pk
    pseud.refresh_from_db()
    assert pseud.user == user and not pseud.is_default
    assert user.default_pseud().name == "reader"
    for work in works:
        assert Work.objects.get(pk=work.pk).is_creator(user)
    entry = AuditLog.objects.get(action="pseud.claim")
    assert entry.actor == user and entry.detail["works"] == sorted(w.pk for w in works)
    assert entry.detail["merged"] is False


def test_link_works_once(user):
    """A used link is refused: the works are already claimed."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_request(actor=user, pseud=pseud)
    token = _token_from_mail()
    services.pseud_claim_confirm(actor=user, token=token)
    with pytest.raises(ValidationError, match="already been claimed"):
        services.pseud_claim_confirm(actor=user, token=token)


def test_link_is_for_the_account_that_asked(user, author):
    """Another logged-in account cannot use someone else's claim link."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_request(actor=user, pseud=pseud)
    with pytest.raises(PermissionDenied):
        services.pseud_claim_confirm(actor=author, token=_token_from_mail())
    pseud.refresh_from_db()
    assert pseud.user is None


def test_expired_link_is_refused(user):
    """A link older than three days is refused and changes nothing."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    four_days_ago = time.time() - 4 * 86400
    with mock.patch("django.core.signing.time.time", return_value=four_days_ago):
        token = services.pseud_claim_token(pseud=pseud, user=user)
    with pytest.raises(ValidationError, match="expired"):
        services.pseud_claim_confirm(actor=user, token=token)
    pseud.refresh_from_db()
    assert pseud.user is None


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),
        lambda t: "x" + t,
        lambda t: "garbage",
    ],
)
def test_forged_link_is_refused(user, mangle):
    """A tampered or made-up token is refused."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    token = services.pseud_claim_token(pseud=pseud, user=user)
    with pytest.raises(ValidationError, match="not valid"):
        services.pseud_claim_confirm(actor=user, token=mangle(token))
    pseud.refresh_from_db()
    assert pseud.user is None


def test_link_signed_for_another_purpose_is_refused(user):
    """A value signed with the site key but another salt is not a claim link."""
    from django.core import signing

    pseud, _ = imported_author("Quill", "quill@example.org")
    token = signing.TimestampSigner().sign_object(
        {"p": pseud.pk, "u": user.pk, "e": "quill@example.org"}
    )
    with pytest.raises(ValidationError, match="not valid"):
        services.pseud_claim_confirm(actor=user, token=token)


def test_changed_address_voids_old_links(user):
    """When an admin corrects the address on record, links sent to the old one stop working."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    token = services.pseud_claim_token(pseud=pseud, user=user)
    Pseud.objects.filter(pk=pseud.pk).update(claim_email="real-quill@example.org")
    with pytest.raises(ValidationError, match="no longer valid"):
        services.pseud_claim_confirm(actor=user, token=token)


def test_already_claimed_cannot_be_requested(user, author):
    """Once claimed, no one can ask for a claim link again."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_confirm(
        actor=user, token=services.pseud_claim_token(pseud=pseud, user=user)
    )
    mail.outbox.clear()
    with pytest.raises(ValidationError, match="already been claimed"):
        services.pseud_claim_request(actor=author, pseud=Pseud.objects.get(pk=pseud.pk))
    assert mail.outbox == []


def test_no_address_means_no_claim_link(user):
    """An imported author with no address on record cannot be claimed by email."""
    pseud, _ = imported_author("Nomail", "")
    with pytest.raises(ValidationError, match="administrators"):
        services.pseud_claim_request(actor=user, pseud=pseud)
    assert mail.outbox == []


def test_repeated_requests_are_throttled(user):
    """A second request within minutes sends no second email."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_request(actor=user, pseud=pseud)
    with pytest.raises(ValidationError, match="few minutes ago"):
        services.pseud_claim_request(actor=user, pseud=pseud)
    assert len(mail.outbox) == 1


def test_same_name_pseud_is_merged(user):
    """When the account already has a pseud of that name, the works move to it and the
    imported pseud goes."""
    own = services.pseud_create(actor=user, user=user, name="quill")
    pseud, works = imported_author("Quill", "quill@example.org", ("One", "Two"))
    Pseud.objects.filter(pk=pseud.pk).update(description="Writes about bees.")
    claimed = services.pseud_claim_confirm(
        actor=user, token=services.pseud_claim_token(pseud=pseud, user=user)
    )
    assert claimed.pk == own.pk
    assert not Pseud.objects.filter(pk=pseud.pk).exists()
    assert sorted(
        Work.objects.filter(creatorships__pseud=own).values_list("pk", flat=True)
    ) == sorted(w.pk for w in works)
    own.refresh_from_db()
    assert own.description == "Writes about bees."
    assert AuditLog.objects.get(action="pseud.claim").detail["merged"] is True


def test_guest_cannot_request(client):
    """Guests are sent to log in instead of getting a claim link emailed."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    r = client.post(reverse("accounts:pseud_claim", args=[pseud.pk]))
    assert r.status_code == 302 and "/login" in r["Location"]
    assert mail.outbox == []


def test_claim_through_the_pages(client, user):
    """The author page offers the claim; the emailed link shows a confirmation, and the
    button claims; the old address then leads to the claimed pseud."""
    pseud, works = imported_author("Quill", "quill@example.org")
    client.login(username="reader", password=PASSWORD)
    page = client.get(reverse("accounts:unclaimed_pseud", args=[pseud.pk]))
    assert b"Claim these works" in page.content
    r = client.post(reverse("accounts:pseud_claim", args=[pseud.pk]), follow=True)
    assert b"emailed a claim link" in r.content
    assert b"quill@example.org" not in r.content
    url = reverse("accounts:pseud_claim_confirm", args=[_token_from_mail()])
    preview = client.get(url)
    assert preview.status_code == 200 and works[0].title.encode() in preview.content
    assert Pseud.objects.get(pk=pseud.pk).user is None  # opening the link claims nothing
    r = client.post(url)
    assert r.status_code == 302 and r["Location"] == reverse(
        "accounts:pseud", args=["reader", "Quill"]
    )
    old = client.get(reverse("accounts:unclaimed_pseud", args=[pseud.pk]))
    assert old.status_code == 301 and old["Location"] == r["Location"]


def test_merged_pseud_address_redirects(client, user):
    """After a merge, the imported author's old address leads to the pseud the works went to."""
    services.pseud_create(actor=user, user=user, name="Quill")
    pseud, _ = imported_author("Quill", "quill@example.org")
    services.pseud_claim_confirm(
        actor=user, token=services.pseud_claim_token(pseud=pseud, user=user)
    )
    r = client.get(reverse("accounts:unclaimed_pseud", args=[pseud.pk]))
    assert r.status_code == 301 and r["Location"] == reverse(
        "accounts:pseud", args=["reader", "Quill"]
    )


def test_wrong_account_sees_refusal_page(client, user, author):
    """Opening someone else's link shows why it cannot be used, and claims nothing."""
    pseud, _ = imported_author("Quill", "quill@example.org")
    token = services.pseud_claim_token(pseud=pseud, user=user)
    client.login(username="author", password=PASSWORD)
    url = reverse("accounts:pseud_claim_confirm", args=[token])
    assert client.get(url).status_code == 400
    r = client.post(url)
    assert r.status_code == 400 and b"another account" in r.content
    assert Pseud.objects.get(pk=pseud.pk).user is None


def test_claimed_works_count_for_new_owner_on_profile(client, user):
    """Claimed works appear on the claimer's profile."""
    pseud, works = imported_author("Quill", "quill@example.org")
    services.pseud_claim_confirm(
        actor=user, token=services.pseud_claim_token(pseud=pseud, user=user)
    )
    r = client.get(reverse("accounts:profile", args=["reader"]))
    assert works[0].title.encode() in r.content
