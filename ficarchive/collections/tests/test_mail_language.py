"""Collection mails (sent assignments) are written in each recipient's language, not in
the moderator's who sent them (issue 18)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.utils import translation

from ficarchive.accounts.services import language_update
from ficarchive.collections.services import (
    assignments_send,
    challenge_match,
    collection_create,
    signups_import,
)
from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db(transaction=True)  # mail goes out on commit


def test_assignments_reach_a_french_and_an_arabic_giver_in_their_language():
    """A moderator working in English sends the assignments: the French giver's mail is in
    French, the Arabic giver's in Arabic."""
    c = collection_create(actor=OPERATOR, owner=make_user("mod"), name="Lang_Ex",
                          title="Lang Ex", challenge="gift_exchange")  # fmt: skip
    for name, language in (("fgiver", "fr"), ("agiver", "ar")):
        user = make_user(name)
        language_update(actor=user, user=user, language=language)
    signups_import(collection=c, rows=[
        {"user": u, "requests": [{"fandoms": ["Lf"]}], "offers": [{"fandoms": ["Lf"]}]}
        for u in ("fgiver", "agiver")
    ])  # fmt: skip
    challenge_match(actor=OPERATOR, collection=c)
    mail.outbox.clear()
    with translation.override("en"):
        assert assignments_send(actor=OPERATOR, collection=c) == 2
    sent = {m.to[0]: m for m in mail.outbox}
    assert sent["fgiver@example.org"].subject == "[Lang Ex] Votre attribution"
    assert sent["agiver@example.org"].subject == "[Lang Ex] مهمتك"
