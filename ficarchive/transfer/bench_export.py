"""Time the export of one long work: `python -m ficarchive.transfer.bench_export`.

Makes a throwaway archive (FICARCHIVE_HOME must point at an empty folder), posts a work of
about WORDS words in 50 chapters made from The Adventures of Sherlock Holmes, and times
each format through the same function the downloads and `ficarchive export` use."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

WORDS = int(os.environ.get("BENCH_WORDS", "500000"))
FORMATS = sys.argv[1:] or ["html", "epub", "txt", "pdf"]
SOURCE = Path(os.environ.get("BENCH_SOURCE", "../shared/data/fiction/gutenberg-1661"))


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from ficarchive.testing import make_user, make_work
    from ficarchive.transfer.downloads import download_bytes
    from ficarchive.transfer.downloads.document import export_work_load

    text_file = next(p for p in sorted(SOURCE.rglob("*.txt")))
    paragraphs = [
        p.strip()
        for p in text_file.read_text(encoding="utf-8", errors="replace").split("\n\n")
        if p.strip()
    ]
    per_chapter = WORDS // 50
    chapters: list[str] = []
    current: list[str] = []
    count = i = 0
    while len(chapters) < 50:
        para = paragraphs[i % len(paragraphs)]
        i += 1
        current.append(para)
        count += len(para.split())
        if count >= per_chapter:
            chapters.append("\n\n".join(current))
            current, count = [], 0
    author = make_user("bench_author")
    started = time.perf_counter()
    work = make_work(author, title="Benchmark Holmes", chapters=chapters)
    print(
        f"work {work.pk}: {work.word_count:,} words, {work.chapter_count} chapters "
        f"(created in {time.perf_counter() - started:.1f} s)"
    )
    for fmt in FORMATS:
        started = time.perf_counter()
        data = download_bytes(export_work_load(work), fmt)
        print(f"{fmt:5} {time.perf_counter() - started:7.2f} s  {len(data) / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()
