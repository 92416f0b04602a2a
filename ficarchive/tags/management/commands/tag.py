"""`ficarchive tag ...`: tag wrangling for bulk scripts, as the archive's operator.

    tag show NAME                       tag list [--kind K] [--fandom F] [--unwrangled]
    tag canonical NAME [--kind K]       tag synonym NAME CANONICAL
    tag parent CHILD PARENT             tag fandom NAME FANDOM
    tag rename OLD NEW

Each takes --json (one JSON object per line on stdout). A refused change exits non-zero
with a one-line reason on stderr and changes nothing."""

from __future__ import annotations

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags import selectors, services
from ficarchive.tags.models import Tag

KIND_CHOICES = ["fandom", "relationship", "character", "freeform", "additional"]


def _kind(value: str | None) -> str | None:
    if value is None:
        return None
    return "freeform" if value == "additional" else value


class Command(BaseCommand):
    help = "Show, list and wrangle tags."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(
            dest="action",
            required=True,
            metavar="{show,list,canonical,synonym,parent,fandom,rename}",
        )

        def add(name: str, help_text: str, *positionals: str) -> CommandParser:
            p = sub.add_parser(name, help=help_text)
            for positional in positionals:
                p.add_argument(positional)
            p.add_argument("--json", action="store_true", help="one JSON object per line")
            return p

        add("show", "a tag, its synonyms, meta and sub tags, fandoms and works count", "name")
        listing = add("list", "tags by name")
        listing.add_argument("--kind", choices=KIND_CHOICES)
        listing.add_argument("--fandom", help="only tags linked to this fandom (or its subtags)")
        listing.add_argument("--unwrangled", action="store_true", help="only tags not yet wrangled")
        canonical = add(
            "canonical",
            "make a tag canonical, creating it when absent (freeform by default)",
            "name",
        )
        canonical.add_argument("--kind", choices=KIND_CHOICES)
        add(
            "synonym",
            "make NAME a synonym of the canonical tag CANONICAL (merging it if canonical)",
            "name",
            "canonical",
        )
        add("parent", "make PARENT a metatag of CHILD", "child", "parent")
        add(
            "fandom",
            "link a character, relationship or additional tag to a fandom",
            "name",
            "fandom",
        )
        add("rename", "rename a tag; works keep it", "old", "new")

    def handle(self, *args: Any, **options: Any) -> None:
        self.as_json = options["json"]
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            raise CommandError(" ".join(messages).replace("\n", " "))

    # --- helpers ---------------------------------------------------------------------

    def _get(self, name: str) -> Tag:
        tag = selectors.tag_by_name(name)
        if tag is None:
            raise CommandError(f"No tag named {name!r}.")
        return tag

    def _emit(self, tag: Tag) -> None:
        tag.refresh_from_db()
        data = selectors.tag_as_json(tag)
        if self.as_json:
            self.stdout.write(json.dumps(data, ensure_ascii=False))
            return
        state = (
            "canonical"
            if tag.canonical
            else (
                f"synonym of {data['synonym_of']}"
                if tag.synonym_of_id
                else "unwrangled"
                if tag.is_unwrangled
                else "not canonical"
            )
        )
        self.stdout.write(f"{tag.name} [{tag.kind}, {state}] works: {data['works']}")
        for key in ("synonyms", "parents", "children", "fandoms", "characters"):
            if data[key]:
                self.stdout.write(f"  {key}: {', '.join(data[key])}")

    # --- actions ---------------------------------------------------------------------

    def _show(self, options: dict[str, Any]) -> None:
        self._emit(self._get(options["name"]))

    def _list(self, options: dict[str, Any]) -> None:
        fandom = self._get(options["fandom"]) if options["fandom"] else None
        qs = selectors.tags_list(
            kind=_kind(options["kind"]), fandom=fandom, unwrangled=options["unwrangled"]
        )
        for tag in qs.iterator(chunk_size=2000):
            if self.as_json:
                row = {
                    "name": tag.name,
                    "kind": tag.kind,
                    "canonical": tag.canonical,
                    "synonym_of": tag.synonym_of.name if tag.synonym_of_id else None,
                    "unwrangled": tag.is_unwrangled,
                    "uses": tag.uses,
                }
                self.stdout.write(json.dumps(row, ensure_ascii=False))
            else:
                self.stdout.write(f"{tag.name}\t{tag.kind}\t{'canonical' if tag.canonical else ''}")

    def _canonical(self, options: dict[str, Any]) -> None:
        tag = services.tag_make_canonical(
            actor=OPERATOR, tag=options["name"], kind=_kind(options["kind"])
        )
        self._emit(tag)

    def _synonym(self, options: dict[str, Any]) -> None:
        tag, canonical = self._get(options["name"]), self._get(options["canonical"])
        self._emit(services.tag_make_synonym(actor=OPERATOR, tag=tag, canonical=canonical))

    def _parent(self, options: dict[str, Any]) -> None:
        child, parent = self._get(options["child"]), self._get(options["parent"])
        self._emit(services.tag_add_parent(actor=OPERATOR, child=child, parent=parent))

    def _fandom(self, options: dict[str, Any]) -> None:
        tag, fandom = self._get(options["name"]), self._get(options["fandom"])
        self._emit(services.tag_link_fandom(actor=OPERATOR, tag=tag, fandom=fandom))

    def _rename(self, options: dict[str, Any]) -> None:
        tag = self._get(options["old"])
        self._emit(services.tag_rename(actor=OPERATOR, tag=tag, new_name=options["new"]))
