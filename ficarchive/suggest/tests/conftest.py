"""Fixtures for suggestion tests: a small lexicon over two clashing fandoms."""

import pytest

from ficarchive.suggest.lexicon import build_lexicon


@pytest.fixture
def lexicon():
    """Buffy and Cowboy Bebop characters (two "Spike"s), plus an original pair."""
    return build_lexicon(
        [
            {"name": "Buffy Summers", "fandoms": ["Buffy the Vampire Slayer"]},
            {"name": "Dawn Summers", "fandoms": ["Buffy the Vampire Slayer"]},
            {"name": "Spike (Buffy the Vampire Slayer)", "fandoms": ["Buffy the Vampire Slayer"]},
            {
                "name": "Rupert Giles",
                "fandoms": ["Buffy the Vampire Slayer"],
                "synonyms": ["Giles"],
            },
            {"name": "Spike Spiegel", "fandoms": ["Cowboy Bebop"]},
            {"name": "Faye Valentine", "fandoms": ["Cowboy Bebop"]},
            {"name": "Jet Black", "fandoms": ["Cowboy Bebop"]},
            {"name": "Anna Berg", "fandoms": ["Original Work"]},
            {"name": "Ben Ortiz", "fandoms": ["Original Work"]},
        ],
        relationships=["Buffy Summers/Spike (Buffy the Vampire Slayer)"],
    )


@pytest.fixture
def holmes_work(author):
    """A work naming three canonical characters of its (canonical) fandom, tagged with none."""
    from django.core.cache import cache

    from .factories import make_canon, make_holmes_work

    cache.clear()
    make_canon()
    return make_holmes_work(author)
