"""`ficarchive invite create [--count N] [--email E] [--json]` prints new invitation codes
(one per line; ``{"code": ...}`` per line with --json); `ficarchive invite list [--json]`."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.core.viewers import OPERATOR
from ficarchive.site import services
from ficarchive.site.models import Invitation


class Command(BaseCommand):
    help = "Make or list invitation codes."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="make invitation codes and print them")
        create.add_argument("--count", type=int, default=1)
        create.add_argument("--email", default="", help="mail the code(s) to this address")
        create.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="list the codes, used or not")
        listing.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            try:
                made = services.invitations_create(
                    actor=OPERATOR,
                    count=options["count"],
                    email=options["email"],
                    send=bool(options["email"]),
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages))
            for invitation in made:
                self.stdout.write(
                    json.dumps({"code": invitation.code}) if options["json"] else invitation.code
                )
            return
        for inv in Invitation.objects.select_related("used_by").order_by("id"):
            row = {
                "code": inv.code,
                "email": inv.email or None,
                "used_by": inv.used_by.username if inv.used_by else None,
                "expires_at": inv.expires_at.isoformat() if inv.expires_at else None,
            }
            if options["json"]:
                self.stdout.write(json.dumps(row))
            else:
                self.stdout.write(f"{inv.code}\t{row['used_by'] or '-'}")
