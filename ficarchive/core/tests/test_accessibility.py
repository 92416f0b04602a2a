"""Issue 18, accessibility faults as server-side checks: the adult-content notice, the
posting form's labels and descriptions, the download pages, the filter sidebar's markup,
and the stylesheet's contrast in both colour schemes (WCAG 2.2 AA, 1.4.3 and 1.4.11)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tinycss2
from django.test import Client

from ficarchive.testing import make_work

SITE_CSS = Path(__file__).resolve().parents[1] / "static" / "core" / "site.css"


def _luminance(hex_colour: str) -> float:
    """WCAG 2.2 relative luminance of "#rrggbb" or "#rgb"."""
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    """WCAG 2.2 contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def _variables(rules) -> dict[str, str]:
    found: dict[str, str] = {}
    for rule in rules:
        if rule.type == "qualified-rule" and tinycss2.serialize(rule.prelude).strip() == ":root":
            for decl in tinycss2.parse_declaration_list(rule.content, skip_whitespace=True):
                if decl.type == "declaration" and decl.name.startswith("--"):
                    found[decl.name] = tinycss2.serialize(decl.value).strip()
    return found


def schemes() -> dict[str, dict[str, str]]:
    """The custom properties of the light scheme, and of the dark one (light overridden by
    the prefers-color-scheme: dark block), read with tinycss2."""
    sheet = tinycss2.parse_stylesheet(
        SITE_CSS.read_text(), skip_whitespace=True, skip_comments=True
    )
    light = _variables(sheet)
    dark = dict(light)
    for rule in sheet:
        if rule.type == "at-rule" and "prefers-color-scheme: dark" in tinycss2.serialize(
            rule.prelude
        ):
            dark.update(_variables(tinycss2.parse_rule_list(rule.content, skip_whitespace=True)))
    return {"light": light, "dark": dark}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_contrast_meets_aa_in_both_schemes(scheme):
    """Header and primary buttons ≥ 4.5:1 for their text; text, links and errors ≥ 4.5:1
    on the page and on panels; control borders and the focus ring ≥ 3:1."""
    v = schemes()[scheme]
    assert contrast(v["--header-fg"], v["--header-bg"]) >= 4.5
    assert contrast(v["--primary-fg"], v["--primary-bg"]) >= 4.5
    for fg in ("--fg", "--muted", "--link", "--error"):
        for bg in ("--bg", "--panel"):
            assert contrast(v[fg], v[bg]) >= 4.5, (scheme, fg, bg)
    assert contrast(v["--control-border"], v["--bg"]) >= 3, scheme
    assert contrast(v["--focus"], v["--bg"]) >= 3, scheme
    # A primary button stands out from the page by its border (1.4.11).
    assert (
        max(contrast(v["--primary-border"], v["--bg"]), contrast(v["--primary-bg"], v["--bg"])) >= 3
    ), scheme


@pytest.mark.django_db
def test_adult_notice_shows_the_blurb_and_a_session_choice(author):
    """The notice shows the work's blurb (warnings, tags, summary) and offers "for this
    session"; after it no adult work asks again in that session."""
    first = make_work(
        author,
        title="Night Garden",
        rating="Explicit",
        warnings=["Major Character Death"],
        freeforms=["Angst"],
        summary="<p>A long night.</p>",
    )
    second = make_work(author, title="Second Night", rating="Mature")
    guest = Client()
    html = guest.get(f"/works/{first.pk}").content.decode()
    assert "This work could have adult content" in html
    assert "Major Character Death" in html and "Angst" in html and "A long night." in html
    session_link = re.search(r'href="(\?[^"]*view_adult=session[^"]*)"', html)
    assert session_link
    assert (
        "It was a dark and stormy night"
        in guest.get(f"/works/{first.pk}{session_link.group(1)}").content.decode()
    )
    assert (
        "This work could have adult content"
        not in guest.get(f"/works/{second.pk}").content.decode()
    )
    # Another session is asked again.
    assert (
        "This work could have adult content" in Client().get(f"/works/{second.pk}").content.decode()
    )


@pytest.mark.django_db
def test_posting_form_descriptions_labels_and_required(author):
    """Every aria-describedby on the posting form points at an element that exists; every
    control has a label; required fields carry aria-required and a visible marker."""
    client = Client()
    client.force_login(author)
    html = client.get("/works/new").content.decode()
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    described = re.findall(r'aria-describedby="([^"]+)"', html)
    assert described
    for value in described:
        for ref in value.split():
            assert ref in ids, ref
    controls = re.findall(r"<(?:input|select|textarea)\b[^>]*>", html)
    for control in controls:
        if re.search(r'type="(hidden|submit)"', control) or "honeypot" in control:
            continue
        cid = re.search(r'\sid="([^"]+)"', control)
        assert cid and f'for="{cid.group(1)}"' in html, control
    for name in ("title", "body", "rating"):
        tag = re.search(rf'<(?:input|select|textarea)\b[^>]*name="{name}"[^>]*>', html).group(0)
        assert 'aria-required="true"' in tag, name
    assert html.count('class="required-marker"') >= 6


@pytest.mark.django_db
def test_guest_restricted_work_names_nothing(author):
    """A guest at a registered-users-only work lands on the log-in form with the notice."""
    work = make_work(author, title="Private Garden", restricted=True)
    page = Client().get(f"/works/{work.pk}", follow=True)
    html = page.content.decode()
    assert page.status_code == 200 and page.redirect_chain[0][1] == 302
    assert "This work is only available to registered users of the Archive." in html
    assert (
        'name="password"' in html
        and "Private Garden" not in html
        and "author" not in html.split("<main")[1].split("next=")[0]
    )


@pytest.mark.django_db
def test_filter_sidebar_markup(author):
    """Sort comes first in the filter form, groups are details/summary, the Filters toggle
    and the "Skip to filters" link are there, and nothing applies on change."""
    make_work(author)
    html = Client().get("/works").content.decode()
    form = html[html.index('<form id="work-filters"') :]
    assert form.index('id="filter-sort"') < form.index('type="submit"') < form.index("<details")
    assert '<summary class="filters-toggle">Filters</summary>' in html
    assert 'href="#work-filters">Skip to filters</a>' in html
    script = (
        Path(__file__).resolve().parents[2] / "discovery/static/discovery/filters.js"
    ).read_text()
    assert '"change"' not in script


@pytest.mark.django_db
def test_download_building_page_refreshes_itself(author, settings):
    """The building page reloads itself without JavaScript (noscript refresh) and loads the
    script that checks and starts the download."""
    from ficarchive.transfer.views import reader_error

    work = make_work(author)
    settings.FICARCHIVE_EBOOK_CONVERT = "/nonexistent/ebook-convert"
    page = Client().get(f"/downloads/{work.pk}/{work.slug}.mobi")
    html = page.content.decode()
    assert page.status_code == 202
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in html
    assert "transfer/download_wait.js" in html
    assert reader_error("Making the PDF took longer than 600 seconds.", "PDF").startswith(
        "Making the PDF took too long"
    )
    assert "can't make MOBI" in reader_error(
        "MOBI downloads need Calibre's ebook-convert, which is not installed on this server.",
        "MOBI",
    )
    assert "exit 1" not in reader_error("Calibre could not make the PDF (exit 1): Traceback", "PDF")


@pytest.mark.django_db
def test_download_built_in_the_request_fails_in_plain_words(author, monkeypatch):
    """A quick format that fails while built for this request gets the same plain page
    (503), never the builder's text or a server error."""
    from ficarchive.transfer.downloads import ConversionError

    work = make_work(author)

    def broken(*args, **kwargs):
        raise ConversionError("Traceback: zipfile.BadZipFile at 0xdeadbeef")

    monkeypatch.setattr("ficarchive.transfer.downloads.delivery.download_build", broken)
    page = Client().get(f"/downloads/{work.pk}/{work.slug}.epub")
    html = page.content.decode()
    assert page.status_code == 503
    assert "Something went wrong while making the EPUB" in html and "0xdeadbeef" not in html
