"""The privacy matrix for two more viewers (issue 14): an account suspended until next
week, and an account the works' creator has blocked. Both read exactly what any other
signed-in reader reads, on every page, listing, feed and API address of the matrix (a
suspension makes an account read-only, not blind; a block stops responses, not reading,
as on AO3). What they may not do is tested in moderation/tests."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.test import Client, TestCase

from ficarchive.core.viewers import OPERATOR
from ficarchive.testing import make_user

from .matrix_fixtures import build_matrix_archive
from .test_visibility_matrix import (
    LISTING_SURFACES,
    PAGE_SURFACES,
    SERIES_SURFACES,
    TAG_SURFACES,
    body_text,
    expected,
    marker_for,
    url_for,
)
from .visibility_rule import STATES

VIEWERS = ("suspended", "blocked")
SURFACES = PAGE_SURFACES + LISTING_SURFACES + TAG_SURFACES + SERIES_SURFACES
CASES = [(v, s, f) for v in VIEWERS for s in STATES for f in SURFACES]


@pytest.fixture(scope="module")
def standing_archive(django_db_setup, django_db_blocker):
    """The matrix archive, plus a suspended account and one the creator blocked."""
    from ficarchive.accounts.standing import user_suspend
    from ficarchive.moderation.services import block_add

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                built = build_matrix_archive()
                suspended = make_user("matrixsuspended")
                user_suspend(
                    actor=OPERATOR,
                    user=suspended,
                    until=dt.date.today() + dt.timedelta(days=7),
                    reason="Matrix test",
                )
                blocked = make_user("matrixblocked")
                block_add(actor=built.users["creator"], username="matrixblocked")
                built.users.update(suspended=suspended, blocked=blocked)
            yield built
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture(autouse=True)
def downloads_root(settings, tmp_path_factory):
    settings.DOWNLOADS_ROOT = tmp_path_factory.getbasetemp() / "standing-downloads"


@pytest.mark.django_db
@pytest.mark.parametrize(("viewer", "state", "surface"), CASES, ids=["-".join(c) for c in CASES])
def test_suspended_and_blocked_read_as_any_reader(standing_archive, viewer, state, surface):
    client = Client()
    client.force_login(standing_archive.users[viewer])
    url = url_for(standing_archive, "reader", state, surface)
    response = client.get(url)
    assert response.status_code < 500
    text = body_text(response).replace(url, "")
    present = marker_for(state, surface) in text
    assert present == expected("reader", state, surface), (
        f"{surface} for the {viewer} account: shown={present}"
    )
