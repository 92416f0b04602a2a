"""A creator is not offered Subscribe on their own work (AO3 does not offer it); other
signed-in readers are. The subscriptions API still accepts it (a no-op worth no refusal)."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_no_subscribe_button_on_ones_own_work(client, author, user, work):
    client.force_login(author)
    assert ">Subscribe<" not in client.get(work.get_absolute_url()).content.decode()
    client.force_login(user)
    assert ">Subscribe<" in client.get(work.get_absolute_url()).content.decode()
