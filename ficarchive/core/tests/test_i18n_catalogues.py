"""The French and Arabic catalogues are complete, compiled and current (issue 18): no
entry untranslated or fuzzy, placeholders kept, the committed .mo files say what their
.po files say (so `make run` needs no GNU gettext), and every string the code marks is in
the catalogue (`make messages` would add nothing)."""

from __future__ import annotations

import gettext
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .i18n_support import (
    I18N_PENDING_APPS,
    LANGUAGES,
    PACKAGE,
    REPO,
    Entry,
    catalogues,
    locale_apps,
    read_po,
)

PLURALS = {"fr": 2, "ar": 6}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdr]|\{(\w*)\}")
CATALOGUES = catalogues()


def _ids(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _entries(path: Path) -> list[Entry]:
    return [e for e in read_po(path) if e.msgid and not e.obsolete]


def test_each_app_that_shows_pages_keeps_both_catalogues():
    """Every app with templates, except those other branches are still marking, has a
    French and an Arabic catalogue."""
    apps = {p.parent.name for p in PACKAGE.glob("*/templates")} - I18N_PENDING_APPS
    for app in sorted(apps):
        for lang in LANGUAGES:
            po = PACKAGE / app / "locale" / lang / "LC_MESSAGES" / "django.po"
            assert po.is_file(), f"{_ids(po)} is missing: run `make messages`"


@pytest.mark.parametrize("po", CATALOGUES, ids=_ids)
def test_catalogue_is_complete(po: Path):
    """No untranslated or fuzzy entry, the header names the language and its plural
    forms (fr 2, ar 6), and every plural entry has that many forms."""
    lang = po.parts[-3]
    header = next(e for e in read_po(po) if e.msgid == "")
    assert "fuzzy" not in header.flags
    assert f"Language: {lang}\n" in header.msgstr[0]
    assert f"nplurals={PLURALS[lang]};" in header.msgstr[0]
    untranslated = [e.msgid for e in _entries(po) if e.untranslated]
    fuzzy = [e.msgid for e in _entries(po) if "fuzzy" in e.flags]
    assert not untranslated, f"untranslated in {_ids(po)}: {untranslated}"
    assert not fuzzy, f"fuzzy in {_ids(po)}: {fuzzy}"
    short = [e.msgid for e in _entries(po) if e.msgid_plural and len(e.msgstr) != PLURALS[lang]]
    assert not short, f"wrong number of plural forms in {_ids(po)}: {short}"


@pytest.mark.parametrize("po", CATALOGUES, ids=_ids)
def test_translations_keep_the_placeholders(po: Path):
    """A translation names the same %(name)s and {name} placeholders as its source text
    (a lost or misspelt one would fail or show the wrong value at run time)."""
    wrong = []
    for e in _entries(po):
        wanted = set(PLACEHOLDER.findall(e.msgid + (e.msgid_plural or "")))
        for form in e.msgstr.values():
            if not set(PLACEHOLDER.findall(form)) <= wanted:
                wrong.append((e.msgid, form))
            if not e.msgid_plural and set(PLACEHOLDER.findall(form)) != wanted:
                wrong.append((e.msgid, form))
    assert not wrong, f"placeholders differ in {_ids(po)}: {wrong}"


def _po_catalogue(po: Path) -> dict[object, str]:
    catalogue: dict[object, str] = {}
    for e in _entries(po):
        key = e.msgid if e.msgctxt is None else f"{e.msgctxt}\x04{e.msgid}"
        if e.msgid_plural is None:
            catalogue[key] = e.msgstr[0]
        else:
            catalogue.update({(key, n): text for n, text in e.msgstr.items()})
    return catalogue


@pytest.mark.parametrize("po", CATALOGUES, ids=_ids)
def test_committed_mo_is_compiled_from_its_po(po: Path):
    """The .mo beside each .po holds exactly its translations, read back with Python's own
    gettext: run `make compilemessages` after changing a .po."""
    mo = po.with_suffix(".mo")
    assert mo.is_file(), f"{_ids(mo)} is missing: run `make compilemessages`"
    with mo.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    catalogue = dict(compiled._catalog)  # type: ignore[attr-defined]
    catalogue.pop("", None)  # the header
    assert catalogue == _po_catalogue(po), f"{_ids(mo)} is stale: run `make compilemessages`"


def _django_admin() -> Path:
    return Path(sys.executable).parent / "django-admin"


def _fresh_ids(app: Path, tmp_path: Path, domain: str) -> set[tuple[str | None, str]]:
    """The message ids `makemessages` finds in a copy of ``app`` today."""
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("locale", "__pycache__"))
    (copy / "locale").mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "FICARCHIVE_HOME": str(tmp_path / "home"),
    }
    subprocess.run(
        [str(_django_admin()), "makemessages", "-l", "fr", "-d", domain, "--no-location", "-v0"],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    fresh = copy / "locale" / "fr" / "LC_MESSAGES" / f"{domain}.po"
    return {e.key for e in _entries(fresh)} if fresh.exists() else set()


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
@pytest.mark.parametrize("app", locale_apps(), ids=lambda p: p.name)
@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_catalogues_hold_every_marked_string(app: Path, domain: str, tmp_path: Path):
    """`makemessages` run on the app today finds exactly the ids the committed catalogues
    hold: nothing marked is missing a translation, nothing stale is left over."""
    if not _django_admin().exists():
        pytest.skip("django-admin is not beside this Python")
    fresh = _fresh_ids(app, tmp_path, domain)
    for lang in LANGUAGES:
        po = app / "locale" / lang / "LC_MESSAGES" / f"{domain}.po"
        held = {e.key for e in _entries(po)} if po.exists() else set()
        assert not fresh - held, f"{_ids(po)} lacks {sorted(fresh - held)}: run `make messages`"
        assert not held - fresh, f"{_ids(po)} has stale {sorted(held - fresh)}: run `make messages`"
