"""Renaming a pseud or an account in the Django admin reaches search at once."""

from __future__ import annotations

import lxml.html
import pytest

from ficarchive.accounts.models import Pseud
from ficarchive.discovery.selectors import OPERATOR, filter_works
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def admin_post(client, url: str, form_id: str, **changes: str) -> None:
    """Submit an admin change form as a browser would, with these fields changed."""
    page = lxml.html.fromstring(client.get(url).content)
    (form,) = [f for f in page.forms if f.get("id") == form_id]
    data = dict(form.form_values())
    data.update(changes)
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]


def found(q: str) -> list[int]:
    return [w.pk for w in filter_works(OPERATOR, {"q": q}).works]


def test_pseud_renamed_in_admin_is_searchable_by_the_new_name(client):
    """A pseud renamed in the Django admin: its works are found by the new name only."""
    author = make_user("lamplighter")
    work = make_work(author, title="Harbour Fog")
    client.force_login(make_user("site_admin", is_superuser=True, is_staff=True))
    pseud = Pseud.objects.get(user=author)
    admin_post(client, f"/admin/accounts/pseud/{pseud.pk}/change/", "pseud_form", name="Foghorn")
    assert found("foghorn") == [work.pk]
    assert found("lamplighter") == [work.pk]  # the account name is still in the text
    admin_post(
        client, f"/admin/accounts/user/{author.pk}/change/", "user_form", username="tidewatcher"
    )
    assert found("tidewatcher") == [work.pk]
    assert found("lamplighter") == []
