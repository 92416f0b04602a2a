"""`ficarchive reading history NAME`, `reading later NAME`, `reading stats NAME [--year Y]`:
a reader's history, Marked for Later list and author statistics for scripts, as the
reader sees them (works they may no longer open are left out). With --json, one object per
line; `stats` ends with a `{"totals": ...}` line."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ficarchive.accounts.selectors import user_get
from ficarchive.core.errors import NotFound
from ficarchive.reading.selectors import history_for, later_for
from ficarchive.reading.stats import author_stats


class Command(BaseCommand):
    help = "A reader's history, Marked for Later list, or author statistics."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        for name in ("history", "later", "stats"):
            action = sub.add_parser(name)
            action.add_argument("username")
            action.add_argument("--json", action="store_true")
            if name == "stats":
                action.add_argument("--year", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            user = user_get(options["username"])
        except NotFound:
            raise CommandError(f"There is no user named {options['username']!r}.") from None
        rows = getattr(self, options["action"])(user, options)
        for row in rows:
            if options["json"]:
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write("  ".join(f"{k}={v}" for k, v in row.items()))

    def history(self, user: Any, options: dict) -> list[dict]:
        return [
            {
                "work": r.work_id,
                "title": r.work.title,
                "last_chapter": r.last_chapter.position if r.last_chapter else None,
                "visited_at": r.visited_at.isoformat() if r.visited_at else None,
                "views": r.views,
            }
            for r in history_for(user)
        ]

    def later(self, user: Any, options: dict) -> list[dict]:
        return [
            {
                "work": r.work_id,
                "title": r.work.title,
                "marked_at": r.marked_at.isoformat() if r.marked_at else None,
            }
            for r in later_for(user)
        ]

    def stats(self, user: Any, options: dict) -> list[dict]:
        year = options.get("year")
        if year is not None and not 1900 <= year <= 9999:
            raise CommandError("--year must be a year, e.g. 2024.")
        data = author_stats(user, year)
        rows: list[dict] = [
            {"id": r.work.pk, "title": r.work.title, **r.figures} for r in data.works
        ]
        rows.append({"totals": data.totals, "year": data.year})
        return rows
