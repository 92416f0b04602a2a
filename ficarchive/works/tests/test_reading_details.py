"""Reading details readers notice (issue 12, kind 9): chapter titles of a work whose
first chapter alone is posted, an adult-content notice that names the work, and
right-to-left text shown with the right direction."""

from __future__ import annotations

import pytest

from ficarchive.tags.vocabulary import ArchiveWarning, Rating
from ficarchive.works.services import ChapterInput, WorkMeta, work_create

from .factories import make_work

pytestmark = pytest.mark.django_db


def test_chapter_title_shows_when_only_chapter_one_of_three_is_posted(client, author):
    """Chapter 1 of 3 is headed by its title, as AO3 heads chaptered works."""
    work = work_create(
        actor=author,
        meta=WorkMeta(
            title="Slow Tide",
            rating=Rating.GENERAL,
            warnings=[ArchiveWarning.NONE_APPLY],
            fandoms=["Original Work"],
            expected_chapters=3,
        ),
        chapters=[ChapterInput(body="The first tide.", title="Low Water")],
    )
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "Chapter 1: Low Water" in html
    one_shot = make_work(author, title="One Shot", chapters=("Just this.",))
    assert "Chapter 1" not in client.get(f"/works/{one_shot.pk}").content.decode()


def test_adult_notice_names_the_work(client, author):
    """The notice's page title and body say which work: title, creator, fandom,
    rating and warnings."""
    work = make_work(
        author,
        title="Night Harbour",
        rating=Rating.EXPLICIT,
        warnings=[ArchiveWarning.VIOLENCE],
        fandoms=["Original Work"],
        chapters=("Hidden text.",),
    )
    html = client.get(f"/works/{work.pk}").content.decode()
    title = html.split("<title>", 1)[1].split("</title>", 1)[0]
    assert "Night Harbour" in title and "author" in title and "Original Work" in title
    assert "This work could have adult content" in html
    for shown in ("Night Harbour", "Explicit", "Graphic Depictions Of Violence", "Original Work"):
        assert shown in html
    assert "Hidden text." not in html


def test_user_text_has_dir_auto(client, author):
    """Titles, summaries and chapter text carry dir="auto", so Arabic and Hebrew read
    right to left."""
    work = make_work(author, title="الأمير الصغير", summary="<p>ملخص</p>", chapters=("نص الفصل.",))
    html = client.get(f"/works/{work.pk}").content.decode()
    assert '<h1 class="title heading" dir="auto">الأمير الصغير</h1>' in html
    assert '<blockquote class="userstuff" dir="auto"><p>ملخص</p>' in html
    assert 'role="article" dir="auto"' in html


def _auto_direction(element) -> str | None:
    """The direction HTML's dir="auto" gives ``element``: that of the first strong
    character (bidi class L, R or AL) of its text, skipping descendants that set their own
    dir and script, style and textarea (HTML Living Standard, "auto" directionality)."""
    import unicodedata

    def walk(node):
        if node is not element and (
            node.get("dir") is not None or node.tag in ("script", "style", "textarea", "bdi")
        ):
            return None, node.tail
        for char in node.text or "":
            kind = unicodedata.bidirectional(char)
            if kind in ("L", "R", "AL"):
                return ("ltr" if kind == "L" else "rtl"), None
        for child in node:
            found, tail = walk(child)
            if found:
                return found, None
            for char in tail or "":
                kind = unicodedata.bidirectional(char)
                if kind in ("L", "R", "AL"):
                    return ("ltr" if kind == "L" else "rtl"), None
        return None, node.tail

    return walk(element)[0]


@pytest.mark.parametrize(
    ("interface", "text", "expected"),
    [("en", "نص الفصل بالعربية.", "rtl"), ("ar", "First words of the tale.", "ltr")],
)
def test_chapter_text_direction_comes_from_the_text(client, author, interface, text, expected):
    """An Arabic chapter reads right to left in the English interface and an English one
    left to right in the Arabic interface: the hidden "Work Text:" heading inside the
    dir="auto" block has its own dir, so it does not decide the block's direction."""
    import lxml.html

    work = make_work(author, chapters=(text,))
    html = client.get(f"/works/{work.pk}", HTTP_ACCEPT_LANGUAGE=interface).content
    (article,) = lxml.html.fromstring(html).xpath('//*[@role="article"][@dir="auto"]')
    assert _auto_direction(article) == expected
