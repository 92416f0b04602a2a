"""The `ficarchive` console script: Django's command runner with Ficarchive's settings.

`ficarchive import-efiction ...` runs the management command `import_efiction`; every
Django command (migrate, createsuperuser, check ...) is there too."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    args[0] = "ficarchive"
    from django.core.management import execute_from_command_line

    execute_from_command_line(args)


if __name__ == "__main__":
    main()
