"""The work page: header block, chapters, adult notice, warnings preference, hits, queries."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating
from ficarchive.works.models import Work

from .factories import make_user, make_work

BROWSER = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/128.0"}


@pytest.fixture
def three_chapters(author):
    return make_work(
        author,
        title="Three Parts",
        chapters=("Alpha text here.", "Beta text here.", "Gamma text here."),
        categories=[Category.GEN],
        relationships=["Holmes & Watson"],
        characters=["Sherlock Holmes"],
        freeforms=["Fluff"],
        summary="The summary.",
        notes="Opening notes.",
        end_notes="Closing notes.",
    )


def test_published_and_updated_dates(client, author):
    """The stats give the published date, and the updated date once a chapter came later."""
    import datetime as dt

    from django.utils import timezone

    from ficarchive.works.services import ChapterInput, chapter_add

    work = make_work(author, chapters=("One.",), in_progress=True)
    Work.objects.filter(pk=work.pk).update(
        published_at=timezone.now() - dt.timedelta(days=10),
        revised_at=timezone.now() - dt.timedelta(days=10),
    )
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "Published:" in html and "Updated:" not in html
    chapter_add(actor=author, work=Work.objects.get(pk=work.pk), chapter=ChapterInput(body="Two."))
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "Updated:" in html and timezone.localdate().isoformat() in html


def test_work_header_block(client, three_chapters):
    """The header shows every tag kind, language and the stats AO3 shows."""
    html = client.get(f"/works/{three_chapters.pk}", **BROWSER).content.decode()
    for piece in (
        "General Audiences",
        "No Archive Warnings Apply",
        "Gen",
        "Sherlock Holmes - Arthur Conan Doyle",
        "Holmes &amp; Watson",
        "Sherlock Holmes",
        "Fluff",
        "English",
        "Published:",
        "Words:",
        "Chapters:",
        "3/3",
        "Kudos:",
        "Comments:",
        "Bookmarks:",
        "Hits:",
        "The summary.",
        "Opening notes.",
    ):
        assert piece in html, piece


def test_multichapter_work_opens_on_first_chapter(client, three_chapters):
    """/works/ID of a multi-chapter work shows chapter 1 with a Next Chapter link."""
    chapters = list(three_chapters.chapters.order_by("position"))
    html = client.get(f"/works/{three_chapters.pk}").content.decode()
    assert "Alpha text" in html and "Beta text" not in html
    assert f'href="/works/{three_chapters.pk}/chapters/{chapters[1].pk}"' in html
    assert "Next Chapter" in html and "Previous Chapter" not in html


def test_chapter_page_has_previous_and_next(client, three_chapters):
    """A middle chapter links to the chapters either side."""
    chapters = list(three_chapters.chapters.order_by("position"))
    html = client.get(chapters[1].get_absolute_url()).content.decode()
    assert "Beta text" in html and "Alpha text" not in html
    assert f'rel="prev" href="{chapters[0].get_absolute_url()}"' in html
    assert f'rel="next" href="{chapters[2].get_absolute_url()}"' in html


def test_last_chapter_shows_end_notes(client, three_chapters):
    """The work's end notes come after the last chapter, not the first."""
    chapters = list(three_chapters.chapters.order_by("position"))
    assert "Closing notes." not in client.get(chapters[0].get_absolute_url()).content.decode()
    assert "Closing notes." in client.get(chapters[2].get_absolute_url()).content.decode()


def test_full_work_view(client, three_chapters):
    """?view_full_work=true shows every chapter in order, with the end notes."""
    html = client.get(f"/works/{three_chapters.pk}?view_full_work=true").content.decode()
    assert (
        html.index("Alpha")
        < html.index("Beta")
        < html.index("Gamma")
        < html.index("Closing notes.")
    )
    assert "Chapter by Chapter" in html


def test_download_links(client, three_chapters):
    """The Download menu links every format at /downloads/ID/SLUG.EXT."""
    html = client.get(f"/works/{three_chapters.pk}").content.decode()
    for ext in ("epub", "azw3", "mobi", "pdf", "html"):
        assert f'href="/downloads/{three_chapters.pk}/three-parts.{ext}"' in html


def test_creator_sees_actions(client, author, user, three_chapters):
    """Creators get Edit, Add Chapter, Manage Chapters, Delete, Orphan; readers do not."""
    client.force_login(author)
    html = client.get(f"/works/{three_chapters.pk}").content.decode()
    for action in ("/edit", "/chapters/new", "/chapters/manage", "/delete", "/orphan"):
        assert f"/works/{three_chapters.pk}{action}" in html
    client.force_login(user)
    html = client.get(f"/works/{three_chapters.pk}").content.decode()
    assert f"/works/{three_chapters.pk}/edit" not in html


def test_in_progress_work_shows_question_mark(client, author):
    """A work in progress shows its chapter count as N/?."""
    work = make_work(author, chapters=("One.", "Two."), in_progress=True)
    assert work.chapters_display == "2/?"
    assert "2/?" in client.get(f"/works/{work.pk}").content.decode()


# --- Adult notice --------------------------------------------------------------------
@pytest.mark.parametrize("rating", [Rating.MATURE, Rating.EXPLICIT, Rating.NOT_RATED])
def test_adult_notice_for_guests(client, author, rating):
    """Mature, Explicit and Not Rated works open on the notice, whose link passes it."""
    work = make_work(author, rating=rating, chapters=("Secret words.",))
    response = client.get(f"/works/{work.pk}")
    html = response.content.decode()
    assert "This work could have adult content" in html
    assert "Secret words." not in html
    assert "?view_adult=true" in html
    html = client.get(f"/works/{work.pk}?view_adult=true").content.decode()
    assert "Secret words." in html


@pytest.mark.parametrize("rating", [Rating.GENERAL, Rating.TEEN])
def test_no_notice_for_general_and_teen(client, author, rating):
    """General and Teen works open straight on the text."""
    work = make_work(author, rating=rating, chapters=("Plain words.",))
    assert "Plain words." in client.get(f"/works/{work.pk}").content.decode()


def test_adult_notice_remembered_in_session_for_that_work(client, author):
    """Once passed, the notice stays away for that work in this session, not for others."""
    first = make_work(author, rating=Rating.EXPLICIT, chapters=("First secret.",))
    second = make_work(author, rating=Rating.EXPLICIT, chapters=("Second secret.",))
    client.get(f"/works/{first.pk}?view_adult=true")
    assert "First secret." in client.get(f"/works/{first.pk}").content.decode()
    assert "Second secret." not in client.get(f"/works/{second.pk}").content.decode()


def test_adult_notice_on_chapter_and_full_view(client, author):
    """The chapter page and full-work view show the notice too, keeping their parameters."""
    work = make_work(author, rating=Rating.MATURE, chapters=("Uno.", "Dos."))
    chapter = work.chapters.order_by("position").last()
    assert "Dos." not in client.get(chapter.get_absolute_url()).content.decode()
    html = client.get(f"/works/{work.pk}?view_full_work=true").content.decode()
    assert "view_full_work=true&amp;view_adult=true" in html


def test_missing_chapter_of_an_adult_work_is_404_before_the_notice(client, author):
    """A guest asking for a chapter the work does not have gets the 404, not the adult
    notice whose Proceed link would lead to that 404; the work's real chapters still get
    the notice first."""
    work = make_work(author, rating=Rating.MATURE, chapters=("Uno.", "Dos."))
    other = make_work(author, rating=Rating.MATURE)
    foreign = other.chapters.get()
    assert client.get(f"/works/{work.pk}/chapters/999999").status_code == 404
    assert client.get(f"/works/{work.pk}/chapters/{foreign.pk}").status_code == 404
    chapter = work.chapters.order_by("position").last()
    response = client.get(chapter.get_absolute_url())
    assert response.status_code == 200 and "view_adult=true" in response.content.decode()


def test_users_who_opted_out_skip_notice(client, author):
    """A user with view_adult set goes straight to the text; one without sees the notice."""
    work = make_work(author, rating=Rating.EXPLICIT, chapters=("Grown-up words.",))
    client.force_login(make_user("brave", view_adult=True))
    assert "Grown-up words." in client.get(f"/works/{work.pk}").content.decode()
    client.force_login(make_user("careful"))
    assert "Grown-up words." not in client.get(f"/works/{work.pk}").content.decode()


def test_creator_skips_notice(client, author):
    """Creators read their own adult works without the notice."""
    work = make_work(author, rating=Rating.EXPLICIT, chapters=("Mine.",))
    client.force_login(author)
    assert "Mine." in client.get(f"/works/{work.pk}").content.decode()


# --- Warnings preference -------------------------------------------------------------
def test_hide_warnings_puts_them_behind_disclosure(client, author):
    """With hide_warnings, warnings sit in a closed <details> "Show warnings"."""
    work = make_work(author, warnings=[ArchiveWarning.MAJOR_CHARACTER_DEATH])
    client.force_login(make_user("spoilerfree", hide_warnings=True))
    html = client.get(f"/works/{work.pk}").content.decode()
    assert "<summary>Show warnings</summary>" in html
    before, after = html.split("<summary>Show warnings</summary>", 1)
    assert "Major Character Death</a>" in after.split("</details>")[0]
    client.force_login(make_user("spoilerfine"))
    assert "Show warnings" not in client.get(f"/works/{work.pk}").content.decode()


# --- Hits ----------------------------------------------------------------------------
def _hits(work: Work) -> int:
    from ficarchive.works.hits import hits_flush

    hits_flush()  # hits are buffered (works.hits) and reach the work at the next flush
    return Work.objects.get(pk=work.pk).hit_count


def test_hit_counted_once_per_visitor_per_day(client, author, work):
    """Reloading the page is not a new hit; another visitor is."""
    client.get(f"/works/{work.pk}", **BROWSER)
    client.get(f"/works/{work.pk}", **BROWSER)
    assert _hits(work) == 1
    client.get(
        f"/works/{work.pk}", HTTP_USER_AGENT="Mozilla/5.0 Safari/605", REMOTE_ADDR="10.0.0.9"
    )
    assert _hits(work) == 2
    client.force_login(make_user("logged_reader"))
    client.get(f"/works/{work.pk}", **BROWSER)
    client.get(f"/works/{work.pk}?view_full_work=true", **BROWSER)
    assert _hits(work) == 3


@pytest.mark.parametrize(
    "agent",
    [
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "curl/8.5.0",
        "python-requests/2.32",
        "Mozilla/5.0 (compatible; bingbot/2.0)",
    ],
)
def test_robots_are_not_hits(client, work, agent):
    """Crawlers and scripts, known by their User-Agent, do not count."""
    client.get(f"/works/{work.pk}", HTTP_USER_AGENT=agent)
    assert _hits(work) == 0


def test_creators_and_notice_are_not_hits(client, author):
    """Creators reading their own work, and the adult notice page, are not hits."""
    work = make_work(author, rating=Rating.MATURE)
    client.get(f"/works/{work.pk}", **BROWSER)
    assert _hits(work) == 0
    client.force_login(author)
    client.get(f"/works/{work.pk}", **BROWSER)
    assert _hits(work) == 0


def test_next_day_counts_again(author, work):
    """The same visitor on another day is another hit."""
    import datetime as dt

    from ficarchive.works.services import hit_record

    assert hit_record(work=work, visitor_key="v", day=dt.date(2026, 1, 1))
    assert not hit_record(work=work, visitor_key="v", day=dt.date(2026, 1, 1))
    assert hit_record(work=work, visitor_key="v", day=dt.date(2026, 1, 2))
    assert _hits(work) == 2


# --- Query count ---------------------------------------------------------------------
def _queries(client, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, **BROWSER).status_code == 200
    return len(ctx)


# The work page's own queries: five reads (work, taggings with their tags, creatorships with
# pseuds and users, series, chapters), the hit (savepoint, insert, update, release) and, for
# a logged-in reader, session and user: 11. The feedback block, history, subscription,
# collections and skin parts add theirs: 20 once the header's cached counts are filled,
# pinned exactly in test_work_page_queries. The ceiling leaves no room for a query per
# chapter (10) or per tag (30).
WORK_PAGE_MAX_QUERIES = 22


def test_work_page_query_count_is_pinned(client, author, django_assert_max_num_queries):
    """The full-work page of a big work stays under a fixed ceiling of queries."""
    work = make_work(
        author,
        chapters=[f"Chapter {i} text." for i in range(10)],
        characters=[f"Character {i}" for i in range(15)],
        freeforms=[f"Tag {i}" for i in range(15)],
    )
    client.force_login(make_user("counting_reader"))
    cache.clear()
    client.get("/", **BROWSER)  # the session and the header's cached counts, as on any visit
    with django_assert_max_num_queries(WORK_PAGE_MAX_QUERIES):
        response = client.get(f"/works/{work.pk}?view_full_work=true", **BROWSER)
    assert response.status_code == 200


def test_work_page_queries_do_not_grow_with_size(client, author):
    """A work with 10 chapters and 30 tags costs the same queries as one with 1 and 1."""
    small = make_work(author, title="Small", chapters=["Only."], freeforms=["One"])
    big = make_work(
        author,
        title="Big",
        chapters=[f"C{i}." for i in range(10)],
        characters=[f"Person {i}" for i in range(15)],
        freeforms=[f"F{i}" for i in range(15)],
    )
    client.force_login(make_user("counting_reader"))
    client.get("/", **BROWSER)  # warm the per-user caches (unread inbox count)
    assert _queries(client, f"/works/{small.pk}?view_full_work=true") == _queries(
        client, f"/works/{big.pk}?view_full_work=true"
    )
    client.logout()
    assert _queries(client, f"/works/{small.pk}") == _queries(client, f"/works/{big.pk}")


def test_hide_warnings_on_blurbs(client, author):
    """In listings, a reader who hides warnings gets them behind "Show warnings" too."""
    make_work(author, title="Listed", warnings=[ArchiveWarning.MAJOR_CHARACTER_DEATH])
    client.force_login(make_user("blurb_reader", hide_warnings=True))
    html = client.get("/users/author/works").content.decode()
    details = html.split('<details class="spoiler inline"><summary>Show warnings</summary>', 1)[
        1
    ].split("</details>")[0]
    assert "Major Character Death" in details


@pytest.mark.parametrize("code, shown", [("zh", "zh"), ("fr", "français"), ("xx-yy", "xx-yy")])
def test_language_django_does_not_name(client, author, code, shown):
    """A work in a language Django has no entry for ("zh") still opens and lists, showing
    its code; a known one shows its own name (``works_tags.language_name``, which the i18n
    library's filter of the same name must not shadow: that one raises on unknown codes)."""
    work = make_work(author, title="Language Work", language=code)
    page = client.get(f"/works/{work.pk}", **BROWSER)
    assert page.status_code == 200
    assert f'lang="{code}">{shown}</dd>' in page.content.decode()
    listing = client.get("/works", **BROWSER)
    assert listing.status_code == 200
    assert f'lang="{code}">{shown}</dd>' in listing.content.decode()
