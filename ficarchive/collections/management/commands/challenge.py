"""`ficarchive challenge import-signups NAME FILE.json`, `ficarchive challenge set NAME
--match-fandoms N --match-characters N ...`, `ficarchive challenge match NAME [--json]`,
`ficarchive challenge send NAME` and `ficarchive challenge assignments NAME --json`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils import timezone

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import OPERATOR

from ...selectors import assignments_of
from ...services import (
    assignments_send,
    challenge_match,
    challenge_of,
    challenge_set,
    collection_by_name,
    signups_import,
    tag_set_add,
)

NUMBERS = (
    "match_fandoms",
    "match_characters",
    "match_relationships",
    "match_freeforms",
    "requests_min",
    "requests_max",
    "offers_min",
    "offers_max",
    "claims_per_prompt",
)
DATES = ("signups_open_at", "signups_close_at", "assignments_due_at")


def _date(text: str) -> dt.datetime:
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        # argparse's own error for a type function: the usage, one line, exit status 2
        # (a CommandError raised here escapes Django's handler as a traceback).
        raise argparse.ArgumentTypeError(
            f"Not a date: {text!r} (use YYYY-MM-DD or an ISO date and time)."
        )
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return value


class Command(BaseCommand):
    help = "Gift exchanges and prompt memes from scripts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        imp = sub.add_parser(
            "import-signups",
            aliases=["import_signups"],
            help="add sign-ups from a JSON file (all or none)",
        )
        imp.add_argument("name", help="the exchange's collection name")
        imp.add_argument(
            "file",
            help='a JSON list of {"user", "requests": [SET], "offers": [SET]}; SET = '
            '{"fandoms", "characters", "relationships", "freeforms"}',
        )
        imp.add_argument("--json", action="store_true")
        setting = sub.add_parser("set", help="challenge settings")
        setting.add_argument("name")
        for key in NUMBERS:
            setting.add_argument("--" + key.replace("_", "-"), type=int, dest=key)
        for key in DATES:
            setting.add_argument("--" + key.replace("_", "-"), type=_date, dest=key)
        setting.add_argument("--open", action="store_true", dest="open")
        setting.add_argument("--close", action="store_true", dest="close")
        for kind in ("fandom", "character", "relationship", "freeform"):
            setting.add_argument(
                f"--tag-set-{kind}", action="append", default=[], dest=f"ts_{kind}"
            )
        setting.add_argument("--json", action="store_true")
        match = sub.add_parser("match", help="potential matches and assignments")
        match.add_argument("name")
        match.add_argument("--json", action="store_true")
        send = sub.add_parser("send", help="send the assignments to the givers")
        send.add_argument("name")
        send.add_argument("--json", action="store_true")
        bench = sub.add_parser("bench", help="time the matching on synthetic sign-ups")
        bench.add_argument("--signups", type=int, action="append", default=[])
        bench.add_argument("--json", action="store_true")
        listing = sub.add_parser("assignments", help="list the assignments")
        listing.add_argument("name")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"].replace("_", "-")
        if action == "bench":
            self._bench(options)
            return
        try:
            collection = collection_by_name(options["name"])
            getattr(self, "_" + action.replace("-", "_"))(collection, options)
        except (ValidationError, NotFound, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError(" ".join(messages)) from None

    def _out(self, options: dict[str, Any], data: dict[str, Any], text: str) -> None:
        self.stdout.write(json.dumps(data) if options.get("json") else text)

    def _import_signups(self, collection: Any, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            rows = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise CommandError(f"Cannot read {path}: {exc}") from None
        made = signups_import(collection=collection, rows=rows)
        self._out(options, {"signups": len(made)}, f"Imported {len(made)} sign-ups.")

    def _set(self, collection: Any, options: dict[str, Any]) -> None:
        values: dict[str, Any] = {
            k: options[k] for k in (*NUMBERS, *DATES) if options[k] is not None
        }
        if options["open"] and options["close"]:
            raise CommandError("Pass --open or --close, not both.")
        if options["open"] or options["close"]:
            values["signups_open"] = bool(options["open"])
        with transaction.atomic():
            challenge = challenge_set(actor=OPERATOR, collection=collection, **values)
            for kind in ("fandom", "character", "relationship", "freeform"):
                if options[f"ts_{kind}"]:
                    tag_set_add(
                        actor=OPERATOR,
                        collection=collection,
                        kind=kind,
                        names=options[f"ts_{kind}"],
                    )
        data = {"name": collection.name, **{k: getattr(challenge, k) for k in NUMBERS}}
        self._out(options, data, f"Updated {collection.name}.")

    def _match(self, collection: Any, options: dict[str, Any]) -> None:
        result = challenge_match(actor=OPERATOR, collection=collection)
        self._out(
            options,
            result,
            "{signups} sign-ups: {assigned} assigned, {unassigned} unassigned "
            "({seconds} s).".format(**result),
        )

    def _send(self, collection: Any, options: dict[str, Any]) -> None:
        sent = assignments_send(actor=OPERATOR, collection=collection)
        self._out(options, {"sent": sent}, f"Sent {sent} assignments.")

    def _bench(self, options: dict[str, Any]) -> None:
        from ...bench import run

        for n in options["signups"] or [300, 3000]:
            if n < 2:
                raise CommandError("--signups needs at least 2.")
            row = run(n)
            self._out(
                options,
                row,
                "{signups} sign-ups: {potential_matches} potential matches, {assigned} assigned "
                "({matched_share:.1%}) in {seconds} s (potential {potential_seconds} s, "
                "assignments {assign_seconds} s); peak resident {rss_before_mib} MiB "
                "before, {max_rss_mib} MiB after".format(**row),
            )

    def _assignments(self, collection: Any, options: dict[str, Any]) -> None:
        challenge_of(collection)
        for row in assignments_of(collection):
            data = {"giver": row.giver_name, "recipient": row.recipient_name}
            self._out(options, data, f"{row.giver_name} -> {row.recipient_name}")
