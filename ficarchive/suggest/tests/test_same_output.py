"""The engine's output on a fixed corpus, pinned while its speed is worked on.

Each digest is the SHA-256 of the suggestions' JSON (``as_json(detail=True)``, keys
sorted) for one work of :mod:`.output_corpus`, as computed by the engine before the
speed changes of issue 16's fourth round. A speed change must leave every digest as
it is; a deliberate change of what a detector proposes updates them, with the reason
in its commit.
"""

import hashlib
import json

import pytest

from ficarchive.suggest.engine import suggest_for_text

from .output_corpus import CORPUS, lexicon

DIGESTS = {
    "harbour": "bb39e74a6df69085",
    "glass": "a8788220b6e3888b",
    "school": "a88328a07e67e980",
    "vampire": "912299ebacfb9b57",
    "chinese": "a88328a07e67e980",
    "html": "f252fc4df1592c2a",
}


@pytest.mark.parametrize(("name", "chapters", "fandoms"), CORPUS, ids=[c[0] for c in CORPUS])
def test_output_is_unchanged(name, chapters, fandoms):
    got = suggest_for_text(chapters, lexicon(), fandoms=fandoms).as_json(detail=True)
    text = json.dumps(got, sort_keys=True, ensure_ascii=False)
    assert hashlib.sha256(text.encode()).hexdigest()[:16] == DIGESTS[name], text[:400]
