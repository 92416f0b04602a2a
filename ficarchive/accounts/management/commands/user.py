"""`ficarchive user create NAME [--admin] [--password-stdin] [--email E] [--json]`,
`ficarchive user list [--json]`, `ficarchive user token NAME [--write] [--json]`,
`ficarchive user suspend NAME --until YYYY-MM-DD --reason TEXT [--json]` and
`ficarchive user unsuspend NAME [--json]` (with --json: the account as `user list` gives
it)."""

from __future__ import annotations

import datetime as dt
import json
import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from ficarchive.accounts import standing
from ficarchive.accounts.models import TokenScope, User
from ficarchive.accounts.services import user_create
from ficarchive.accounts.tokens import token_create
from ficarchive.core.viewers import OPERATOR


def _as_json(user: User) -> dict[str, Any]:
    """One account for scripts; ``suspended_until`` is the day the suspension ends (ISO
    date) while it lasts, else null."""
    until = None
    if standing.suspended(user) and user.suspended_until is not None:
        until = timezone.localtime(user.suspended_until).date().isoformat()
    return {
        "id": user.pk,
        "name": user.username,
        "username": user.username,
        "email": user.email,
        "admin": user.is_admin,
        "confirmed": user.email_confirmed,
        "suspended_until": until,
        "banned": user.banned,
    }


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--until takes a date as YYYY-MM-DD, not {value!r}.")


def _user(name: str) -> User:
    user = User.objects.filter(username__iexact=name).first()
    if user is None:
        raise CommandError(f"No account is named {name!r}.")
    return user


class Command(BaseCommand):
    help = "Create or list accounts, or make a personal access token."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action", required=True, metavar="{create,list,token,suspend,unsuspend}"
        )
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
        suspend = sub.add_parser("suspend", help="make an account read-only until a date")
        suspend.add_argument("name")
        suspend.add_argument("--until", required=True, help="YYYY-MM-DD, the day it ends")
        suspend.add_argument("--reason", required=True, help="shown to the user")
        suspend.add_argument("--json", action="store_true", help="print the account")
        unsuspend = sub.add_parser("unsuspend", help="end a suspension now")
        unsuspend.add_argument("name")
        unsuspend.add_argument("--json", action="store_true", help="print the account")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self._create(options)
        elif options["action"] == "token":
            self._token(options)
        elif options["action"] == "suspend":
            user = _user(options["name"])
            try:
                standing.user_suspend(
                    actor=OPERATOR,
                    user=user,
                    until=_date(options["until"]),
                    reason=options["reason"],
                )
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages))
            user.refresh_from_db()
            self._done(options, user, f"Suspended {user.username} until {options['until']}.")
        elif options["action"] == "unsuspend":
            user = standing.user_unsuspend(actor=OPERATOR, user=_user(options["name"]))
            user.refresh_from_db()
            self._done(options, user, f"{user.username} is no longer suspended.")
        else:
            self._list(options)

    def _done(self, options: dict[str, Any], user: User, text: str) -> None:
        self.stdout.write(json.dumps(_as_json(user)) if options.get("json") else text)

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
        user = _user(options["name"])
        scope = TokenScope.WRITE if options["write"] else TokenScope.READ
        try:
            _token, raw = token_create(actor=user, name="ficarchive user token", scope=scope)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages))
        self.stdout.write(json.dumps({"token": raw}) if options["json"] else raw)
