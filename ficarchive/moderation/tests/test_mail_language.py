"""The archive's own mails (``moderation.mail.mail_queue``) are written in the recipient's
language when the recipient has an account, and in the language of the request that asked
for them when the address has none (issue 18: translated interface, mail)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone, translation

from ficarchive.accounts.services import language_update
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.core.viewers import OPERATOR
from ficarchive.moderation import services
from ficarchive.moderation.reports import ReportInput, report_create, report_status_set
from ficarchive.site import services as site_services
from ficarchive.site.services import SignupInput
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def _speaking(name: str, language: str):
    user = make_user(name)
    return language_update(actor=user, user=user, language=language)


def _sent() -> dict:
    jobs_run_pending()
    return {m.to[0]: m for m in mail.outbox}


def test_suspensions_by_an_english_admin_reach_each_owner_in_their_language(admin_user):
    """An admin working in English suspends a French and an Arabic account: each notice,
    subject, text and HTML, is in its owner's language (the HTML laid out right to left for
    Arabic); an account with no preference gets the archive's default."""
    fr, ar, plain = _speaking("margot", "fr"), _speaking("layla", "ar"), make_user("plain")
    until = (timezone.now() + dt.timedelta(days=10)).date()
    with translation.override("en"):
        for user in (fr, ar, plain):
            services.user_suspend(actor=admin_user, user=user, until=until, reason="Spam.")
    sent = _sent()
    assert sent[fr.email].subject == "Votre compte sur Ficarchive est suspendu"
    assert "Bonjour margot," in sent[fr.email].body
    assert 'lang="fr"' in sent[fr.email].alternatives[0][0]
    assert sent[ar.email].subject == "حسابك على Ficarchive معلّق"
    assert "مرحبًا layla،" in sent[ar.email].body
    assert 'dir="rtl"' in sent[ar.email].alternatives[0][0]
    assert sent[plain.email].subject == "Your account on Ficarchive is suspended"


def test_report_outcome_in_the_reporters_language_or_the_closing_requests(settings):
    """A report from an Arabic account, closed by an English admin, is answered in Arabic;
    a guest's report (an address, no account) is answered in the language the admin
    closed it in."""
    work = make_work(make_user("writer"))
    reporter = _speaking("huda", "ar")
    by_account = report_create(
        actor=reporter, data=ReportInput(kind="work", target=str(work.pk), reason="spam")
    )
    by_guest = report_create(
        actor=None,
        data=ReportInput(kind="work", target=str(work.pk), reason="spam", email="g@example.org"),
    )
    with translation.override("en"):
        report_status_set(actor=OPERATOR, report=by_account, status="resolved")
    with translation.override("fr"):
        report_status_set(actor=OPERATOR, report=by_guest, status="resolved")
    sent = _sent()
    assert sent[reporter.email].subject == "بلاغك إلى Ficarchive: تمت معالجته"
    assert sent["g@example.org"].subject.startswith("Votre signalement à Ficarchive")
    assert "résolu" in sent["g@example.org"].subject


def test_sign_up_confirmation_in_the_request_language_then_the_preference():
    """A guest signing up from a French page gets the confirmation link in French (no
    preference yet: the request's language); once they chose Arabic, a new link asked from
    an English page comes in Arabic."""
    with translation.override("fr"):
        user = site_services.account_sign_up(
            data=SignupInput(
                username="newbie", email="newbie@example.org", password="quiet-river-lantern-88"
            )
        )
    first = _sent()["newbie@example.org"]
    assert first.subject == "Confirmez votre adresse e-mail sur Ficarchive"
    assert 'lang="fr"' in first.alternatives[0][0]
    mail.outbox.clear()
    language_update(actor=user, user=user, language="ar")
    with translation.override("en"):
        site_services.confirmation_resend(user=user)
    again = _sent()["newbie@example.org"]
    assert again.subject == "أكّد عنوان بريدك على Ficarchive"
    assert 'lang="ar"' in again.alternatives[0][0] and 'dir="rtl"' in again.alternatives[0][0]
