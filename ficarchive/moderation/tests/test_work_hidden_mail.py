"""When an admin hides a work (``/works/ID/hide``), each of its creators is mailed once, in
their language, with the reason when one is given (AO3 mails the creators of a work the
Policy & Abuse team hides). Making it visible again, or hiding it twice, mails no one."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from ficarchive.accounts.services import language_update
from ficarchive.core.jobs import jobs_run_pending
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_creators_set

pytestmark = pytest.mark.django_db


def _sent() -> dict:
    jobs_run_pending()
    return {m.to[0]: m for m in mail.outbox}


def test_hiding_mails_each_creator_once_in_their_language(client, admin_user):
    first = make_user("first")
    second = make_user("second")
    second = language_update(actor=second, user=second, language="fr")
    work = make_work(first, title="Hidden Study")
    work_creators_set(
        actor=admin_user, work=work, pseuds=[first.default_pseud(), second.default_pseud()]
    )
    client.force_login(admin_user)
    url = reverse("works:hide", args=[work.pk])
    client.post(url, {"hidden": "1", "reason": "Plagiarised text."})
    client.post(url, {"hidden": "1"})  # already hidden: nothing new to tell
    sent = _sent()
    assert sorted(sent) == sorted([first.email, second.email]) and len(mail.outbox) == 2
    en, fr = sent[first.email], sent[second.email]
    assert "Hidden Study" in en.subject and "hidden" in en.subject
    assert "Plagiarised text." in en.body and work.get_absolute_url() in en.body
    assert "Hidden Study" in fr.subject and "masquée" in fr.subject
    assert "Plagiarised text." in fr.body
    mail.outbox.clear()
    client.post(url, {"hidden": "0"})
    assert _sent() == {}


def test_hiding_without_a_reason_mails_without_one(client, admin_user, author, work):
    client.force_login(admin_user)
    client.post(reverse("works:hide", args=[work.pk]), {"hidden": "1"})
    (message,) = _sent().values()
    assert message.to == [author.email] and "Reason" not in message.body
