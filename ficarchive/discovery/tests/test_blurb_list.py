"""``{% cached_blurbs works %}`` (``discovery/_results.html``) draws the same HTML as the
template loop it replaced: each work's ``cached_blurb``, then its search snippet (escaped
unless already safe, in the reader's language), nothing for a work without one; and a
search page still shows its snippets."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.utils import translation
from django.utils.safestring import mark_safe

from ficarchive.testing import make_user, make_work

OLD_LOOP = (
    "{% load i18n discovery_blurbs %}{% for work in works %}{% cached_blurb work %}"
    '{% if work.search_snippet %}<li class="snippet" aria-label="{% translate "Matching text" %}">'
    '<p dir="auto">{{ work.search_snippet }}</p></li>{% endif %}{% endfor %}'
)
NEW_TAG = "{% load discovery_blurbs %}{% cached_blurbs works %}"


@dataclass
class Row:
    pk: int
    title: str
    posted: bool
    blurb_html: str
    search_snippet: object = None
    read_state: object = None


def _works() -> list[Row]:
    return [
        Row(1, "One & <b>", True, '<li class="work blurb">one</li>'),
        Row(2, "Two", True, "<li>two</li>", mark_safe("a <mark>door</mark>")),
        Row(3, "Three", False, "<li>three</li>", "<script>x</script> & more"),
    ]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_tag_draws_what_the_loop_drew(language):
    request = RequestFactory().get("/works/search?q=door")
    with translation.override(language):
        old = Template(OLD_LOOP).render(Context({"works": _works(), "request": request}))
        new = Template(NEW_TAG).render(Context({"works": _works(), "request": request}))
    assert new == old
    assert "&lt;script&gt;" in new and "<mark>door</mark>" in new
    assert new.count('class="snippet"') == 2


@pytest.mark.django_db(transaction=True)
def test_a_search_page_shows_its_snippets():
    cache.clear()
    make_work(make_user("snippetauthor"), title="Doors", chapters=("The hidden door creaked.",))
    page = Client().get("/works/search?q=hidden+door").content.decode()
    cache.clear()
    assert '<li class="snippet" aria-label="Matching text"><p dir="auto">' in page
    assert "<mark>hidden</mark>" in page
