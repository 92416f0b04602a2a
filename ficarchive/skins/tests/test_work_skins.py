"""Work skins: made by a creator, worn by their work, served to its readers only."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from ficarchive.core.errors import NotFound, PermissionDenied
from ficarchive.skins import services
from ficarchive.skins.models import WorkSkin, WorkSkinUse
from ficarchive.testing import make_user, make_work

CSS = ".chat { color: #333; position: fixed } @import url(x.css);"


@pytest.fixture
def skin(author):
    skin, removed = services.work_skin_create(actor=author, title="Chat", css=CSS)
    assert removed == ["value of position: 'fixed'", "@import rule"]
    return skin


def test_create_keeps_text_and_serves_only_the_clean_part(skin):
    """The creator's text is kept for editing; only the sanitized part is served."""
    assert skin.css == CSS
    assert skin.css_clean == "#workskin .chat { color: #333; }"


def test_title_taken_is_one_error_nothing_saved(author, skin):
    with pytest.raises(ValidationError) as exc:
        services.work_skin_create(actor=author, title=" Chat ", css="")
    assert exc.value.message_dict == {"title": ["You already have a skin with this title."]}
    assert WorkSkin.objects.count() == 1


def test_too_long_css_is_refused(author):
    with pytest.raises(ValidationError):
        services.work_skin_create(actor=author, title="Big", css="a" * 100_001)
    assert not WorkSkin.objects.exists()


def test_only_the_owner_updates(user, skin):
    with pytest.raises(PermissionDenied):
        services.work_skin_update(actor=user, skin=skin, title="Mine", css="")


def test_set_needs_the_works_creator_and_own_skin(author, user, work, skin):
    """Only the work's creator dresses it, and only in their own skin."""
    with pytest.raises((NotFound, PermissionDenied)):
        services.work_skin_set(actor=user, work_id=work.pk, skin=skin)
    other, _ = services.work_skin_create(actor=user, title="Other", css=".a{color:red}")
    other_work = make_work(user, title="Theirs")
    with pytest.raises(PermissionDenied):
        services.work_skin_set(actor=user, work_id=other_work.pk, skin=skin)
    services.work_skin_set(actor=author, work_id=work.pk, skin=skin)
    assert WorkSkinUse.objects.get(work=work).skin == skin
    services.work_skin_set(actor=author, work_id=work.pk, skin=None)
    assert not WorkSkinUse.objects.exists()
    assert other.pk


def test_work_page_links_the_skin_and_reader_can_hide_it(client, author, work, skin):
    """The work page links its skin as a same-origin stylesheet; AO3's Hide Creator's
    Style and the reader preference leave it out."""
    services.work_skin_set(actor=author, work_id=work.pk, skin=skin)
    page = client.get(f"/works/{work.pk}").content.decode()
    assert f'href="/works/{work.pk}/skin.css?v=' in page
    assert "Hide Creator&#x27;s Style" in page or "Hide Creator's Style" in page
    hidden = client.get(f"/works/{work.pk}?style=disable").content.decode()
    assert "skin.css" not in hidden
    reader = make_user("skinless", hide_work_skins=True)
    client.force_login(reader)
    assert "skin.css" not in client.get(f"/works/{work.pk}").content.decode()
    assert "skin.css" in client.get(f"/works/{work.pk}?style=creator").content.decode()


def test_css_served_to_readers_only(client, author, skin):
    """The stylesheet follows the work's access: a restricted work's is 404 to guests."""
    work = make_work(author, restricted=True)
    services.work_skin_set(actor=author, work_id=work.pk, skin=skin)
    assert client.get(f"/works/{work.pk}/skin.css").status_code == 404
    client.force_login(make_user("member"))
    response = client.get(f"/works/{work.pk}/skin.css")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    body = response.content.decode()
    assert body.startswith(
        "#workskin#workskin { isolation: isolate !important; overflow: auto !important; }"
    )
    assert "#workskin .chat { color: #333; }" in body
    assert "fixed" not in body and "@import" not in body


def test_csp_stays_strict(client, work):
    """Work skins need no inline style: the policy still allows only same-origin styles."""
    csp = client.get(f"/works/{work.pk}")["Content-Security-Policy"]
    assert "style-src 'self';" in csp and "unsafe-inline" not in csp


def test_skin_pages(client, author, work):
    """A creator writes a skin through the form, is told what was removed, and picks it."""
    client.force_login(author)
    response = client.post(
        "/skins/new", {"title": "Texts", "css": ".a { color: red; behavior: url(x) }"}, follow=True
    )
    assert response.status_code == 200
    assert "property &#x27;behavior&#x27;" in response.content.decode()
    skin = WorkSkin.objects.get(title="Texts")
    assert skin.css_clean == "#workskin .a { color: red; }"
    assert client.get(f"/works/{work.pk}").content.decode().count(f'/works/{work.pk}/skin"') == 1
    response = client.post(f"/works/{work.pk}/skin", {"skin": str(skin.pk)})
    assert response.status_code == 302
    assert WorkSkinUse.objects.get(work=work).skin == skin
    # Another's skin id is not a choice: one error, nothing changed.
    theirs, _ = services.work_skin_create(actor=make_user("other"), title="X", css="")
    response = client.post(f"/works/{work.pk}/skin", {"skin": str(theirs.pk)})
    assert response.status_code == 200
    assert WorkSkinUse.objects.get(work=work).skin == skin


def test_others_cannot_choose_or_edit(client, user, work, skin):
    client.force_login(user)
    assert client.get(f"/works/{work.pk}/skin").status_code == 404
    assert client.get(f"/skins/{skin.pk}/edit").status_code == 404
    assert client.post(f"/skins/{skin.pk}/delete").status_code == 404
    assert WorkSkin.objects.filter(pk=skin.pk).exists()


def test_account_export_carries_skins_and_display_preferences(author, work, skin):
    """ "Download everything I made" holds the work skins and the display preferences."""
    import io
    import json
    import zipfile

    from ficarchive.accounts.display import display_preferences_update
    from ficarchive.site.account import account_export

    services.work_skin_set(actor=author, work_id=work.pk, skin=skin)
    display_preferences_update(actor=author, user=author, time_zone="Europe/Paris")
    with zipfile.ZipFile(io.BytesIO(account_export(user=author))) as z:
        skins = json.loads(z.read("work_skins.json"))
        account = json.loads(z.read("account.json"))
    assert skins[0]["title"] == "Chat" and skins[0]["css"] == CSS
    assert skins[0]["works"] == [work.pk]
    assert account["preferences"]["time_zone"] == "Europe/Paris"
