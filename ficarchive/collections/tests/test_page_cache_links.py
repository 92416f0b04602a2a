"""A guest's cached work page (works.page_cache) names other works and people through the
collections' part: related works ("Inspired by", "Works inspired by this one") and gift
recipients. What those show must follow the other work's state at once: a related work
restricted, hidden, made a draft's equal or deleted must not stay named on a cached page
for guests, nor a refused gift or a hidden link (red-team round: stale copies).

These tests commit (``transaction=True``): nothing read inside a transaction is stored."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.models import RelatedWork
from ficarchive.collections.services import (
    gift_add,
    gift_refuse,
    related_work_add,
    related_work_review,
)
from ficarchive.testing import make_user, make_work
from ficarchive.works.models import Work
from ficarchive.works.page_cache import CACHE_HEADER
from ficarchive.works.services import WorkMeta, work_delete, work_hide, work_update

pytestmark = [pytest.mark.django_db(transaction=True)]
BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


def guest_get(path: str) -> tuple[str, str]:
    response = Client().get(path, **BROWSER)
    assert response.status_code == 200
    return response.content.decode(), response.headers.get(CACHE_HEADER, "")


def warm(path: str) -> str:
    """Fetch twice: the second answer is from the cache."""
    guest_get(path)
    body, header = guest_get(path)
    assert header == "hit", header
    return body


def _restricted(work: Work) -> WorkMeta:
    return WorkMeta(
        title=work.title,
        rating="General Audiences",
        warnings=["No Archive Warnings Apply"],
        fandoms=["Sherlock Holmes - Arthur Conan Doyle"],
        restricted=True,
    )


@pytest.fixture
def alice():
    return make_user("alice")


@pytest.fixture
def bob():
    return make_user("bob")


@pytest.mark.parametrize("change", ["restrict", "hide", "delete"])
@pytest.mark.parametrize("side", ["derived", "source"])
def test_related_work_leaving_guests_leaves_cached_page(alice, bob, change, side):
    """A related work a guest may no longer read is no longer named on the other work's
    cached page: "Works inspired by this one" (derived) or "Inspired by" (source)."""
    original = make_work(alice, title="Orchard")
    remix = make_work(bob, title="Secret Grove")
    related_work_add(actor=bob, work=remix, relation="inspired_by", parent=original)
    RelatedWork.objects.update(status="approved")
    shown, moving = (original, remix) if side == "derived" else (remix, original)
    owner = bob if moving == remix else alice
    title = moving.title
    assert title in warm(f"/works/{shown.pk}")
    moving = Work.objects.get(pk=moving.pk)
    if change == "restrict":
        work_update(actor=owner, work=moving, meta=_restricted(moving))
    elif change == "hide":
        admin = make_user("root", is_staff=True, is_superuser=True)
        work_hide(actor=admin, work=moving, hidden=True)
    else:
        work_delete(actor=owner, work=moving)
    body, header = guest_get(f"/works/{shown.pk}")
    assert title not in body, header


def test_link_approved_or_hidden_shows_at_once(alice, bob):
    """The original's creator approving, then hiding, a link changes its cached page."""
    original = make_work(alice, title="Orchard")
    remix = make_work(bob, title="Secret Grove")
    link = related_work_add(actor=bob, work=remix, relation="inspired_by", parent=original)
    assert "Secret Grove" not in warm(f"/works/{original.pk}")
    link = related_work_review(actor=alice, link=link, approve=True)
    assert "Secret Grove" in guest_get(f"/works/{original.pk}")[0]
    assert "Secret Grove" in warm(f"/works/{original.pk}")
    related_work_review(actor=alice, link=link, approve=False)
    assert "Secret Grove" not in guest_get(f"/works/{original.pk}")[0]


def test_refused_gift_leaves_cached_page(alice, bob):
    """A refused gift "no longer shows anywhere": not on the work's cached page either."""
    work = make_work(alice, title="Orchard")
    warm(f"/works/{work.pk}")
    gift = gift_add(actor=alice, work=work, name="bob")
    assert "For:" in guest_get(f"/works/{work.pk}")[0]
    assert "For:" in warm(f"/works/{work.pk}")
    gift_refuse(actor=bob, gift=gift)
    assert "For:" not in guest_get(f"/works/{work.pk}")[0]
