"""AO3's size limits on every door (issue 19): the posting form, the API, the comment
services and the importers refuse oversized text with one clear message, and an imported
file is measured before it is parsed."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.accounts.models import TokenScope
from ficarchive.accounts.tokens import token_create
from ficarchive.feedback.services import comment_create
from ficarchive.testing import make_user, make_work
from ficarchive.transfer.importers.base import ImportRejected, ParsedChapter, ParsedWork
from ficarchive.transfer.services_import import file_import, work_import
from ficarchive.works import limits
from ficarchive.works.models import Work

pytestmark = pytest.mark.django_db

NEW_WORK = {
    "title": "Sized",
    "rating": "General Audiences",
    "warnings": ["No Archive Warnings Apply"],
    "fandoms": ["Original Work"],
    "chapters": [{"body": "Short and sweet."}],
}


@pytest.fixture
def author():
    return make_user("author")


@pytest.fixture
def api(author):
    _, raw = token_create(actor=author, name="t", scope=TokenScope.WRITE)

    def post(path, data):
        return Client().post(
            "/api/v1" + path,
            json.dumps(data),
            content_type="application/json",
            headers={"Authorization": f"Bearer {raw}"},
        )

    return post


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("title", "T" * 256, "255"),
        ("summary", "s" * 1251, "1250"),
        ("notes", "n" * 5001, "5000"),
        ("tags", [f"Tag {i}" for i in range(76)], "75"),
    ],
)
def test_api_refuses_work_fields_over_ao3_limits(api, field, value, words):
    """Title 255, summary 1,250, notes 5,000, 75 user-defined tags: one over is a 400
    naming the limit, and no work is made."""
    response = api("/works", {**NEW_WORK, field: value})
    assert response.status_code == 400
    assert words in json.dumps(response.json()["error"])
    assert not Work.objects.exists()


def test_api_refuses_a_chapter_over_510000_characters(api, author):
    """A chapter of 510,001 characters is refused with the limit in the message."""
    work = make_work(author)
    body = "word " * 102_001  # 510,005 characters
    response = api(f"/works/{work.pk}/chapters", {"body": body})
    assert response.status_code == 400
    assert "510,000" in json.dumps(response.json()["error"])


def test_posting_form_refuses_an_oversized_title(author):
    """The web form shows the 255-character rule and makes nothing."""
    client = Client()
    client.force_login(author)
    response = client.post(
        "/works/new",
        {
            "title": "T" * 300,
            "rating": "General Audiences",
            "warnings": ["No Archive Warnings Apply"],
            "fandoms": "Original Work",
            "body": "Text.",
            "language": "en",
            "comment_permission": "users",
            "text_format": "auto",
            "action": "post",
        },
    )
    assert response.status_code == 400
    assert b"255 characters" in response.content
    assert not Work.objects.exists()


def test_comment_over_10000_characters_is_refused(author):
    """AO3's 10,000-character comment limit, at the service every door calls."""
    work = make_work(author)
    reader = make_user("reader")
    with pytest.raises(ValidationError, match="10,000"):
        comment_create(actor=reader, work=work, body="c" * 10_001)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return out.getvalue()


def test_epub_that_unpacks_far_beyond_its_size_is_refused_before_parsing(author, monkeypatch):
    """Many small, highly compressed members (each under the per-member checks) that add up
    to a huge text are refused from the zip's directory alone: no parser runs."""
    members = {"mimetype": b"application/epub+zip"}
    members.update(
        {f"OEBPS/c{i}.xhtml": b"<p>" + b"all work " * 40_000 + b"</p>" for i in range(8)}
    )
    data = _zip(members)
    assert len(data) < 100_000
    monkeypatch.setattr(
        "ficarchive.transfer.importers.import_file",
        lambda *a, **k: pytest.fail("parsed a zip bomb"),
    )
    with pytest.raises(ImportRejected, match="zip bomb"):
        file_import(actor=author, path_or_bytes=data, filename="bomb.epub")


def test_html_file_over_the_text_limit_is_refused_before_parsing(author, settings, monkeypatch):
    """A story file larger than FICARCHIVE_MAX_IMPORT_TEXT_BYTES is refused with its size
    and the limit, before any parser is called."""
    settings.FICARCHIVE_MAX_IMPORT_TEXT_BYTES = 1_000_000
    monkeypatch.setattr(
        "ficarchive.transfer.importers.import_file",
        lambda *a, **k: pytest.fail("parsed an oversized file"),
    )
    data = b"<html><body>" + b"<p>paragraph</p>" * 80_000 + b"</body></html>"
    with pytest.raises(ImportRejected, match="at most 1.0 MB"):
        file_import(actor=author, path_or_bytes=data, filename="huge.html")
    assert not Work.objects.exists()


def test_imported_work_over_the_text_limit_is_refused(author, settings):
    """Long chapters are split on import, so the whole work is measured too (eFiction
    stories come through the same work_import)."""
    settings.FICARCHIVE_MAX_IMPORT_TEXT_BYTES = 100_000
    parsed = ParsedWork(
        title="Long", chapters=[ParsedChapter(body_html="<p>" + "x " * 30_000 + "</p>")] * 3
    )
    with pytest.raises(ImportRejected, match="Split it into several works"):
        work_import(actor=author, parsed=parsed)
    assert not Work.objects.exists()


def test_limits_are_ao3s():
    """The constants every door reads are AO3's."""
    assert (limits.TITLE_MAX, limits.SUMMARY_MAX, limits.NOTES_MAX) == (255, 1250, 5000)
    assert (limits.COMMENT_MAX, limits.USER_TAGS_MAX, limits.chapter_max()) == (
        10_000,
        75,
        510_000,
    )


def test_imported_reviews_are_cut_to_the_comment_limit(author):
    """An eFiction review longer than 10,000 characters comes in cut to the limit."""
    from ficarchive.feedback.services_bulk import ImportedComment, comments_import
    from ficarchive.transfer.services_import import importer_account

    work = make_work(author)
    [comment] = comments_import(
        actor=importer_account(),
        comments=[ImportedComment(work=work, body="r" * 25_000, guest_name="Old reader")],
    )
    assert len(comment.body) <= limits.COMMENT_MAX + 20  # the sanitizer's <p> wrapper
