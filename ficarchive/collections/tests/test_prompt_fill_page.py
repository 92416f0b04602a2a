"""A claimant fills or drops a claim from the prompts page (hsocial: the page only offered
Claim, again and again; filling was a service no page, API or command reached), and a
claim is filled only with the claimant's own work, once."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from ficarchive.collections.models import Claim
from ficarchive.collections.services import (
    PromptInput,
    claim_create,
    claim_fill,
    collection_create,
    prompt_post,
)
from ficarchive.core.errors import PermissionDenied
from ficarchive.core.viewers import OPERATOR
from ficarchive.tags.services import tag_make_canonical
from ficarchive.testing import make_user, make_work

pytestmark = pytest.mark.django_db


def _meme_with_prompt():
    tag_make_canonical(actor=OPERATOR, tag="Fill Fandom", kind="fandom")
    meme = collection_create(actor=OPERATOR, owner=make_user("fill_mod"), name="Fill_Meme",
                             title="Fill Meme", challenge="prompt_meme")  # fmt: skip
    asker = make_user("fill_asker")
    prompt = prompt_post(
        actor=asker, collection=meme, pseud=asker.default_pseud(),
        prompt=PromptInput(tags={"fandom": ["Fill Fandom"]}, title="Bake something"),
    )  # fmt: skip
    return meme, prompt


def test_claimant_fills_a_claim_from_the_prompts_page():
    meme, prompt = _meme_with_prompt()
    writer = make_user("fill_writer")
    work = make_work(writer, title="The Baking Fill")
    client = Client()
    client.force_login(writer)
    client.post("/collections/Fill_Meme/prompts", {"action": "claim", "prompt": prompt.pk})
    claim = Claim.objects.get(prompt=prompt)
    page = client.get("/collections/Fill_Meme/prompts").content.decode()
    assert f'name="claim" value="{claim.pk}"' in page and 'value="fill"' in page
    assert 'name="action" value="claim"' not in page  # no second Claim for the claimant
    client.post(
        "/collections/Fill_Meme/prompts", {"action": "fill", "claim": claim.pk, "work": work.pk}
    )
    claim.refresh_from_db()
    assert claim.work_id == work.pk
    assert meme.items.filter(work=work).exists()
    page = client.get("/collections/Fill_Meme/prompts").content.decode()
    assert "Fills: 1" in page and 'value="fill"' not in page
    assert 'name="action" value="claim"' not in page  # filled: nothing more to do


def test_claimant_drops_a_claim_and_others_cannot_touch_it():
    _meme, prompt = _meme_with_prompt()
    writer, stranger = make_user("drop_writer"), make_user("drop_stranger")
    claim = claim_create(actor=writer, prompt=prompt, pseud=writer.default_pseud())
    client = Client()
    client.force_login(stranger)
    client.post("/collections/Fill_Meme/prompts", {"action": "drop", "claim": claim.pk})
    assert Claim.objects.filter(pk=claim.pk).exists()
    client.force_login(writer)
    client.post("/collections/Fill_Meme/prompts", {"action": "drop", "claim": claim.pk})
    assert not Claim.objects.filter(pk=claim.pk).exists()


def test_a_claim_is_filled_with_ones_own_work_once():
    _meme, prompt = _meme_with_prompt()
    writer, other = make_user("own_writer"), make_user("own_other")
    claim = claim_create(actor=writer, prompt=prompt, pseud=writer.default_pseud())
    with pytest.raises(PermissionDenied, match="your own works"):
        claim_fill(actor=writer, claim=claim, work=make_work(other, title="Not Mine"))
    claim_fill(actor=writer, claim=claim, work=make_work(writer, title="Mine"))
    with pytest.raises(ValidationError, match="was filled"):
        claim_fill(actor=writer, claim=claim, work=make_work(writer, title="Mine Again"))
