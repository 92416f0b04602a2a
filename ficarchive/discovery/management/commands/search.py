"""`ficarchive search [QUERY] [--tag T]... [--exclude-tag T]... [--rating R]... [--sort S]
[--limit N] [--json]`: the site's search, as the archive's operator.

A query word that starts with "-" is an exclusion (`ficarchive search dragon -vampire`),
not an option; `ficarchive search -- -vampire` works as well."""

from __future__ import annotations

import json
import re

from django.core.management.base import BaseCommand, CommandError

from ficarchive.core.viewers import OPERATOR
from ficarchive.discovery.forms import FilterParams
from ficarchive.discovery.query import QuerySyntaxError, parse_query
from ficarchive.discovery.search import search_works
from ficarchive.discovery.serializers import work_summary_json
from ficarchive.discovery.sorts import SORTS
from ficarchive.tags.vocabulary import Rating

_EXCLUSION_RE = re.compile(r"^-[^-\d\s]")


def _exclusions_first(parser, args):
    """Split off query words that start with "-" (exclusions such as -vampire), which
    argparse would take for options ("-vampire" as "-v ampire"): any argument that starts
    with one "-" and is not an option the command knows. "--" works too, as usual."""
    known = set(parser._option_string_actions)
    words, rest, after_dashes = [], [], False
    for arg in args:
        if arg == "--":
            after_dashes = True
        if not after_dashes and _EXCLUSION_RE.match(arg) and arg.split("=", 1)[0] not in known:
            words.append(arg)
        else:
            rest.append(arg)
    return words, rest


class Command(BaseCommand):
    help = "Search the archive with the site's query syntax and filters (every posted work)."

    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        parse_args = parser.parse_args

        def parse_with_exclusions(args=None, namespace=None):
            words, rest = _exclusions_first(parser, list(args or []))
            options = parse_args(rest, namespace)
            options.query = list(options.query or []) + words
            return options

        parser.parse_args = parse_with_exclusions
        return parser

    def add_arguments(self, parser):
        parser.add_argument(
            "query",
            nargs="*",
            help='words, "phrases", -word, OR, title:, creator:, tag:, rating:, words:>N',
        )
        parser.add_argument(
            "--tag",
            action="append",
            default=[],
            help="include works with this tag (synonyms and subtags too)",
        )
        parser.add_argument(
            "--exclude-tag", action="append", default=[], help="leave out works with this tag"
        )
        parser.add_argument(
            "--rating", action="append", default=[], help="one of: " + ", ".join(Rating.values)
        )
        parser.add_argument("--sort", default="", help="one of: " + ", ".join(SORTS))
        parser.add_argument(
            "--limit", type=int, default=20, help="at most this many works (default 20, up to 1000)"
        )
        parser.add_argument("--json", action="store_true", help="one JSON object per work")

    def handle(self, *args, **options):
        text = " ".join(options["query"])
        try:
            parse_query(text)
        except QuerySyntaxError as exc:
            raise CommandError(f"Cannot read the query: {exc}")
        for rating in options["rating"]:
            if rating not in Rating.values:
                raise CommandError(
                    f"{rating!r} is not a rating; use one of: {', '.join(Rating.values)}."
                )
        if options["sort"] and options["sort"] not in SORTS:
            raise CommandError(f"Unknown sort {options['sort']!r}; use one of: {', '.join(SORTS)}.")
        limit = options["limit"]
        if not 1 <= limit <= 1000:
            raise CommandError("--limit must be between 1 and 1000.")
        params = FilterParams.from_data(
            {
                "q": text,
                "tag": options["tag"],
                "exclude_tag": options["exclude_tag"],
                "rating": options["rating"],
                "sort": options["sort"],
            }
        )
        result = search_works(OPERATOR, params, page_size=limit, facets=False, snippets=False)
        if result.query_error:
            raise CommandError(f"Cannot read the query: {result.query_error}")
        for message in result.errors:
            self.stderr.write(message)
        for work in result.works:
            if options["json"]:
                self.stdout.write(json.dumps(work_summary_json(work), ensure_ascii=False))
            else:
                self.stdout.write(
                    f"{work.pk}\t{work.title}\t{work.rating}\t{work.word_count} words\t{work.kudos_count} kudos"
                )
        if not options["json"]:
            self.stderr.write(f"{len(result.works)} of {result.total} works")
