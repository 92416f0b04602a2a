"""`ficarchive collection create NAME --title T --owner USER [--moderated] [--closed]
[--anonymous] [--unrevealed] [--gift-exchange] [--prompt-meme] [--json]`,
`ficarchive collection reveal NAME` and `ficarchive collection reveal --due`."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.accounts.models import User
from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.core.viewers import OPERATOR

from ...models import ChallengeKind, Collection
from ...services import (
    collection_by_name,
    collection_create,
    collection_reveal,
    collections_reveal_due,
)


def collection_json(c: Collection) -> dict[str, Any]:
    """The collection as the command prints it; ``url`` absolute (FICARCHIVE_SITE_URL), as
    the works' ``url`` of ``import --json`` and ``search --json``."""
    return {
        "name": c.name,
        "title": c.title,
        "url": settings.SITE_URL + c.get_absolute_url(),
        "moderated": c.moderated,
        "closed": c.closed,
        "anonymous": c.anonymous,
        "unrevealed": c.unrevealed,
        "challenge": c.challenge_kind or None,
        "revealed_at": c.revealed_at.isoformat() if c.revealed_at else None,
    }


class Command(BaseCommand):
    help = "Create collections and reveal them."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="{create,reveal}")
        create = sub.add_parser("create", help="create a collection")
        create.add_argument("name")
        create.add_argument("--title", required=True)
        create.add_argument("--owner", required=True, help="the owning account's name")
        for flag in ("moderated", "closed", "anonymous", "unrevealed"):
            create.add_argument(f"--{flag}", action="store_true")
        kind = create.add_mutually_exclusive_group()
        kind.add_argument("--gift-exchange", action="store_true")
        kind.add_argument("--prompt-meme", action="store_true")
        create.add_argument("--parent", help="the parent collection's name")
        create.add_argument("--json", action="store_true")
        reveal = sub.add_parser("reveal", help="reveal works and creators")
        reveal.add_argument("name", nargs="?")
        reveal.add_argument("--due", action="store_true", help="every collection whose date came")
        reveal.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self._create(options)
            else:
                self._reveal(options)
        except (ValidationError, NotFound, PermissionDenied) as exc:
            messages = getattr(exc, "messages", None) or [str(exc)]
            raise CommandError(" ".join(messages)) from None

    def _create(self, options: dict[str, Any]) -> None:
        owner = User.objects.filter(username__iexact=options["owner"]).first()
        if owner is None:
            raise CommandError(f"No account named {options['owner']}.")
        kind = ChallengeKind.NONE
        if options["gift_exchange"]:
            kind = ChallengeKind.GIFT_EXCHANGE
        elif options["prompt_meme"]:
            kind = ChallengeKind.PROMPT_MEME
        parent = collection_by_name(options["parent"]) if options["parent"] else None
        collection = collection_create(
            actor=OPERATOR,
            owner=owner,
            name=options["name"],
            title=options["title"],
            parent=parent,
            moderated=options["moderated"],
            closed=options["closed"],
            anonymous=options["anonymous"],
            unrevealed=options["unrevealed"],
            challenge=kind,
        )
        if options["json"]:
            self.stdout.write(json.dumps(collection_json(collection)))
        else:
            self.stdout.write(f"Created {collection.name}: {collection.get_absolute_url()}")

    def _reveal(self, options: dict[str, Any]) -> None:
        if options["due"]:
            names = collections_reveal_due()
            for name in names:
                self.stdout.write(
                    json.dumps({"name": name}) if options["json"] else f"Revealed {name}"
                )
            return
        if not options["name"]:
            raise CommandError("Name the collection to reveal, or pass --due.")
        collection = collection_by_name(options["name"])
        works = collection_reveal(actor=OPERATOR, collection=collection)
        if options["json"]:
            self.stdout.write(json.dumps({"name": collection.name, "works": works}))
        else:
            self.stdout.write(f"Revealed {collection.name} ({works} works).")
