"""``bench.capacity``'s index figures include the shared counter file's cost, written
outside the archive."""

from __future__ import annotations

import pytest

from ficarchive.discovery import sharedsorts
from ficarchive.discovery.bench import capacity


@pytest.mark.django_db
def test_index_figures_measure_the_shared_counter_file(archive, settings, tmp_path):
    settings.DISCOVERY_BITMAPS = True
    settings.FICARCHIVE_HOME = tmp_path
    figures = capacity.index_figures()
    assert figures["counter_file_bytes"] > 8 * sharedsorts.HEADER
    assert figures["counter_share_seconds"] >= 0
    assert figures["tags_in_index"] > 0
    assert not sharedsorts.path().exists()  # measured in a temporary directory
