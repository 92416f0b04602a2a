"""Messages written in Python reach readers in their language (issue 18): the feedback
app's errors and notices, search and mute errors, tag-name and wrangling errors with the
kinds named in the reader's language, the import form's errors, the tag Atom feed and the
OPDS shelves; the JSON API and the command line stay English."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from ficarchive.discovery.query import QuerySyntaxError, parse_query
from ficarchive.tags.services import kind_noun, validate_tag_name
from ficarchive.testing import PASSWORD, make_user, make_work
from ficarchive.transfer.forms_import import ImportForm

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_kudos_messages_in_the_readers_language(client: Client):
    """A French reader is thanked in French and told in French that kudos were already
    left; an Arabic reader is told in Arabic that kudos on one's own work are refused."""
    author, reader = make_user("writer"), make_user("reader")
    work = make_work(author)
    client.login(username=reader.username, password=PASSWORD)
    url = f"/works/{work.pk}/kudos"
    first = _page(client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "avoir laissé des kudos !" in first  # Merci d'avoir… (the apostrophe is escaped)
    again = _page(client.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="fr"))
    assert "Vous avez déjà laissé des kudos ici. :)" in again
    own = Client()
    own.login(username=author.username, password=PASSWORD)
    refused = _page(own.post(url, follow=True, HTTP_ACCEPT_LANGUAGE="ar"))
    assert "لا يمكنك ترك إعجاب على عملك." in refused


def test_an_empty_comment_is_refused_in_french(client: Client):
    """The comment form's error comes back in the reader's language."""
    work = make_work(make_user("writer"))
    client.login(username=make_user("reader").username, password=PASSWORD)
    response = client.post(
        f"/works/{work.pk}/comments", {"body": "   "}, follow=True, HTTP_ACCEPT_LANGUAGE="fr"
    )
    assert "Veuillez saisir un commentaire." in response.content.decode()


def test_tag_name_and_kind_errors_are_translated_and_stay_english_by_default():
    """Tag-name errors, and the kind a tag cannot be, in French and Arabic; English (the
    command line's and the API's language) is unchanged."""
    with translation.override("fr"):
        with pytest.raises(ValidationError) as empty:
            validate_tag_name("   ")
        assert empty.value.messages == ["Un tag ne peut pas être vide."]
        assert kind_noun("freeform") == "tag supplémentaire"
    with translation.override("ar"):
        assert kind_noun("character") == "شخصية"
    with translation.override("en"):
        assert kind_noun("freeform") == "freeform"
        with pytest.raises(ValidationError) as english:
            validate_tag_name("   ")
        assert english.value.messages == ["A tag cannot be empty."]


def test_search_syntax_errors_are_translated():
    """A query the parser refuses says why in the reader's language."""
    with translation.override("fr"), pytest.raises(QuerySyntaxError) as error:
        parse_query("words:1000-10")
    assert "le premier nombre est plus grand que le second" in str(error.value)


def test_import_form_errors_are_translated():
    """An unsupported file is refused in French by the import form."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    with translation.override("fr"):
        form = ImportForm(data={}, files={"uploads": [SimpleUploadedFile("story.exe", b"MZ")]})
        assert not form.is_valid()
        assert "type de fichier non pris en charge" in " ".join(form.errors["uploads"])


def test_importer_errors_are_translated_and_english_on_the_command_line():
    """An importer's refusal names the file in the reader's language; in English (the
    command line's) it reads as before."""
    from ficarchive.transfer.importers import ImportRejected, import_file

    with translation.override("ar"), pytest.raises(ImportRejected) as arabic:
        import_file(b"   ", "story.txt")
    assert str(arabic.value) == "story.txt فارغ."
    with translation.override("fr"), pytest.raises(ImportRejected) as french:
        import_file(b"   ")
    assert str(french.value) == "le fichier est vide."
    with translation.override("en"), pytest.raises(ImportRejected) as english:
        import_file(b"   ")
    assert str(english.value) == "the file is empty."


def test_tag_feed_and_opds_shelves_in_the_readers_language(client: Client):
    """The tag's Atom feed is titled in the reader's language; the OPDS catalog's shelves
    too (e-reader apps send Accept-Language)."""
    make_work(make_user("writer"), fandoms=["Sherlock Holmes"])
    feed = client.get("/tags/Sherlock Holmes/feed.atom", HTTP_ACCEPT_LANGUAGE="fr")
    assert feed.status_code == 200
    assert "<title>Œuvres Sherlock Holmes</title>" in feed.content.decode()
    opds = client.get("/opds", HTTP_ACCEPT_LANGUAGE="ar").content.decode()
    assert "أعمال جديدة" in opds and "New works" not in opds
    english = Client().get("/opds").content.decode()
    assert "New works" in english


def test_the_api_keeps_english_for_service_errors(client: Client):
    """A service error the pages translate stays English in the JSON API, even for a
    French browser."""
    user = make_user("reader")
    client.force_login(user)
    response = client.post(
        "/api/v1/me/mutes",
        {"user": user.username},
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    assert response.status_code == 400, response.content
    assert "You cannot mute yourself." in response.content.decode()
