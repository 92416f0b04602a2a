"""Deleting a bookmark asks first, as AO3 does ("Are you sure?"): the Delete form sits in a
<details> step that works without JavaScript (as Clear History and comment Delete do)."""

from __future__ import annotations

import lxml.html
import pytest
from django.urls import reverse

from ficarchive.feedback import services
from ficarchive.feedback.models import Bookmark

pytestmark = pytest.mark.django_db


@pytest.fixture
def bookmark(user, work):
    return services.bookmark_save(actor=user, work=work, notes="", tags=[])


def _delete_forms(html: str, bookmark) -> list:
    action = reverse("feedback:bookmark_delete", args=[bookmark.pk])
    forms = lxml.html.fromstring(html).xpath(f'//form[@action="{action}"]')
    assert forms, "no Delete form"
    return forms


@pytest.mark.parametrize("page", ["list", "edit"])
def test_bookmark_delete_asks_first(client, user, bookmark, page):
    client.force_login(user)
    url = (
        reverse("feedback:user_bookmarks", args=[user.username])
        if page == "list"
        else reverse("feedback:bookmark_edit", args=[bookmark.pk])
    )
    for form in _delete_forms(client.get(url).content.decode(), bookmark):
        details = form.xpath("ancestor::details")
        assert details, "the Delete form is not behind a confirmation step"
        assert "Are you sure?" in details[0].text_content()
    # Confirming still deletes.
    client.post(reverse("feedback:bookmark_delete", args=[bookmark.pk]))
    assert not Bookmark.objects.filter(pk=bookmark.pk).exists()
