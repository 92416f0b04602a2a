"""A small synthetic labelled folder, in the shared set's layout, written by each test.

The texts are made from a handful of sentences written here (no shared data): quiet
ones for General Audiences, fighting for Teen And Up, implied sex for Mature, described
sex for Explicit, so a model has something to learn and a test can tell it did.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

QUIET = [
    "Anna Berg walked to the market with Ben Ortiz and bought apples.",
    "They talked about the weather and the long summer ahead.",
    "She read a book by the window while the kettle boiled.",
    "He fixed the garden gate and waved at the neighbours.",
]
FIGHT = [
    "He punched the guard and the guard kicked him back.",
    "She drew her sword and killed the bandit at the gate.",
    "A shot rang out and blood ran down his arm.",
]
IMPLIED = [
    "They made love that night and she slept with him until dawn.",
    "He undressed her slowly and they spent the night together.",
]
EXPLICIT = [
    "His cock was hard and she stroked it until he came, his orgasm shaking him.",
    "He thrust into her and she moaned, her clit throbbing as she climaxed.",
]
CHINESE = "安娜和本一起去市场买苹果。他们谈论天气和漫长的夏天。她在窗边看书。"

RATINGS = {
    "General Audiences": QUIET,
    "Teen And Up Audiences": QUIET + FIGHT * 3,
    "Mature": QUIET + IMPLIED * 3,
    "Explicit": QUIET + EXPLICIT * 4,
}


def write_labelled(folder: Path, per_rating: int = 10, seed: int = 1, chinese: int = 0) -> Path:
    """Write ``labels.jsonl`` and ``text/NNNN.txt`` for ``per_rating`` works of each of
    the four ratings (plus ``chinese`` Chinese works rated General Audiences), with
    characters, a relationship and categories. Returns the folder."""
    rng = random.Random(seed)
    (folder / "text").mkdir(parents=True, exist_ok=True)
    rows = []
    n = 0
    for rating, pool in RATINGS.items():
        for _ in range(per_rating):
            n += 1
            body = " ".join(rng.choice(pool) for _ in range(40))
            rows.append(_row(folder, n, rating, body))
    for _ in range(chinese):
        n += 1
        rows.append(_row(folder, n, "General Audiences", CHINESE * 20, language="中文-普通话 國語"))
    with (folder / "labels.jsonl").open("w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    return folder


def _row(folder: Path, n: int, rating: str, body: str, language: str = "English") -> dict:
    name = f"text/{n:04d}.txt"
    (folder / name).write_text(body, encoding="utf-8")
    violent = rating == "Teen And Up Audiences" and n % 2 == 0
    return {
        "id": f"{n:04d}",
        "text": name,
        "language": language,
        "rating": rating,
        "warnings": ["Graphic Depictions Of Violence"]
        if violent
        else ["No Archive Warnings Apply"],
        "categories": ["F/M"] if n % 3 else None,
        "fandoms": ["Original Work"],
        "relationships": ["Anna Berg/Ben Ortiz"],
        "characters": ["Anna Berg", "Ben Ortiz"],
    }
