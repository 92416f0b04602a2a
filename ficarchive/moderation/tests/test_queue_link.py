"""The header's "Comment Queue" link (AO3 offers it with moderated comments): shown only
to a creator with a work that moderates comments, or with comments awaiting approval; in
English, French and Arabic alike. The queue page keeps refusing guests and shows each user
only their own works' comments."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.test import Client

from ficarchive.feedback.services import comment_create
from ficarchive.moderation.comments import work_moderate_all_set
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db

QUEUE = "/comments/moderation"
LABELS = {"en": "Comment Queue", "fr": "Commentaires en attente", "ar": "التعليقات المعلّقة"}


def _nav(client: Client, language: str) -> str:
    html = client.get("/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    return html[html.index("<header") : html.index("</header>")]


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("language", ["en", "fr", "ar"])
def test_link_only_for_creators_who_moderate(language, django_capture_on_commit_callbacks):
    """A reader with no works, and a creator whose works do not moderate, see no link; once
    a work moderates all comments its creator sees it (at once: the cached answer is
    forgotten), and no longer once moderation is off again."""
    cache.clear()
    reader, creator = make_user("qreader"), make_user("qcreator")
    work = make_work(creator)
    label, link = LABELS[language], f'href="{QUEUE}"'
    for user in (reader, creator):
        nav = _nav(_signed_in(user), language)
        assert label not in nav and link not in nav
    with django_capture_on_commit_callbacks(execute=True):
        work_moderate_all_set(actor=creator, work=work, on=True)
    nav = _nav(_signed_in(creator), language)
    assert label in nav and link in nav
    assert link not in _nav(_signed_in(reader), language)
    with django_capture_on_commit_callbacks(execute=True):
        work_moderate_all_set(actor=creator, work=work, on=False)
    assert link not in _nav(_signed_in(creator), language)


def test_link_for_a_creator_with_held_guest_comments(settings):
    """A guest comment held for approval on a work without "moderate all" brings the link
    to its creator (the queue is where it is approved)."""
    settings.FICARCHIVE_MODERATE_GUEST_COMMENTS = True
    cache.clear()
    creator = make_user("qheld")
    work = make_work(creator, comment_permission="anyone")
    comment = comment_create(
        actor=AnonymousUser(),
        work=work,
        body="Lovely.",
        guest_name="Guest",
        guest_email="g@example.org",
    )
    assert comment.status == "pending"
    assert f'href="{QUEUE}"' in _nav(_signed_in(creator), "en")


def test_queue_page_still_refuses_guests_and_shows_only_ones_own():
    """A guest is sent to log in; another user gets an empty queue, never the creator's
    held comments."""
    creator, other = make_user("qowner"), make_user("qother")
    work = make_work(creator)
    work_moderate_all_set(actor=creator, work=work, on=True)
    comment_create(actor=other, work=work, body="Held for approval.")
    response = Client().get(QUEUE)
    assert response.status_code == 302 and "/login" in response["Location"]
    assert "Held for approval." not in _signed_in(other).get(QUEUE).content.decode()
    assert "Held for approval." in _signed_in(creator).get(QUEUE).content.decode()
