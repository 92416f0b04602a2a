"""Every template's text is marked for translation (issue 18): a test fails on any text a
reader would see (text between tags, and the title, placeholder, aria-label, alt and
button value attributes) outside ``{% translate %}`` and ``{% blocktranslate %}``."""

from __future__ import annotations

from pathlib import Path

import pytest

from .i18n_support import PACKAGE, flatten, pending, template_files, unmarked_text, wordy

TEMPLATES = [p for p in template_files() if not pending(p)]


@pytest.mark.parametrize("path", TEMPLATES, ids=lambda p: p.relative_to(PACKAGE).as_posix())
def test_template_text_is_marked_for_translation(path: Path):
    """No user-visible words outside a translate tag (apps still being marked on other
    branches are listed in i18n_support.I18N_PENDING_APPS and left out)."""
    found = unmarked_text(path)
    assert not found, f"{path.relative_to(PACKAGE)}: mark for translation: {found}"


def test_every_template_loads_i18n_where_it_translates():
    """A template that translates loads the i18n library itself (Django does not inherit
    loaded libraries from the template it extends)."""
    missing = [
        p.relative_to(PACKAGE).as_posix()
        for p in TEMPLATES
        if "translate" in p.read_text() and "i18n" not in p.read_text()
    ]
    assert not missing


def test_the_check_finds_unmarked_text(tmp_path: Path):
    """The scan reports text and attributes left in English, and passes translated ones,
    template values, symbols and the text of scripts."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        '{% load i18n %}<p>Hello {{ name }}</p><input placeholder="Search works">'
        '<img alt="Cover"><input type="submit" value="Go"><button value="go">{% translate "Go" %}</button>'
        '<a title="{% translate \'Next\' %}">→ 2 · 3</a><script>var a = "x";</script><code>GET /api/v1</code>'
        "{% blocktranslate %}Welcome {{ name }}{% endblocktranslate %}"
        "{% comment %}Not shown{% endcomment %}{# nor this #}"
    )
    assert unmarked_text(bad) == [
        "Hello …",
        'placeholder="Search works"',
        'alt="Cover"',
        'value="Go"',
    ]
    mail = tmp_path / "mail.txt"
    mail.write_text("{% load i18n %}{% translate 'Hi' %}\nUnmarked line {{ x }}\n{{ link }}\n")
    assert unmarked_text(mail) == ["Unmarked line …"]


def test_symbols_and_format_names_need_no_translation():
    """What reads the same in every language passes: numbers, arrows, the format names."""
    assert not wordy("→ 12 · 3 / 4")
    assert not wordy("EPUB · PDF")
    assert wordy("Next →")
    assert "Welcome" not in flatten("{% blocktrans %}Welcome{% endblocktrans %}")
