"""The interface in the reader's language (issue 18): pages in French and in Arabic laid
out right to left, the language chooser for guests (cookie) and readers (preference), a
malformed Accept-Language, and the API that stays English."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from ficarchive.accounts import services as account_services

pytestmark = pytest.mark.django_db
COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_a_page_renders_in_arabic_right_to_left(client: Client, work):
    """Accept-Language: ar gives <html lang="ar" dir="rtl">, Arabic labels (the blurb and
    the footer included), the right-to-left stylesheet and the script catalogue."""
    html = _html(client.get("/", HTTP_ACCEPT_LANGUAGE="ar"))
    assert '<html lang="ar" dir="rtl">' in html
    assert "أحدث الأعمال" in html  # "Newest works"
    assert "الكلمات:" in html  # "Words:" in the work's blurb
    assert "core/i18n.css" in html
    assert reverse("javascript-catalog") + "?l=ar" in html
    assert "Newest works" not in html


def test_a_page_renders_in_french_left_to_right(client: Client, work):
    """Accept-Language: fr gives French text and dir="ltr"; English stays the default."""
    html = _html(client.get(work.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9"))
    assert '<html lang="fr" dir="ltr">' in html
    assert "Classification :" in html and "Mots :" in html
    english = _html(Client().get(work.get_absolute_url()))
    assert '<html lang="en" dir="ltr">' in english and "Words:" in english


@pytest.mark.parametrize(
    "header",
    ["", "*", "xx-YY", ";;;,,,q=abc", "fr;q=", "a" * 300, "zz, ar-EG;q=0.5", "\u00e9t\u00e9"],
)
def test_malformed_accept_language_falls_back_cleanly(client: Client, header: str):
    """Garbage, unknown or over-long Accept-Language headers give a page, never an error:
    the first language offered that is one of ours, else English."""
    html = _html(client.get("/", HTTP_ACCEPT_LANGUAGE=header))
    expected = "ar" if "ar-EG" in header else "en"
    assert f'<html lang="{expected}"' in html


def test_every_page_offers_the_language_chooser(client: Client):
    """The footer's form posts to the chooser without JavaScript and names each language
    in itself; a guest's form carries no CSRF token (guest pages stay cacheable)."""
    html = _html(client.get("/"))
    assert f'action="{reverse("accounts:set_language")}"' in html
    assert 'name="next" value="/"' in html
    assert '<option value="fr" lang="fr">français</option>' in html
    assert '<option value="ar" lang="ar">العربي' in html
    assert "csrfmiddlewaretoken" not in html


def test_guest_choice_sticks_through_the_cookie(client: Client):
    """A guest choosing French is sent back where they were with the language cookie, and
    the next pages are French whatever the browser says."""
    response = client.post(reverse("accounts:set_language"), {"language": "fr", "next": "/works"})
    assert response.status_code == 302 and response["Location"] == "/works"
    assert response.cookies[COOKIE].value == "fr"
    html = _html(client.get("/", HTTP_ACCEPT_LANGUAGE="ar"))
    assert '<html lang="fr"' in html and "Œuvres les plus récentes" in html


def test_guest_chooser_refuses_unknown_languages_and_outside_addresses(client: Client):
    """An unknown language sets nothing; a `next` on another site is not followed."""
    response = client.post(
        reverse("accounts:set_language"), {"language": "xx", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert "evil.example" not in response["Location"]
    assert COOKIE not in response.cookies


def test_reader_choice_sticks_as_their_preference(user):
    """A signed-in reader's choice is saved on the account: it follows them to another
    browser that has no cookie and asks for English."""
    first = Client(enforce_csrf_checks=True)
    first.force_login(user)
    page = _html(first.get("/"))
    token = page.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
    response = first.post(
        reverse("accounts:set_language"),
        {"language": "ar", "next": "/", "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "ar"
    elsewhere = Client()
    elsewhere.force_login(user)
    html = _html(elsewhere.get("/", HTTP_ACCEPT_LANGUAGE="en"))
    assert '<html lang="ar" dir="rtl">' in html


def test_reader_choice_needs_the_csrf_token(user):
    """A forged post (no token) cannot change a signed-in reader's preference."""
    forged = Client(enforce_csrf_checks=True)
    forged.force_login(user)
    response = forged.post(reverse("accounts:set_language"), {"language": "fr", "next": "/"})
    assert response.status_code == 403
    user.refresh_from_db()
    assert user.language == ""


def test_preference_form_sets_and_clears_the_language(client: Client, user):
    """The preferences page saves the interface language (and its cookie); "my browser's
    language" clears it, and Accept-Language decides again."""
    client.force_login(user)
    url = reverse("accounts:preferences", args=[user.username])
    response = client.post(url, {"language": "fr"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.language == "fr"
    assert response.cookies[COOKIE].value == "fr"
    assert "Vos préférences ont été enregistrées." in _html(client.get(url))
    client.post(url, {"language": ""})
    user.refresh_from_db()
    assert user.language == ""
    client.cookies.pop(COOKIE, None)
    assert '<html lang="ar"' in _html(client.get("/", HTTP_ACCEPT_LANGUAGE="ar"))


def test_preference_refuses_an_unknown_language(client: Client, user):
    """The form offers only the site's languages; the service refuses any other code."""
    client.force_login(user)
    url = reverse("accounts:preferences", args=[user.username])
    assert client.post(url, {"language": "de"}).status_code == 200
    user.refresh_from_db()
    assert user.language == ""
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        account_services.language_update(actor=user, user=user, language="de")


def test_the_api_answers_in_english_whatever_the_language(client: Client, user):
    """JSON messages are the API's contract: English for a French browser and for a reader
    whose preference is Arabic."""
    account_services.language_update(actor=user, user=user, language="ar")
    client.force_login(user)
    response = client.get("/api/v1/works/999999999", HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    message = response.json()["error"]["message"]
    assert message.isascii(), message


def test_error_pages_are_translated_and_their_json_is_not(client: Client):
    """The 404 page speaks the reader's language; under /api/ the same error stays English."""
    html = client.get("/works/999999999", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Erreur 404" in html
    api = client.get("/api/v1/no-such-thing", HTTP_ACCEPT_LANGUAGE="fr")
    assert api.status_code == 404 and api.json()["error"]["message"].isascii()


def test_javascript_catalogue_is_served_per_language(client: Client):
    """/jsi18n/ answers Django's gettext() for scripts, in the reader's language."""
    response = client.get(reverse("javascript-catalog"), HTTP_ACCEPT_LANGUAGE="ar")
    assert response.status_code == 200
    body = response.content.decode()
    assert "django.gettext" in body and "pluralidx" in body


def test_cached_listings_and_blurbs_follow_the_language(work):
    """A listing drawn first in English and then in Arabic (the blurb cache and the guest
    page cache are keyed by language) shows the Arabic blurb labels the second time."""
    english = _html(Client().get("/works"))
    assert "Words:" in english
    arabic = _html(Client().get("/works", HTTP_ACCEPT_LANGUAGE="ar"))
    assert "الكلمات:" in arabic and "Words:" not in arabic
