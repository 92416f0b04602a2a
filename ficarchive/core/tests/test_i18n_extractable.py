"""Marked strings reach the catalogues: `makemessages` runs xgettext with Django's keywords
(gettext, gettext_lazy, _, ngettext, pgettext...), so a string marked through another alias
(``gettext_lazy as _l``) is never extracted and stays English in every language."""

from __future__ import annotations

import re
from pathlib import Path

import ficarchive

# The names Django's makemessages passes to xgettext as --keyword (django/core/management/
# commands/makemessages.py), plus the plain "_" every module uses.
KNOWN = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}
ALIAS = re.compile(r"from django\.utils\.translation import .*?\b(\w+) as (\w+)")


def test_translation_functions_keep_names_xgettext_knows():
    """No module imports a translation function under a name xgettext does not extract."""
    root = Path(ficarchive.__file__).parent
    bad = []
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            for _func, alias in ALIAS.findall(line):
                if alias not in KNOWN:
                    bad.append(f"{path.relative_to(root)}: {line.strip()}")
    assert not bad, "strings marked with these aliases never reach the catalogues:\n" + "\n".join(
        bad
    )
