"""One text pipeline: a file gives the same chapter whether posted through the form or imported."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from ficarchive.tags.vocabulary import ArchiveWarning, Category, Rating
from ficarchive.testing import make_user
from ficarchive.works.models import Work

MARKDOWN = (
    "It was a cold night, and the ball was about to begin.\n\n"
    "## The Ball\n\n"
    "She wore **red**, and she read [the invitation](https://example.org/invite) twice.\n\n"
    "* * *\n\n"
    "Nobody *noticed*.\n"
)
TEXT = "It was a cold night.\n\nShe wore *red*,\nand nobody noticed.\n\n* * *\n\nThe end.\n"
HTML = (
    "<!DOCTYPE html><html><head><title>The Ball</title><style>p { color: red }</style></head>"
    '<body><p>She wore <strong>red</strong>.</p><hr><p>The <a href="https://example.org">end</a>.</p>'
    "</body></html>"
)


def _posted(client, name: str, data: bytes) -> str:
    form = {
        "rating": Rating.GENERAL,
        "warnings": [ArchiveWarning.NONE_APPLY],
        "fandoms": "Original Work",
        "categories": [Category.GEN],
        "title": "Posted",
        "language": "en",
        "comment_permission": "users",
        "text_format": "auto",
        "body": "",
        "upload": SimpleUploadedFile(name, data),
        "action": "post",
    }
    response = client.post("/works/new", form)
    assert response.status_code == 302, response.content.decode()[:2000]
    work = Work.objects.order_by("-pk").first()
    return work.chapters.get().body


def _imported(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    out = io.StringIO()
    call_command("import", str(path), "--json", "--no-progress", stdout=out, stderr=io.StringIO())
    work_id = json.loads(out.getvalue().splitlines()[0])["id"]
    return Work.objects.get(pk=work_id).chapters.get().body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "expected", "absent"),
    [
        (
            "ball.md",
            MARKDOWN,
            [
                "<h2>The Ball</h2>",
                "<strong>red</strong>",
                'href="https://example.org/invite"',
                "<hr>",
                "<em>noticed</em>",
            ],
            ["##", "**", "]("],
        ),
        ("ball.txt", TEXT, ["<em>red</em>", "<br>", "<hr>"], ["*red*", "* * *"]),
        (
            "ball.html",
            HTML,
            ["<strong>red</strong>", "<hr>", 'href="https://example.org"'],
            ["The Ball", "color"],
        ),
    ],
)
def test_same_file_same_chapter_posted_or_imported(client, tmp_path, name, data, expected, absent):
    """A .md, .txt or .html file gives the same chapter HTML through Post New Work and `ficarchive import`."""
    client.force_login(make_user("poster"))
    posted = _posted(client, name, data.encode())
    imported = _imported(tmp_path, name, data.encode())
    assert posted == imported
    for fragment in expected:
        assert fragment in posted
    for fragment in absent:
        assert fragment not in posted
