"""`ficarchive site signup {open,confirm,invite,queue} [--json]`, `ficarchive site queue-send
[--count N] [--json]`, `ficarchive site purge-unconfirmed [--json]`, `ficarchive site show
[--json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.core.viewers import OPERATOR
from ficarchive.site import selectors, services
from ficarchive.site.models import SignupMode


class Command(BaseCommand):
    help = "Site settings: the sign-up mode, the invite queue, unconfirmed accounts."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        signup = sub.add_parser("signup", help="set how people sign up")
        signup.add_argument("mode", choices=SignupMode.values)
        signup.add_argument("--json", action="store_true", help='print {"signup_mode": MODE}')
        queue = sub.add_parser("queue-send", help="send the invite queue's next invitations")
        queue.add_argument("--count", type=int, default=None, help="default: invites per day")
        queue.add_argument("--json", action="store_true")
        purge = sub.add_parser("purge-unconfirmed", help="delete long-unconfirmed accounts")
        purge.add_argument("--json", action="store_true")
        show = sub.add_parser("show", help="print the site settings")
        show.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            if action == "signup":
                services.signup_mode_set(actor=OPERATOR, mode=options["mode"])
                if options["json"]:
                    mode = selectors.site_settings().signup_mode
                    self.stdout.write(json.dumps({"signup_mode": mode}))
                else:
                    self.stdout.write(f"Sign-up mode: {options['mode']}.")
            elif action == "queue-send":
                count = options["count"]
                if count is not None and count < 0:
                    raise CommandError("--count must be 0 or more.")
                sent = services.invite_queue_send(actor=OPERATOR, count=count)
                self._report(options, "sent", sent, "Sent {n} invitation(s).")
            elif action == "purge-unconfirmed":
                removed = services.unconfirmed_purge()
                self._report(options, "deleted", removed, "Deleted {n} unconfirmed account(s).")
            else:
                row = selectors.site_settings()
                data = {
                    "signup_mode": row.signup_mode,
                    "invites_per_day": row.invites_per_day,
                    "user_invitations": row.user_invitations,
                    "unconfirmed_days": row.unconfirmed_days,
                    "queue": selectors.queue_length(),
                    "tos_version": selectors.tos_version(),
                }
                if options["json"]:
                    self.stdout.write(json.dumps(data))
                else:
                    for key, value in data.items():
                        self.stdout.write(f"{key}: {value}")
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))

    def _report(self, options: dict[str, Any], key: str, items: list[str], text: str) -> None:
        if options["json"]:
            self.stdout.write(json.dumps({key: items}))
        else:
            self.stdout.write(text.format(n=len(items)))
