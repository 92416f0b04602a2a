"""The mutes page names the kinds of mute (Tag, Creator, Language, Work) in the reader's
language, in the menu and in the list (hsocial: the labels were plain English strings)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from ficarchive.discovery.models import MuteKind
from ficarchive.discovery.services import mute_add
from ficarchive.testing import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_mute_kinds_are_translated(language):
    reader = make_user("mute_words")
    mute_add(actor=reader, kind="language", value="de")
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(reader)
    page = client.get("/mutes").content.decode()
    with translation.override(language):
        labels = {kind.value: str(kind.label) for kind in MuteKind}
    assert labels["creator"] != "Creator" and labels["language"] != "Language"
    if language == "ar":
        assert labels["tag"] != "Tag" and labels["work"] != "Work"
    for value, label in labels.items():
        assert f'<option value="{value}">{label}</option>' in page
    assert f"<li>{labels['language']}:" in page  # the list names the kind too
    assert ">Language<" not in page and "<li>Language:" not in page
