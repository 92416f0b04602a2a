"""Server time of the work page for a 10-chapter, 50,000-word work, measured with the
Django test client (no network, no browser): `.venv/bin/python -m ficarchive.works.bench`.

Runs against a throwaway SQLite database in a temporary FICARCHIVE_HOME."""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time


def main(rounds: int = 30) -> None:
    home = tempfile.mkdtemp(prefix="ficarchive-bench-")
    os.environ["FICARCHIVE_HOME"] = home
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    sys.path.insert(0, os.getcwd())
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client

    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)

    from ficarchive.testing import make_user, make_work

    words = (
        "the quiet river ran past the old mill while she counted the stars again " * 10
    ).split()
    paragraph = " ".join(words[:100])
    chapter = "\n\n".join([paragraph] * 50)  # 5,000 words
    author = make_user("bench_author")
    work = make_work(
        author,
        title="Bench Work",
        chapters=[chapter] * 10,
        characters=[f"Character {i}" for i in range(8)],
        freeforms=[f"Tag {i}" for i in range(12)],
    )
    assert work.word_count == 50_000, work.word_count
    client = Client(HTTP_USER_AGENT="Mozilla/5.0 bench")
    results = {}
    for label, url in (
        ("work page (chapter 1)", f"/works/{work.pk}"),
        ("full work (10 chapters, 50,000 words)", f"/works/{work.pk}?view_full_work=true"),
    ):
        client.get(url)  # warm-up: templates compiled, hit recorded
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200
        results[label] = (
            statistics.median(times),
            sorted(times)[int(len(times) * 0.95) - 1],
            len(response.content),
        )
    print(
        f"Command: .venv/bin/python -m ficarchive.works.bench  (SQLite, Django test client, {rounds} rounds)"
    )
    for label, (median, p95, size) in results.items():
        print(f"{label}: median {median:.1f} ms, p95 {p95:.1f} ms, {size / 1024:.0f} KiB of HTML")


if __name__ == "__main__":
    main()
