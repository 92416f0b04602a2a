"""Notification mail is written in its recipient's language, not in that of the reader
whose action caused it (issue 18: translated interface, mail)."""

from __future__ import annotations

import pytest
from django.core import mail as outbox
from django.utils import translation

from ficarchive.accounts.services import language_update
from ficarchive.notify import services
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.works.services import ChapterInput, chapter_add

pytestmark = pytest.mark.django_db


def _speaking(name: str, language: str):
    user = make_user(name)
    return language_update(actor=user, user=user, language=language)


def test_comment_mail_in_each_creators_language_from_an_english_request(client, drain):
    """An English reader comments (Accept-Language en) on a French creator's work and on an
    Arabic creator's: each mail, subject and both parts, is in its recipient's language;
    a creator with no preference gets the archive's default (English)."""
    fr, ar, none = _speaking("amelie", "fr"), _speaking("samira", "ar"), make_user("plain")
    works = {u.username: make_work(u, title=f"Work of {u.username}") for u in (fr, ar, none)}
    reader = make_user("reader")
    client.login(username=reader.username, password=PASSWORD)
    for work in works.values():
        response = client.post(
            f"/works/{work.pk}/comments",
            {"body": "Lovely chapter!"},
            HTTP_ACCEPT_LANGUAGE="en",
        )
        assert response.status_code in (200, 302)
    with translation.override("en"):  # the worker's own language must not matter either
        drain()
    sent = {m.to[0]: m for m in outbox.outbox}
    assert len(sent) == 3
    french, arabic, default = sent[fr.email], sent[ar.email], sent[none.email]
    assert "reader a commenté Work of amelie" in french.subject
    assert "Bonjour amelie," in french.body and "Se désabonner" in french.alternatives[0][0]
    assert '<html lang="fr" dir="ltr">' in french.alternatives[0][0]
    assert "علّق reader على Work of samira" in arabic.subject
    assert "مرحبًا samira،" in arabic.body
    assert '<html lang="ar" dir="rtl">' in arabic.alternatives[0][0]
    assert "reader commented on Work of plain" in default.subject
    assert "Hi plain," in default.body


def test_digest_and_chapter_mail_follow_the_recipient_not_the_author(drain):
    """An English author posts a chapter to a work a French and an Arabic reader subscribe
    to: each reader's mail is in their language, the chapter headline included."""
    author = make_user("author")
    work = make_work(author, title="The Long Road")
    fr, ar = _speaking("lucie", "fr"), _speaking("nadia", "ar")
    for reader in (fr, ar):
        services.subscription_create(actor=reader, work=work.pk)
    with translation.override("en"):
        chapter_add(actor=author, work=work, chapter=ChapterInput(body="Onwards.", title="Two"))
        drain()
    sent = {m.to[0]: m for m in outbox.outbox}
    assert " par author" in sent[fr.email].subject
    assert "بقلم author" in sent[ar.email].subject
    assert "Unsubscribe" not in sent[fr.email].alternatives[0][0]
