"""Prompt memes: prompts (anonymous allowed), claims (limited, not one's own, not twice),
fills, and the counts the prompts page shows."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.collections.services import (
    PromptInput,
    challenge_set,
    claim_create,
    claim_fill,
    collection_create,
    prompt_post,
)
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def test_prompts_claims_and_fills():
    tag_make_canonical(actor=OPERATOR, tag="Meme Fandom", kind="fandom")
    meme = collection_create(actor=OPERATOR, owner=make_user("memer"), name="Kink_Meme",
                             title="Kink Meme", challenge="prompt_meme")  # fmt: skip
    challenge_set(actor=OPERATOR, collection=meme, claims_per_prompt=1)
    asker, writer, late = make_user("asker"), make_user("writer"), make_user("late")
    prompt = prompt_post(
        actor=asker, collection=meme, pseud=asker.default_pseud(),
        prompt=PromptInput(tags={"fandom": ["Meme Fandom"]}, title="Prompt One",
                           description="Write me a story", anonymous=True),
    )  # fmt: skip
    prompt_post(actor=asker, collection=meme, pseud=asker.default_pseud(),
                prompt=PromptInput(tags={"fandom": ["Meme Fandom"]}, title="Prompt Two"))  # fmt: skip
    with pytest.raises(ValidationError, match="no fandom tag named Made Up Fandom"):
        prompt_post(actor=asker, collection=meme, pseud=asker.default_pseud(),
                    prompt=PromptInput(tags={"fandom": ["Made Up Fandom"]}))  # fmt: skip
    with pytest.raises(ValidationError, match="your own prompt"):
        claim_create(actor=asker, prompt=prompt, pseud=asker.default_pseud())
    claim = claim_create(actor=writer, prompt=prompt, pseud=writer.default_pseud())
    with pytest.raises(ValidationError, match="already claimed"):
        claim_create(actor=writer, prompt=prompt, pseud=writer.default_pseud())
    with pytest.raises(ValidationError, match="all the claims"):
        claim_create(actor=late, prompt=prompt, pseud=late.default_pseud())
    work = make_work(writer, title="The Fill")
    claim_fill(actor=writer, claim=claim, work=work)
    assert meme.items.filter(work=work).exists()
    page = Client().get("/collections/Kink_Meme/prompts").content.decode()
    assert "Prompt One by Anonymous" in page and "Claims: 1 · Fills: 1" in page
    assert "Prompt Two by asker" in page and "Claims: 0 · Fills: 0" in page
    unclaimed = Client().get("/collections/Kink_Meme/prompts?unclaimed=1").content.decode()
    assert "Prompt Two" in unclaimed and "Prompt One" not in unclaimed
    other = Client().get("/collections/Kink_Meme/prompts?tag=Other").content.decode()
    assert "Prompt One" not in other and "No prompts yet" in other
    tagged = Client().get("/collections/Kink_Meme/prompts?tag=meme+fandom").content.decode()
    assert "Prompt One" in tagged and "Prompt Two" in tagged


@pytest.mark.parametrize("state", ["draft", "restricted"])
def test_fill_count_counts_only_fills_the_viewer_may_list(state):
    """A fill that is a draft is counted for no one (its creator included: the page counts
    what anyone may list); a restricted fill only for signed-in readers. A count must not
    reveal a work the reader could not list (red-team round)."""
    tag_make_canonical(actor=OPERATOR, tag="Meme Fandom", kind="fandom")
    meme = collection_create(actor=OPERATOR, owner=make_user("memer"), name="Kink_Meme",
                             title="Kink Meme", challenge="prompt_meme")  # fmt: skip
    asker, writer = make_user("asker"), make_user("writer")
    prompt = prompt_post(
        actor=asker, collection=meme, pseud=asker.default_pseud(),
        prompt=PromptInput(tags={"fandom": ["Meme Fandom"]}, title="Prompt One"),
    )  # fmt: skip
    claim = claim_create(actor=writer, prompt=prompt, pseud=writer.default_pseud())
    work = make_work(
        writer, title="The Fill", draft=state == "draft", restricted=state == "restricted"
    )
    claim_fill(actor=writer, claim=claim, work=work)
    guest = Client().get("/collections/Kink_Meme/prompts").content.decode()
    assert "Claims: 1 · Fills: 0" in guest
    reader = Client()
    reader.force_login(make_user("reader"))
    signed_in = reader.get("/collections/Kink_Meme/prompts").content.decode()
    fills = 1 if state == "restricted" else 0
    assert f"Claims: 1 · Fills: {fills}" in signed_in
