"""The site app caches the terms' version and the banner per process: start and end each
test with an empty cache so that no test sees another's."""

from __future__ import annotations

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()
