"""A first pass over every read endpoint."""

import pytest

pytestmark = pytest.mark.django_db


def test_index_and_openapi(guest_api):
    """The index links to the description, which is OpenAPI 3.1."""
    index = guest_api.get("/").json()
    assert index["openapi"].endswith("/api/v1/openapi.json")
    assert guest_api.get("/openapi.json").json()["openapi"] == "3.1.0"


def test_work_reads(guest_api, work):
    """A public work reads the same in list, detail, chapters, kudos, comments."""
    listed = guest_api.get("/works").json()
    assert [w["id"] for w in listed["items"]] == [work.pk]
    detail = guest_api.get(f"/works/{work.pk}").json()
    assert detail["title"] == work.title
    assert detail["downloads"]["epub"].endswith(f"/downloads/{work.pk}/{work.slug}.epub")
    chapters = guest_api.get(f"/works/{work.pk}/chapters").json()["items"]
    assert len(chapters) == 1
    one = guest_api.get(f"/works/{work.pk}/chapters/{chapters[0]['id']}").json()
    assert "dark and stormy" in one["body"]
    assert guest_api.get(f"/works/{work.pk}/kudos").json()["total"] == 0
    assert guest_api.get(f"/works/{work.pk}/comments").json()["items"] == []
    tag = guest_api.get("/tags/Sherlock Holmes - Arthur Conan Doyle").json()
    assert tag["works"] == 1
    assert (
        guest_api.get("/tags/Sherlock Holmes - Arthur Conan Doyle/works").json()["items"][0]["id"]
        == work.pk
    )
    assert (
        guest_api.get("/tags/autocomplete", term="sher")
        .json()["items"][0]["name"]
        .startswith("Sherlock")
    )
    assert guest_api.get("/search", q="stormy").json()["items"][0]["id"] == work.pk
    assert guest_api.get("/users/author").json()["username"] == "author"
    assert guest_api.get("/users/author/works").json()["items"][0]["id"] == work.pk
    assert guest_api.get("/users/author/bookmarks").json()["items"] == []
