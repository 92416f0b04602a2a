"""`ficarchive user create NAME [--admin] [--password-stdin] [--email E] [--json]`,
`ficarchive user list [--json]` and `ficarchive user token NAME [--write] [--json]`."""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.accounts.models import TokenScope, User
from ficarchive.accounts.services import user_create
from ficarchive.accounts.tokens import token_create


def _as_json(user: User) -> dict[str, Any]:
    return {"id": user.pk, "username": user.username, "email": user.email, "admin": user.is_admin}


class Command(BaseCommand):
    help = "Create or list accounts, or make a personal access token."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,list,token}")
        create = sub.add_parser("create", help="create an account with its default pseud")
        create.add_argument("name")
        create.add_argument(
            "--admin", action="store_true", help="make the account staff and superuser"
        )
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="read the password from the first line of stdin",
        )
        create.add_argument("--email", default="")
        create.add_argument("--json", action="store_true")
        listing = sub.add_parser("list", help="list accounts")
        listing.add_argument("--json", action="store_true")
        token = sub.add_parser(
            "token", help="make a personal access token for the API and OPDS, and print it"
        )
        token.add_argument("name", help="the account the token acts as")
        token.add_argument(
            "--write",
            action="store_true",
            help="read-write (post, edit, comment...); else read only",
        )
        token.add_argument("--json", action="store_true", help='print {"token": "fa_..."}')

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "token":
            self._token(options)
        else:
            self._list(options)

    def _create(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_stdin"]:
            line = sys.stdin.readline()
            password = line.rstrip("\r\n")
            if not password:
                raise CommandError("No password on stdin (expected it on the first line).")
        try:
            # The operator chooses; the password validators are for the sign-up form.
            user = user_create(
                username=options["name"],
                email=options["email"],
                password=password,
                admin=options["admin"],
                check_password=False,
                allow_reserved=True,
            )
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        if password is None:
            self.stderr.write(
                f"Note: {user.username} has no password yet; set one with `ficarchive changepassword "
                f"{user.username}` or the password reset page."
            )
        if options["json"]:
            self.stdout.write(json.dumps(_as_json(user)))
        else:
            role = "admin account" if user.is_admin else "account"
            self.stdout.write(f"Created {role} {user.username} (id {user.pk}).")

    def _list(self, options: dict[str, Any]) -> None:
        for user in User.objects.order_by("id").iterator():
            if options["json"]:
                self.stdout.write(json.dumps(_as_json(user)))
            else:
                flags = " admin" if user.is_admin else ""
                self.stdout.write(f"{user.pk}\t{user.username}\t{user.email}{flags}")

    def _token(self, options: dict[str, Any]) -> None:
        """Print a new token for the account: the token alone, or {"token": ...} with --json."""
        user = User.objects.filter(username__iexact=options["name"]).first()
        if user is None:
            raise CommandError(f"No account is named {options['name']!r}.")
        scope = TokenScope.WRITE if options["write"] else TokenScope.READ
        try:
            _token, raw = token_create(actor=user, name="ficarchive user token", scope=scope)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(json.dumps({"token": raw}) if options["json"] else raw)
