"""/downloads/ID/SLUG.EXT: visibility, slug redirects, attachments, background builds."""

from __future__ import annotations

import pytest

from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.transfer.models import DownloadJob, JobStatus
from ficarchive.transfer.tasks import download_jobs_run_pending

from .download_helpers import make_demo_like_work


@pytest.fixture(autouse=True)
def downloads_root(settings, tmp_path):
    settings.DOWNLOADS_ROOT = tmp_path / "downloads"
    settings.FICARCHIVE_TASK_MODE = "worker"  # jobs wait in the queue; the test runs them
    return settings.DOWNLOADS_ROOT


def _url(work, ext, slug=None):
    return f"/downloads/{work.pk}/{slug or work.slug}.{ext}"


def test_epub_download_is_an_attachment(client, work):
    """A guest downloads a public work's EPUB as an attachment with a safe file name and the EPUB type."""
    response = client.get(_url(work, "epub"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/epub+zip"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{work.slug}-{work.pk}.epub"; '
        "filename*=UTF-8''A%20Study%20in%20Tags.epub"
    )
    assert b"".join(response.streaming_content)[:2] == b"PK"


def test_download_of_a_cyrillic_title_names_the_file_by_rfc_6266(client, author):
    """A Cyrillic title: a transliterated ASCII name and an RFC 6266 filename* with the
    real title."""
    from ficarchive.testing import make_work

    work = make_work(author, title="Война и мир")
    assert work.slug == "voyna-i-mir"
    response = client.get(_url(work, "html"))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert f'filename="voyna-i-mir-{work.pk}.html"' in disposition
    assert (
        "filename*=UTF-8''%D0%92%D0%BE%D0%B9%D0%BD%D0%B0%20%D0%B8%20%D0%BC%D0%B8%D1%80.html"
        in disposition
    )


def test_wrong_slug_redirects(client, work):
    """A wrong slug redirects to the right address."""
    response = client.get(_url(work, "html", slug="old-title"))
    assert response.status_code == 302
    assert response["Location"] == _url(work, "html")


def test_unknown_format_and_missing_work_are_404(client, work):
    """Unknown formats and works that do not exist are 404."""
    assert client.get(_url(work, "docx")).status_code == 404
    assert client.get(f"/downloads/{work.pk + 999}/x.epub").status_code == 404


def test_restricted_work_needs_login(client, author):
    """A restricted work is 404 for guests and downloadable once logged in."""
    work = make_work(author, restricted=True)
    assert client.get(_url(work, "epub")).status_code == 404
    make_user("member")
    client.login(username="member", password=PASSWORD)
    assert client.get(_url(work, "epub")).status_code == 200


def test_draft_only_for_its_creator(client, author):
    """A draft can be downloaded by its creator and by no one else."""
    work = make_work(author, draft=True)
    make_user("member")
    client.login(username="member", password=PASSWORD)
    assert client.get(_url(work, "html")).status_code == 404
    client.login(username="author", password=PASSWORD)
    assert client.get(_url(work, "html")).status_code == 200


def test_calibre_format_builds_in_background(client, author, monkeypatch):
    """A PDF request answers 202 with Retry-After while one job builds it; once built, the file comes."""
    from ficarchive.transfer.downloads import calibre

    work = make_demo_like_work(author)
    monkeypatch.setattr(calibre, "ebook_convert_path", lambda: "/bin/true")
    calls = []

    def fake_convert(epub, fmt, *, title, timeout=None):
        calls.append(fmt)
        return b"%PDF-1.4 fake"

    monkeypatch.setattr("ficarchive.transfer.downloads.convert_epub", fake_convert)
    first = client.get(_url(work, "pdf"))
    assert first.status_code == 202
    assert first["Retry-After"].isdigit()
    assert "building your download" in first.content.decode()
    assert f'href="{_url(work, "pdf")}"' in first.content.decode()
    assert client.get(_url(work, "pdf")).status_code == 202
    assert DownloadJob.objects.filter(work=work, format="pdf").count() == 1
    assert download_jobs_run_pending() == 1
    done = client.get(_url(work, "pdf"))
    assert done.status_code == 200
    assert b"".join(done.streaming_content) == b"%PDF-1.4 fake"
    assert calls == ["pdf"]


def test_failed_conversion_shows_a_clear_error(client, author, monkeypatch):
    """When Calibre fails, the reader gets a page saying why (503), not a spinner forever."""
    from ficarchive.transfer.downloads import ConversionError

    work = make_work(author)

    def broken(epub, fmt, *, title, timeout=None):
        raise ConversionError("Calibre could not make the MOBI (exit 1): boom")

    monkeypatch.setattr("ficarchive.transfer.downloads.convert_epub", broken)
    assert client.get(_url(work, "mobi")).status_code == 202
    download_jobs_run_pending()
    assert DownloadJob.objects.get(work=work, format="mobi").status == JobStatus.FAILED
    response = client.get(_url(work, "mobi"))
    assert response.status_code == 503
    html = response.content.decode()
    # Plain words for the reader; Calibre's own output goes to the log only.
    assert "Something went wrong while making the MOBI" in html
    assert "Calibre" not in html and "boom" not in html


def test_long_work_builds_in_background_even_as_epub(client, author, monkeypatch):
    """A work past the word threshold gets its EPUB from a background job too."""
    from ficarchive import transfer

    monkeypatch.setattr(transfer.downloads, "BACKGROUND_WORDS", 5)
    work = make_work(author)
    assert client.get(_url(work, "epub")).status_code == 202
    download_jobs_run_pending()
    assert client.get(_url(work, "epub")).status_code == 200


def test_edit_serves_a_new_file(client, author):
    """After an edit the download has the new text."""
    from ficarchive.works.services import ChapterInput, chapter_update

    work = make_work(author)
    assert b"stormy" in client.get(_url(work, "txt")).getvalue()
    chapter_update(
        actor=author, chapter=work.chapters.first(), data=ChapterInput(body="A sunny afternoon.")
    )
    body = client.get(_url(work, "txt")).getvalue()
    assert b"sunny afternoon" in body and b"stormy" not in body


@pytest.fixture
def thread_mode(settings, monkeypatch):
    """Thread mode with a stand-in converter (no Calibre)."""
    settings.FICARCHIVE_TASK_MODE = "thread"
    monkeypatch.setattr(
        "ficarchive.transfer.downloads.convert_epub",
        lambda epub, fmt, *, title, timeout=None: b"AZW3 data",
    )


def _wait_until_built(work) -> None:
    """Wait for the job, not for a fixed time: a busy CI machine may take seconds to
    schedule the thread (5 s was once too little at load 3.5). The bound only keeps a
    broken build from hanging the suite."""
    import time

    deadline = time.monotonic() + 120
    while not DownloadJob.objects.filter(work=work, status=JobStatus.DONE).exists():
        assert time.monotonic() < deadline, "the download job never finished"
        time.sleep(0.05)


@pytest.mark.django_db(transaction=True)
def test_thread_mode_builds_without_a_worker(client, thread_mode, author):
    """In thread mode (the default), the queued job runs in the web process after commit."""
    work = make_work(author)
    assert client.get(_url(work, "azw3")).status_code == 202
    _wait_until_built(work)
    response = client.get(_url(work, "azw3"))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"AZW3 data"


@pytest.mark.django_db(transaction=True)
def test_thread_mode_build_retries_when_the_database_is_locked(
    client, thread_mode, author, monkeypatch
):
    """A build thread whose claim meets a locked database (SQLite) tries again instead of
    dying and leaving the job queued (it once did, and a CI run waited 120 s for it)."""
    from django.db import OperationalError

    from ficarchive.transfer import tasks

    real_claim = tasks._claim
    refusals = []

    def claim_once_locked(job_id):
        if not refusals:
            refusals.append(job_id)
            raise OperationalError("database table is locked")
        return real_claim(job_id)

    monkeypatch.setattr(tasks, "_claim", claim_once_locked)
    work = make_work(author)
    assert client.get(_url(work, "azw3")).status_code == 202
    _wait_until_built(work)
    assert len(refusals) == 1
