"""Site skins: a guest's cookie, a user's preference, the stylesheet in the page head."""

from __future__ import annotations

from ficarchive.accounts.display import display_preferences_update


def test_guest_chooses_by_cookie(client, db):
    response = client.post("/skins", {"skin": "high-contrast"})
    assert response.status_code == 302
    assert response.cookies["site_skin"].value == "high-contrast"
    page = client.get("/skins").content.decode()
    assert "skins/high-contrast" in page and ".css" in page


def test_malformed_cookie_is_the_default(client, db):
    client.cookies["site_skin"] = "../../etc/passwd"
    page = client.get("/skins").content.decode()
    assert "skins/" not in page.split("</head>")[0].replace('/skins"', "")


def test_unknown_skin_is_one_error_nothing_changed(client, user):
    client.force_login(user)
    response = client.post("/skins", {"skin": "neon"})
    assert response.status_code == 200
    assert "Unknown site skin." in response.content.decode()
    user.refresh_from_db()
    assert user.site_skin == "default"


def test_user_preference(client, user):
    client.force_login(user)
    client.post("/skins", {"skin": "low-vision"})
    user.refresh_from_db()
    assert user.site_skin == "low-vision"
    head = client.get("/works").content.decode().split("</head>")[0]
    assert "skins/low-vision" in head
    display_preferences_update(actor=user, user=user, site_skin="dark")
    assert "skins/dark" in client.get("/works").content.decode().split("</head>")[0]


def test_guest_page_cache_keeps_skins_apart(client, db):
    """/works is cached for guests; a guest in another skin does not get the cached page."""
    client.get("/works")
    client.cookies["site_skin"] = "dark"
    assert "skins/dark" in client.get("/works").content.decode()


def test_skins_page_translated(client, db):
    """The skins app's own catalogues: French and Arabic."""
    from django.utils import translation

    with translation.override("fr"):
        assert translation.gettext("Use this skin") == "Utiliser cet habillage"
    with translation.override("ar"):
        assert translation.gettext("Use this skin") == "استخدم هذا المظهر"
