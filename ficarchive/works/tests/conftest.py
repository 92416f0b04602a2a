"""Every works test starts with an empty hit buffer (works.hits): visits buffered by an
earlier test, whose works were rolled back, must not land on this test's works."""

from __future__ import annotations

import pytest

from ficarchive.works.hits import hits_discard


@pytest.fixture(autouse=True)
def _empty_hit_buffer():
    hits_discard()
    yield
