"""Test helpers for the suggestions panel: a fandom with canonical characters, made
through the wrangling services, and a work whose text names them."""

from __future__ import annotations

from collections.abc import Sequence

from ficarchive.tags.models import Tag
from ficarchive.tags.services import tag_link_fandom, tag_make_canonical
from ficarchive.testing import make_user, make_work

FANDOM = "Sherlock Holmes - Arthur Conan Doyle"
CHARACTERS = ("Sherlock Holmes", "John Watson", "Irene Adler")

HOLMES_TEXT = """Sherlock Holmes stood at the window while John Watson read the paper.

"You have been in Afghanistan," said Holmes. Watson laughed.

Later Irene Adler arrived. Holmes bowed to Irene Adler, and Watson watched them. Irene smiled at Holmes.

"Watson," said Holmes, "the game is afoot." Irene Adler left. Watson followed Holmes into the fog."""


def make_canon(
    fandom: str = FANDOM, characters: Sequence[str] = CHARACTERS, *, wrangler=None
) -> list[Tag]:
    """A canonical fandom and canonical characters linked to it, as a wrangler makes them."""
    wrangler = wrangler or make_user("canon_wrangler", is_wrangler=True)
    fandom_tag = tag_make_canonical(actor=wrangler, tag=fandom, kind="fandom")
    out = []
    for name in characters:
        tag = tag_make_canonical(actor=wrangler, tag=name, kind="character")
        tag_link_fandom(actor=wrangler, tag=tag, fandom=fandom_tag)
        out.append(tag)
    return out


def make_holmes_work(author, **kwargs):
    """A posted work in the fandom whose text names its three characters, tagging none."""
    kwargs.setdefault("chapters", (HOLMES_TEXT,))
    kwargs.setdefault("fandoms", (FANDOM,))
    return make_work(author, **kwargs)
