"""Posting, editing, chapters, drafts, delete and orphan through the web forms."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ficarchive.accounts.models import ORPHAN_ACCOUNT, Pseud
from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating
from ficarchive.works.models import Chapter, Series, Work

from .factories import make_user, make_work


def _form(**overrides):
    data = {
        "rating": Rating.TEEN,
        "warnings": [ArchiveWarning.NONE_APPLY],
        "fandoms": "Pride and Prejudice - Jane Austen",
        "categories": [Category.FM],
        "relationships": "Elizabeth Bennet/Fitzwilliam Darcy",
        "characters": "Elizabeth Bennet, Fitzwilliam Darcy",
        "freeforms": "Pining, Letters",
        "title": "A Posted Work",
        "summary": "Short summary.",
        "notes": "",
        "end_notes": "",
        "language": "en",
        "comment_permission": "users",
        "text_format": "auto",
        "body": "First paragraph.\n\nSecond paragraph.",
        "action": "post",
    }
    data.update(overrides)
    return data


@pytest.fixture
def logged(client, author):
    client.force_login(author)
    return client


def test_posting_form_fields_in_ao3_order(logged):
    """The form has AO3's fields in AO3's order, with autocomplete hooks on tag inputs."""
    html = logged.get("/works/new").content.decode()
    fields = [
        "rating",
        "warnings_0",
        "fandoms",
        "categories_0",
        "relationships",
        "characters",
        "freeforms",
        "title",
        "summary",
        "notes",
        "end_notes",
        "language",
        "multi_chapter",
        "expected_chapters",
        "restricted",
        "anonymous",
        "comment_permission_0",
        "text_format",
        "body",
        "upload",
    ]
    positions = [html.index(f'for="id_{name}"') for name in fields]
    assert positions == sorted(positions)
    for label in (
        "Rating",
        "Archive Warnings",
        "Fandoms",
        "Categories",
        "Relationships",
        "Characters",
        "Additional Tags",
        "Work Title",
        "Summary",
        "Beginning notes",
        "End notes",
        "This is a multi-chapter work",
        "Text format",
        "Work Text",
    ):
        assert f"{label}</" in html, label
    for kind in ("fandom", "relationship", "character", "freeform"):
        assert f'data-autocomplete="{kind}"' in html
    for button in ('value="post"', 'value="preview"', 'value="draft"'):
        assert button in html
    for fmt in ("Rich text (HTML)", "Plain text", "Detect automatically"):
        assert fmt in html


def test_guest_is_sent_to_log_in(client):
    """Posting needs an account."""
    response = client.get("/works/new")
    assert response.status_code == 302 and "/login" in response["Location"]


def test_post_creates_work(logged, author):
    """Post creates a posted work with its tags and text and goes to its page."""
    response = logged.post("/works/new", _form())
    work = Work.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/works/{work.pk}"
    assert work.posted and work.title == "A Posted Work" and work.rating == Rating.TEEN
    assert [t.name for t in work.relationships] == ["Elizabeth Bennet/Fitzwilliam Darcy"]
    assert [t.name for t in work.freeforms] == ["Pining", "Letters"]
    assert work.chapters.get().body == "<p>First paragraph.</p>\n<p>Second paragraph.</p>"
    assert work.word_count == 4 and work.chapters_display == "1/1"
    assert work.is_creator(author)


@pytest.mark.parametrize("action", ["preview", "draft"])
def test_preview_and_save_as_draft_keep_a_draft(logged, action):
    """Preview and Save as Draft save an unposted draft, seen only by its creator."""
    response = logged.post("/works/new", _form(action=action))
    work = Work.objects.get()
    assert not work.posted and work.published_at is None
    assert response["Location"] == f"/works/{work.pk}"
    html = logged.get(f"/works/{work.pk}").content.decode()
    assert "This is a draft." in html and "Post Draft" in html


def test_post_draft_publishes(logged):
    """Post Draft on the draft page publishes the work."""
    logged.post("/works/new", _form(action="draft"))
    work = Work.objects.get()
    logged.post(f"/works/{work.pk}/post")
    work.refresh_from_db()
    assert work.posted and work.published_at is not None


def test_multi_chapter_in_progress(logged):
    """ "Multi-chapter, chapter 1 of ?" makes a work in progress shown as 1/?."""
    logged.post("/works/new", _form(multi_chapter="on", expected_chapters=""))
    assert Work.objects.get().chapters_display == "1/?"


def test_multi_chapter_with_total(logged):
    """ "Chapter 1 of 5" shows as 1/5."""
    logged.post("/works/new", _form(multi_chapter="on", expected_chapters="5"))
    assert Work.objects.get().chapters_display == "1/5"


BAD_INPUTS = {
    "empty title": ({"title": "   "}, "title cannot be empty"),
    "empty body": ({"body": ""}, "chapter text cannot be empty"),
    "huge body": ({"body": "word " * 1_000_000}, "the limit is"),
    "bad rating": ({"rating": "Extremely Spicy"}, "Select a valid choice"),
    "no rating": ({"rating": ""}, "Choose a rating."),
    "no warnings": ({"warnings": []}, "at least one archive warning"),
    "no fandom": ({"fandoms": " , "}, "at least one fandom"),
    "script-only body": (
        {"body": "<script>alert(1)</script>", "text_format": "html"},
        "cannot be empty",
    ),
    "bad tag": ({"characters": "Bad*Name"}, "which tags cannot contain"),
}


@pytest.mark.parametrize("case", BAD_INPUTS)
def test_bad_input_is_refused_with_message_and_nothing_saved(logged, case):
    """Bad input gives a 400 page with the reason next to the field, and saves nothing."""
    overrides, message = BAD_INPUTS[case]
    response = logged.post("/works/new", _form(**overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Work.objects.count() == 0 and Chapter.objects.count() == 0


def test_scripts_and_handlers_are_stripped_on_post(logged):
    """HTML with scripts, handlers and javascript: links is stored clean."""
    body = '<p onmouseover="steal()">Hello <a href="javascript:alert(1)">there</a></p><script>x()</script>'
    logged.post("/works/new", _form(body=body, text_format="html"))
    stored = Chapter.objects.get().body
    assert "onmouseover" not in stored and "javascript" not in stored and "<script" not in stored
    assert "Hello" in stored and "there" in stored
    page = logged.get(f"/works/{Work.objects.get().pk}").content.decode()
    assert "steal()" not in page


def test_upload_utf16_file(logged):
    """An uploaded UTF-16 text file becomes the work text."""
    upload = SimpleUploadedFile("story.txt", "Naïve café.\n\n* * *\n\nThe end.".encode("utf-16"))
    logged.post("/works/new", _form(body="", upload=upload))
    assert Chapter.objects.get().body == "<p>Naïve café.</p>\n<hr>\n<p>The end.</p>"


def test_upload_cp1252_html(logged):
    """An uploaded Windows-1252 HTML file is decoded and kept as HTML."""
    upload = SimpleUploadedFile("story.html", "<p>“Quoted” — text</p>".encode("cp1252"))
    logged.post("/works/new", _form(body="", upload=upload))
    assert Chapter.objects.get().body == "<p>“Quoted” — text</p>"


def test_upload_wrong_type_refused(logged):
    """Only .txt, .md and .html files are accepted."""
    upload = SimpleUploadedFile("story.exe", b"MZ")
    response = logged.post("/works/new", _form(body="", upload=upload))
    assert response.status_code == 400 and "Upload a .txt" in response.content.decode()
    assert Work.objects.count() == 0


def test_pseud_choice_when_several(logged, author):
    """Users with several pseuds choose which to post under."""
    second = Pseud.objects.create(user=author, name="Quill Second")
    html = logged.get("/works/new").content.decode()
    assert "Creator/Pseud(s)" in html and "Quill Second" in html
    logged.post("/works/new", _form(pseuds=[second.pk]))
    assert Work.objects.get().creator_pseuds() == [second]


def test_suggestions_block_present(logged):
    """The posting form has the suggestions block (the suggest app is always installed)."""
    response = logged.get("/works/new")
    assert response.status_code == 200
    assert 'class="notice suggest-summary"' in response.content.decode()


# --- Editing -------------------------------------------------------------------------
def test_posting_a_draft_from_its_edit_form_says_posted(logged):
    """Post on a draft's Edit Work form publishes it and says "posted", not "updated";
    saving a posted work's edit says "updated"."""
    logged.post("/works/new", _form(action="draft"), follow=True)
    work = Work.objects.get()
    response = logged.post(f"/works/{work.pk}/edit", _form(action="post"), follow=True)
    work.refresh_from_db()
    assert work.posted
    said = [str(m) for m in response.context["messages"]]
    assert said == ["Work was successfully posted."]
    response = logged.post(f"/works/{work.pk}/edit", _form(action="post"), follow=True)
    assert [str(m) for m in response.context["messages"]] == ["Work was successfully updated."]


def test_refused_form_moves_focus_to_the_error_summary(logged):
    """A refused Post New Work page puts the keyboard focus on its error summary (focusable,
    ``autofocus``: no script needed), whose links lead to each field, as GOV.UK's error
    summary pattern does; otherwise a keyboard user starts again from the header."""
    import lxml.html

    response = logged.post("/works/new", _form(title="", body=""))
    assert response.status_code == 400
    page = lxml.html.fromstring(response.content)
    (summary,) = page.xpath('//*[@id="error-summary"]')
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None
    assert len(page.xpath("//*[@autofocus]")) == 1
    for href in summary.xpath(".//a/@href"):
        assert page.xpath(f'//*[@id="{href[1:]}"]'), href


def test_edit_shows_current_values_and_updates(logged, author):
    """Edit Work starts from the saved values and saves changes."""
    work = make_work(author, title="Old Title", chapters=("Old text.",))
    html = logged.get(f"/works/{work.pk}/edit").content.decode()
    assert 'value="Old Title"' in html and "Old text." in html
    response = logged.post(f"/works/{work.pk}/edit", _form(title="New Title", body="New text."))
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.title == "New Title" and work.chapters.get().body == "<p>New text.</p>"
    assert work.rating == Rating.TEEN


def test_edit_with_bad_input_changes_nothing(logged, author):
    """A refused edit leaves the work as it was."""
    work = make_work(author, title="Keep Me", chapters=("Keep this.",))
    response = logged.post(f"/works/{work.pk}/edit", _form(title="", body="Changed"))
    assert response.status_code == 400 and "title cannot be empty" in response.content.decode()
    work.refresh_from_db()
    assert work.title == "Keep Me" and work.chapters.get().body == "<p>Keep this.</p>"


def test_edit_adds_the_work_to_a_series(logged, author):
    """Edit Work has AO3's "Add to series" field: an imported multi-chapter work joins a
    new series by title, a second work joins the same one as part 2, and saving again
    changes nothing."""
    first = make_work(author, title="Part One", chapters=("One.", "Two."))
    second = make_work(author, title="Part Two")
    html = logged.get(f"/works/{first.pk}/edit").content.decode()
    assert 'name="series_title"' in html
    form = _form(title="Part One", series_title="The Saga")
    del form["body"]
    assert logged.post(f"/works/{first.pk}/edit", form).status_code == 302
    form = _form(title="Part Two", series_title="The Saga")
    assert logged.post(f"/works/{second.pk}/edit", form).status_code == 302
    assert logged.post(f"/works/{second.pk}/edit", form).status_code == 302
    series = Series.objects.get()
    parts = list(series.serial_works.order_by("position").values_list("work_id", "position"))
    assert series.title == "The Saga" and parts == [(first.pk, 1), (second.pk, 2)]


def test_edit_multichapter_has_no_body(logged, author):
    """Editing a multi-chapter work edits the preface only; chapters are edited one by one."""
    work = make_work(author, chapters=("One.", "Two."))
    html = logged.get(f"/works/{work.pk}/edit").content.decode()
    assert 'name="body"' not in html
    logged.post(f"/works/{work.pk}/edit", _form(title="Renamed", expected_chapters="4"))
    work.refresh_from_db()
    assert work.title == "Renamed" and work.chapters_display == "2/4"
    assert [c.body for c in work.chapters.order_by("position")] == ["<p>One.</p>", "<p>Two.</p>"]


# --- Chapters ------------------------------------------------------------------------
def test_add_chapter(logged, author, work):
    """Add Chapter appends a chapter and updates the counts."""
    response = logged.post(
        f"/works/{work.pk}/chapters/new",
        {"title": "Later", "body": "More words here.", "text_format": "auto"},
    )
    chapter = work.chapters.get(position=2)
    assert response["Location"] == chapter.get_absolute_url()
    work.refresh_from_db()
    assert chapter.title == "Later" and work.chapter_count == 2 and work.chapters_display == "2/2"


def test_add_empty_chapter_refused(logged, work):
    """An empty chapter is refused with a message and not saved."""
    response = logged.post(
        f"/works/{work.pk}/chapters/new", {"title": "Nothing", "body": "", "text_format": "auto"}
    )
    assert response.status_code == 400 and "cannot be empty" in response.content.decode()
    assert work.chapters.count() == 1


def test_edit_chapter(logged, author):
    """Edit Chapter replaces its title and text."""
    work = make_work(author, chapters=("One.", "Two."))
    chapter = work.chapters.get(position=2)
    logged.post(
        f"/works/{work.pk}/chapters/{chapter.pk}/edit",
        {"title": "Second", "body": "Rewritten two.", "text_format": "text", "notes": "A note."},
    )
    chapter.refresh_from_db()
    assert (
        chapter.title == "Second"
        and chapter.body == "<p>Rewritten two.</p>"
        and "A note." in chapter.notes
    )


def test_delete_chapter_with_confirmation(logged, author):
    """Deleting a chapter asks first, then renumbers the rest."""
    work = make_work(author, chapters=("One.", "Two.", "Three."))
    first = work.chapters.get(position=1)
    confirm = logged.get(f"/works/{work.pk}/chapters/{first.pk}/delete").content.decode()
    assert "Are you sure you want to delete Chapter 1" in confirm
    logged.post(f"/works/{work.pk}/chapters/{first.pk}/delete")
    assert [c.body for c in work.chapters.order_by("position")] == ["<p>Two.</p>", "<p>Three.</p>"]
    assert [c.position for c in work.chapters.order_by("position")] == [1, 2]


def test_last_chapter_cannot_be_deleted(logged, work):
    """The only chapter cannot go; the message says to delete the work instead."""
    chapter = work.chapters.get()
    response = logged.post(f"/works/{work.pk}/chapters/{chapter.pk}/delete", follow=True)
    assert "delete the work instead" in response.content.decode()
    assert work.chapters.count() == 1


def test_reorder_chapters_with_numbers(logged, author):
    """Manage Chapters reorders by the position numbers typed in, without JavaScript."""
    work = make_work(author, chapters=("One.", "Two.", "Three."))
    c1, c2, c3 = work.chapters.order_by("position")
    logged.post(
        f"/works/{work.pk}/chapters/manage",
        {f"position_{c1.pk}": "3", f"position_{c2.pk}": "1", f"position_{c3.pk}": "2"},
    )
    assert [c.pk for c in work.chapters.order_by("position")] == [c2.pk, c3.pk, c1.pk]


def test_reorder_bad_number_refused(logged, author):
    """A position that is not a number is refused and the order stays."""
    work = make_work(author, chapters=("One.", "Two."))
    c1, c2 = work.chapters.order_by("position")
    response = logged.post(
        f"/works/{work.pk}/chapters/manage", {f"position_{c1.pk}": "x", f"position_{c2.pk}": "1"}
    )
    assert response.status_code == 400
    assert [c.pk for c in work.chapters.order_by("position")] == [c1.pk, c2.pk]


# --- Delete and orphan ---------------------------------------------------------------
def test_delete_work_with_confirmation(logged, work):
    """Delete asks for confirmation on GET and deletes on POST."""
    html = logged.get(f"/works/{work.pk}/delete").content.decode()
    assert "Are you sure you want to delete" in html and Work.objects.filter(pk=work.pk).exists()
    logged.post(f"/works/{work.pk}/delete")
    assert not Work.objects.filter(pk=work.pk).exists()


def test_orphan_work(logged, author, work):
    """Orphaning hands the work to the orphan account and keeps it up."""
    assert (
        "Are you sure you want to orphan" in logged.get(f"/works/{work.pk}/orphan").content.decode()
    )
    logged.post(f"/works/{work.pk}/orphan")
    work = Work.objects.get(pk=work.pk)
    assert [p.user.username for p in work.creator_pseuds()] == [ORPHAN_ACCOUNT]
    assert logged.get(f"/works/{work.pk}/edit").status_code == 403
    logged.logout()
    assert logged.get(f"/works/{work.pk}").status_code == 200


def test_co_creator_orphan_keeps_other_creator(db):
    """Orphaning a shared work removes only the orphaning creator."""

    one, two = make_user("first_maker"), make_user("second_maker")
    from ficarchive.discovery.selectors import OPERATOR, filter_works
    from ficarchive.works.services import (
        ChapterInput,
        WorkMeta,
        work_create,
        work_creators_set,
        work_orphan,
    )

    work = work_create(
        actor=one,
        meta=WorkMeta(
            title="Shared",
            rating=Rating.GENERAL,
            warnings=[ArchiveWarning.NONE_APPLY],
            fandoms=["Odyssey"],
        ),
        chapters=[ChapterInput(body="Text.")],
    )
    work_creators_set(actor=one, work=work, pseuds=[one.default_pseud(), two.default_pseud()])
    assert filter_works(OPERATOR, {"q": "second_maker"}).total == 1
    work_orphan(actor=one, work=work)
    assert [p.user.username for p in Work.objects.get(pk=work.pk).creator_pseuds()] == [
        "second_maker"
    ]
    assert filter_works(OPERATOR, {"q": "first_maker"}).total == 0
    assert filter_works(OPERATOR, {"q": "second_maker"}).total == 1
