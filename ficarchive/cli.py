"""The `ficarchive` console script: Django's command runner with Ficarchive's settings.

`ficarchive import-efiction ...` runs the management command `import_efiction`; every
Django command (migrate, createsuperuser, check ...) is there too. Ficarchive's own data
commands bring the database up to date first, so they work on a fresh data folder."""

from __future__ import annotations

import os
import sys
from typing import NoReturn

# Commands that read or write the archive, and so need its tables.
DATA_COMMANDS = {
    "backup",
    "bench",
    "bench_mail",
    "challenge",
    "collection",
    "demo",
    "export",
    "import",
    "import_efiction",
    "invite",
    "reading",
    "reindex",
    "search",
    "site",
    "suggest",
    "tag",
    "user",
    "worker",
}


def _settings_or_exit() -> None:
    """Read the settings now: a malformed or misspelt value (ImproperlyConfigured) ends
    the program with its one-line reason, before any command starts."""
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured

    try:
        settings.INSTALLED_APPS  # noqa: B018 - touching a setting loads them all
    except ImproperlyConfigured as exc:
        sys.exit(f"ficarchive: {exc}")


def _one_line_usage_errors() -> None:
    """A mistyped command line ends with one line on stderr and exit status 2, as every
    other error does (CONTRACT.md: "errors go to stderr with a one-line reason"):
    ``ficarchive search: error: argument --limit: invalid int value: 'abc' (see
    ficarchive search --help)``, not argparse's usage block before it. Django builds
    every command's parser (sub-commands' too) from ``CommandParser``, so its ``error``
    is the one place; called from code, it still raises CommandError as Django's does."""
    from django.core.management.base import CommandError, CommandParser

    def error(self: CommandParser, message: str) -> NoReturn:
        if self.called_from_command_line:
            self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")
        raise CommandError(f"Error: {message}")

    CommandParser.error = error  # type: ignore[method-assign]


def _unknown_command_or_exit(name: str) -> None:
    """An unknown command ends with one line (Django's own message takes two)."""
    import difflib

    import django
    from django.core.management import get_commands

    django.setup()
    known = get_commands()
    if name in known or name in {"help", "version"}:
        return
    close = difflib.get_close_matches(name, known, n=1)
    hint = f"; did you mean {close[0].replace('_', '-')}?" if close else ""
    sys.exit(f"ficarchive: unknown command {name!r}{hint} (see ficarchive help)")


def _migrate_if_needed() -> None:
    import django

    django.setup()
    from ficarchive.core.schema import migrate_if_needed

    migrate_if_needed()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    _settings_or_exit()
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "ficarchive"
    if len(args) > 1 and not args[1].startswith("-"):
        _unknown_command_or_exit(args[1])
    from django.db import OperationalError

    _one_line_usage_errors()
    try:
        _run(args)
    except OperationalError as exc:
        # The database is down, refuses us, or is locked past the busy timeout: one line
        # (CONTRACT.md), the driver's first line of the reason, not a traceback.
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        sys.exit(f"ficarchive: database error: {reason}")


def _run(args: list[str]) -> None:
    """The command (after the migration data commands need), a closed pipe ending
    quietly."""
    from django.core.management import execute_from_command_line

    try:
        if len(args) > 1 and args[1] in DATA_COMMANDS and not {"-h", "--help"} & set(args[2:]):
            _migrate_if_needed()
        execute_from_command_line(args)
    except BrokenPipeError:
        # The reader of our output went away (`ficarchive user list --json | head`): stop
        # quietly, as a Unix filter does, instead of a traceback. Python's recipe
        # (docs.python.org, "Note on SIGPIPE"): point stdout at devnull so the interpreter's
        # final flush cannot raise again, and exit 1.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
