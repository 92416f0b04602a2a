"""Text typed into collections, prompts, gifts and related works comes out inert on their
pages and feed."""

from __future__ import annotations

import pytest
from django.test import Client

from ficarchive.collections.services import (
    PromptInput,
    collection_create,
    gift_add,
    item_add,
    prompt_post,
    related_work_add,
)
from ficarchive.core.tests.xsscheck import problems
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import make_user, make_work

PAYLOAD = (
    '<script>alert("x")</script><img src=x onerror=alert(1)><a href="javascript:alert(2)">j</a>'
)


@pytest.mark.django_db
def test_collection_texts_are_inert():
    owner = make_user("xssowner")
    tag_make_canonical(actor=OPERATOR, tag="Xss Fandom", kind="fandom")
    collection_create(
        actor=OPERATOR, owner=owner, name="Xss_Meme", title=f"T {PAYLOAD}",
        description=PAYLOAD, rules=PAYLOAD, intro=PAYLOAD, challenge="prompt_meme",
    )  # fmt: skip
    from ficarchive.collections.models import Collection

    meme = Collection.objects.get(name="Xss_Meme")
    prompt_post(
        actor=owner, collection=meme, pseud=owner.default_pseud(),
        prompt=PromptInput(tags={"fandom": ["Xss Fandom"]}, title=PAYLOAD, description=PAYLOAD),
    )  # fmt: skip
    work = make_work(owner, title="Xss Work")
    item_add(actor=owner, collection=meme, work=work)
    gift_add(actor=owner, work=work, name='Bob "><script>alert(5)</script>')
    related_work_add(
        actor=owner, work=work, relation="inspired_by", url="https://example.org/x", title=PAYLOAD
    )
    client = Client()
    for url in (
        "/collections",
        "/collections/Xss_Meme",
        "/collections/Xss_Meme/works",
        "/collections/Xss_Meme/prompts",
        "/collections/Xss_Meme/works/feed.atom",
        f"/works/{work.pk}",
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        if url.endswith(".atom"):
            assert "<script>" not in text, url
            continue
        assert problems(text, allow_scripts_from="/static/") == [], url
