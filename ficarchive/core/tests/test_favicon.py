"""Every browser asks for ``/favicon.ico`` (new-user trial: it answered 404 on each visit):
it redirects for good to the archive's SVG icon, which pages name in ``<link rel="icon">``
inside the cached head fragment, so cached and fresh pages alike carry it."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static
from django.test import Client

pytestmark = pytest.mark.django_db

ICON = "core/favicon.svg"


def test_favicon_ico_redirects_permanently_to_the_svg_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"] == static(ICON)


def test_the_icon_is_a_small_valid_svg():
    path = finders.find(ICON)
    assert path, "core/static/core/favicon.svg is missing"
    data = Path(path).read_bytes()
    assert len(data) < 2048
    root = ElementTree.fromstring(data)  # noqa: S314 - the archive's own shipped file
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("viewBox")


@pytest.mark.parametrize("language", ["en", "ar"])
def test_pages_link_the_icon_first_drawing_and_from_the_cache(language):
    """The link is in the page drawn afresh and in the one whose head comes from the cache."""
    link = f'<link rel="icon" href="{static(ICON)}" type="image/svg+xml">'
    # A session cookie: the page is drawn (not a guest's whole cached page), so the
    # second answer's head is the cached fragment.
    client = Client(HTTP_COOKIE="sessionid=none", HTTP_ACCEPT_LANGUAGE=language)
    for _ in range(2):
        html = client.get("/login").content.decode()
        head = html[: html.index("</head>")]
        assert head.count(link) == 1
