"""A work's skin stylesheet follows the work's own rule (core/tests/visibility_rule.py):
whoever may not open the work gets the answer for a missing one."""

from __future__ import annotations

import pytest

from ficarchive.core.tests import visibility_rule as rule
from ficarchive.skins import services
from ficarchive.testing import make_user, make_work
from ficarchive.works.services import work_delete, work_hide

STATES = ("public", "restricted", "draft", "hidden", "deleted")
ROLES = ("guest", "reader", "creator", "admin")
pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", STATES)
def test_skin_css_follows_the_work(client, state):
    creator = make_user("skin_creator")
    admin = make_user("skin_admin", is_staff=True, is_superuser=True)
    users = {"reader": make_user("skin_reader"), "creator": creator, "admin": admin}
    work = make_work(creator, restricted=state == "restricted", draft=state == "draft")
    skin, _ = services.work_skin_create(actor=creator, title="S", css=".a{color:red}")
    services.work_skin_set(actor=creator, work_id=work.pk, skin=skin)
    if state == "hidden":
        work_hide(actor=admin, work=work, hidden=True)
    if state == "deleted":
        work_delete(actor=creator, work=work)
    for role in ROLES:
        client.logout()
        if role != "guest":
            client.force_login(users[role])
        status = client.get(f"/works/{work.pk}/skin.css").status_code
        assert status == (200 if rule.may_view(role, state) else 404), (role, state)
