"""The import upload form (/works/import): one work per good file, reasons for bad ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import html as lxml_html

from ficarchive.tags.vocabulary import ArchiveWarning, Rating
from ficarchive.testing import PASSWORD, make_user
from ficarchive.works.models import Work

DATA = Path(__file__).resolve().parents[4] / "shared" / "data"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="../shared/data is absent")

STORY = """The Lighthouse Keeper

Chapter 1

The lamp had burned every night for forty years, and Ada meant to keep it so.

* * *

Morning came grey over the rocks, and with it a boat nobody had sent for.

Chapter 2

The stranger said his name was Tom, and that he had come to put the light out.
"""


def txt(name: str = "lighthouse.txt", text: str = STORY) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/plain")


def corrupt_epub(name: str = "broken.epub") -> SimpleUploadedFile:
    # A zip's magic number and then garbage: what a truncated download looks like.
    return SimpleUploadedFile(
        name, b"PK\x03\x04" + b"\x00garbage" * 50, content_type="application/epub+zip"
    )


@pytest.fixture
def url():
    return reverse("transfer:import")


@pytest.fixture
def logged_in(client, user):
    client.login(username=user.username, password=PASSWORD)
    return client


def test_route_is_works_import():
    """The form lives at /works/import, AO3-style, under the transfer:import name."""
    assert reverse("transfer:import") == "/works/import"


@pytest.mark.django_db
def test_guest_is_sent_to_log_in(client, url):
    """A guest asking for the form is redirected to the login page, coming back after."""
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "next=/works/import" in response["Location"]


@pytest.mark.django_db
def test_guest_cannot_post_files(client, url):
    """A guest's upload is redirected to login and creates nothing."""
    before = Work.objects.count()
    response = client.post(url, {"uploads": [txt()]})
    assert response.status_code == 302
    assert Work.objects.count() == before


@pytest.mark.django_db
def test_form_has_multiple_file_input_and_draft_checked(logged_in, url):
    """The form offers several files at once and "import as draft" is checked by default."""
    response = logged_in.get(url)
    assert response.status_code == 200
    doc = lxml_html.fromstring(response.content)
    form = doc.xpath('//form[@enctype="multipart/form-data"]')[0]
    files = form.xpath('.//input[@type="file"][@name="uploads"]')[0]
    assert files.get("multiple") is not None
    assert doc.xpath(f'//label[@for="{files.get("id")}"]')
    draft = form.xpath('.//input[@name="draft"]')[0]
    assert draft.get("type") == "checkbox" and draft.get("checked") is not None
    restricted = form.xpath('.//input[@name="restricted"]')[0]
    assert restricted.get("checked") is None


@pytest.mark.django_db
def test_good_text_becomes_a_draft_and_corrupt_epub_is_refused(logged_in, user, url):
    """A .txt with two Chapter headings and a scene break becomes one two-chapter draft;
    a corrupt .epub is refused with its reason; exactly one work is added."""
    before = Work.objects.count()
    response = logged_in.post(url, {"uploads": [txt(), corrupt_epub()], "draft": "on"})
    html = response.content.decode()
    assert response.status_code == 200
    assert Work.objects.count() == before + 1
    work = Work.objects.latest("id")
    assert work.title == "The Lighthouse Keeper"
    assert work.is_creator(user)
    assert work.posted is False
    chapters = list(work.chapters.order_by("position"))
    assert len(chapters) == 2
    assert "<hr" in chapters[0].body
    assert "put the light out" in chapters[1].body
    assert f'href="{work.get_absolute_url()}"' in html
    assert "broken.epub" in html
    refused = html.split("Not imported", 1)[1]
    assert "broken.epub</strong>:" in refused
    assert "Draft" in html


@pytest.mark.django_db
def test_overrides_replace_file_metadata_and_post_when_not_draft(logged_in, user, url):
    """Fandom, rating, warnings, tags and language from the form are applied; without
    "draft" the work is posted at once."""
    response = logged_in.post(
        url,
        {
            "uploads": [txt()],
            "fandoms": "Original Work",
            "rating": Rating.TEEN,
            "warnings": [ArchiveWarning.NONE_APPLY],
            "categories": ["Gen"],
            "freeforms": "Lighthouses, Slow Burn",
            "language": "en",
        },
    )
    assert response.status_code == 200
    work = Work.objects.get(creatorships__pseud__user=user)
    assert work.posted is True
    assert work.rating == Rating.TEEN
    assert [t.name for t in work.fandoms] == ["Original Work"]
    assert [t.name for t in work.warnings] == [ArchiveWarning.NONE_APPLY]
    assert [t.name for t in work.categories] == ["Gen"]
    assert sorted(t.name for t in work.freeforms) == ["Lighthouses", "Slow Burn"]


@pytest.mark.django_db
def test_restricted_and_anonymous_are_applied(logged_in, user, url, client):
    """Restricted and anonymous options reach the work; a guest then cannot see it."""
    logged_in.post(url, {"uploads": [txt()], "restricted": "on", "anonymous": "on"})
    work = Work.objects.get(creatorships__pseud__user=user)
    assert work.restricted and work.anonymous and work.posted
    logged_in.logout()
    assert client.get(work.get_absolute_url()).status_code == 302  # guests: to log in


@pytest.mark.django_db
def test_file_over_the_upload_limit_gets_a_clear_error(logged_in, url, settings):
    """A file larger than FICARCHIVE_MAX_UPLOAD_BYTES is refused with its size and the limit, nothing made."""
    settings.FICARCHIVE_MAX_UPLOAD_BYTES = 1024
    before = Work.objects.count()
    big = txt("huge.txt", STORY + "More words. " * 200)
    response = logged_in.post(url, {"uploads": [big], "draft": "on"})
    html = response.content.decode()
    assert response.status_code == 400
    assert Work.objects.count() == before
    size = big.size
    text = html.replace("\xa0", " ")
    assert f"huge.txt is {size / 1024:.1f} KB; the limit is 1.0 KB per file." in text


@pytest.mark.django_db
def test_upload_limit_message_names_sizes(logged_in, url, settings):
    """The size message gives both the file's size and the limit in MB."""
    settings.FICARCHIVE_MAX_UPLOAD_BYTES = 1_048_576
    big = txt("huge.txt", "word " * 300_000)
    response = logged_in.post(url, {"uploads": [big]})
    assert response.status_code == 400
    text = response.content.decode().replace("\xa0", " ")
    assert "huge.txt is 1.4 MB; the limit is 1.0 MB per file." in text


@pytest.mark.django_db
def test_refused_import_focuses_the_error_summary(logged_in, url, settings):
    """A refused import puts the keyboard focus on its error summary (``autofocus``)."""
    import lxml.html

    settings.FICARCHIVE_MAX_UPLOAD_BYTES = 1024
    response = logged_in.post(url, {"uploads": [txt("huge.txt", STORY * 20)]})
    assert response.status_code == 400
    (summary,) = lxml.html.fromstring(response.content).xpath('//*[@id="error-summary"]')
    assert summary.get("tabindex") == "-1" and summary.get("autofocus") is not None


@pytest.mark.django_db
def test_sizes_are_written_in_the_readers_language(logged_in, url, settings):
    """A French reader reads the import page's limit and a refusal's sizes as French writes
    them ("50,0 Mio", decimal comma), not "50.0 MB"."""
    settings.FICARCHIVE_MAX_UPLOAD_BYTES = 1_048_576
    page = logged_in.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode().replace("\xa0", " ")
    assert "1,0 Mio" in page and "1.0 MB" not in page
    big = txt("huge.txt", "word " * 300_000)
    response = logged_in.post(url, {"uploads": [big]}, HTTP_ACCEPT_LANGUAGE="fr")
    text = response.content.decode().replace("\xa0", " ")
    assert "1,4 Mio" in text and "1,0 Mio" in text


@pytest.mark.django_db
def test_unsupported_type_and_missing_files_are_form_errors(logged_in, url):
    """A .pdf, or no file at all, is a form error (400) and nothing is imported."""
    before = Work.objects.count()
    pdf = SimpleUploadedFile("story.pdf", b"%PDF-1.4 ...", content_type="application/pdf")
    response = logged_in.post(url, {"uploads": [pdf]})
    assert response.status_code == 400
    assert "story.pdf: unsupported file type" in response.content.decode()
    response = logged_in.post(url, {"draft": "on"})
    assert response.status_code == 400
    assert "Choose at least one file to import." in response.content.decode()
    assert Work.objects.count() == before


@pytest.mark.django_db
def test_empty_file_is_refused_with_reason(logged_in, url):
    """An empty text file is refused on the result page, and nothing is made."""
    before = Work.objects.count()
    response = logged_in.post(url, {"uploads": [txt("empty.txt", "   \n")]})
    assert response.status_code == 200
    assert Work.objects.count() == before
    assert "empty.txt</strong>: empty.txt is empty." in response.content.decode()


@pytest.mark.django_db
def test_reupload_by_same_user_links_the_existing_work(logged_in, user, url):
    """Uploading the same file twice makes one work; the second time links to it."""
    logged_in.post(url, {"uploads": [txt()], "draft": "on"})
    work = Work.objects.get(creatorships__pseud__user=user)
    response = logged_in.post(url, {"uploads": [txt()], "draft": "on"})
    html = response.content.decode()
    assert Work.objects.filter(creatorships__pseud__user=user).count() == 1
    assert "you already imported this file" in html
    assert f'href="{work.get_absolute_url()}"' in html


@pytest.mark.django_db
def test_same_file_from_another_user_makes_their_own_work(client, user, url):
    """When someone else imported the same bytes, the uploader gets their own work and
    no link to the other person's draft."""
    other = make_user("other")
    client.login(username=other.username, password=PASSWORD)
    client.post(url, {"uploads": [txt()], "draft": "on"})
    theirs = Work.objects.get(creatorships__pseud__user=other)
    client.logout()
    client.login(username=user.username, password=PASSWORD)
    response = client.post(url, {"uploads": [txt()], "draft": "on"})
    html = response.content.decode()
    mine = Work.objects.get(creatorships__pseud__user=user)
    assert mine.pk != theirs.pk
    assert f'href="{mine.get_absolute_url()}"' in html
    assert f'href="{theirs.get_absolute_url()}"' not in html
    assert mine.chapters.count() == 2
    # And uploading it again now finds the uploader's own copy.
    client.post(url, {"uploads": [txt()], "draft": "on"})
    assert Work.objects.filter(creatorships__pseud__user=user).count() == 1


@pytest.mark.django_db
def test_unexpected_importer_error_is_reported_not_raised(logged_in, url, monkeypatch):
    """A bug in one importer shows as a refused file (no 500), and the other file is still imported."""
    from ficarchive.transfer import views_import

    real = views_import.file_import

    def flaky(**kwargs):
        if kwargs["filename"] == "bad.txt":
            raise KeyError("boom")
        return real(**kwargs)

    monkeypatch.setattr(views_import, "file_import", flaky)
    before = Work.objects.count()
    response = logged_in.post(url, {"uploads": [txt("bad.txt", "Some other text.\n"), txt()]})
    html = response.content.decode()
    assert response.status_code == 200
    assert Work.objects.count() == before + 1
    assert "bad.txt</strong>: the file could not be read" in html
    assert "boom" not in html


@needs_data
@pytest.mark.django_db
def test_ao3_html_download_keeps_its_metadata(logged_in, user, url):
    """An AO3 HTML download uploaded through the form keeps its title, fandom and chapters."""
    path = DATA / "ao3-downloads" / "218676-incompleteWork.html"
    upload = SimpleUploadedFile(path.name, path.read_bytes(), content_type="text/html")
    response = logged_in.post(url, {"uploads": [upload], "draft": "on"})
    assert response.status_code == 200
    work = Work.objects.get(creatorships__pseud__user=user)
    assert work.chapter_count > 1
    assert work.fandoms and work.fandoms[0].name != "Unspecified Fandom"
    assert work.title in response.content.decode()


@pytest.mark.django_db
def test_too_many_files_at_once_is_a_form_error(logged_in, url):
    """More than MAX_FILES files in one upload is refused before any is imported."""
    from ficarchive.transfer.forms_import import MAX_FILES

    before = Work.objects.count()
    files = [
        txt(f"story{i}.txt", f"Story {i}\n\nA different tale, number {i}.\n")
        for i in range(MAX_FILES + 1)
    ]
    response = logged_in.post(url, {"uploads": files})
    assert response.status_code == 400
    assert (
        f"Choose at most {MAX_FILES} files at a time ({MAX_FILES + 1} chosen)."
        in response.content.decode()
    )
    assert Work.objects.count() == before


@pytest.mark.django_db
def test_vocabulary_choices_use_ao3_names(logged_in, url):
    """Ratings, warnings and categories are offered under AO3's own names."""
    doc = lxml_html.fromstring(logged_in.get(url).content)
    labels = {" ".join(label.text_content().split()) for label in doc.xpath("//form//label")}
    options = {o.text_content().strip() for o in doc.xpath('//select[@name="rating"]/option')}
    assert {str(w) for w in ArchiveWarning.values} <= labels
    assert {"F/F", "M/M", "Gen"} <= labels
    assert {str(r) for r in Rating.values} <= options
