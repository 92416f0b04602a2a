"""Writes to collections, challenges and gifts. Every name is re-exported here, so callers
import ``ficarchive.collections.services``:

- ``collections``: collections, maintainers, items, the reveal;
- ``bookmarks``: bookmarks in collections;
- ``challenges``: challenge settings, the tag set, sign-ups and their import;
- ``assignments``: matching, assignments, defaults, pinch hits, fills;
- ``prompts``: prompt meme claims and fills;
- ``gifts``: gifts and refusals;
- ``links``: co-creator invitations and related works;
- ``work_extras``: collections, gifts and series from the posting API."""

from .assignments import (
    assignment_default,
    assignment_fulfil,
    assignment_regenerate,
    assignments_send,
    assignments_swap,
    challenge_match,
    pinch_hit_claim,
)
from .bookmarks import bookmark_item_add, bookmark_item_remove, bookmark_item_review
from .challenges import (
    KINDS,
    SETTINGS,
    PromptInput,
    challenge_of,
    challenge_set,
    signup_create,
    signup_delete,
    signups_import,
    signups_open_now,
    signups_window_problem,
    tag_set_add,
)
from .collections import (
    collection_by_name,
    collection_create,
    collection_reveal,
    collection_update,
    collections_reveal_due,
    is_maintainer,
    is_owner,
    item_add,
    item_remove,
    item_review,
    maintainer_set,
)
from .gifts import gift_accept, gift_add, gift_refuse, gifts_set
from .links import (
    cocreator_invite,
    invitation_preference_set,
    invitation_respond,
    invitation_withdraw,
    invitations_allowed,
    related_work_add,
    related_work_review,
)
from .prompts import claim_create, claim_delete, claim_fill, prompt_post
from .work_extras import work_extras_apply, work_extras_json

__all__ = [
    "KINDS",
    "SETTINGS",
    "PromptInput",
    "assignment_default",
    "bookmark_item_add",
    "bookmark_item_remove",
    "bookmark_item_review",
    "assignment_fulfil",
    "assignment_regenerate",
    "assignments_send",
    "assignments_swap",
    "challenge_match",
    "challenge_of",
    "challenge_set",
    "claim_create",
    "cocreator_invite",
    "invitation_preference_set",
    "invitation_respond",
    "invitation_withdraw",
    "invitations_allowed",
    "related_work_add",
    "related_work_review",
    "claim_delete",
    "claim_fill",
    "collection_by_name",
    "collection_create",
    "collection_reveal",
    "collection_update",
    "collections_reveal_due",
    "gift_add",
    "gift_accept",
    "gift_refuse",
    "gifts_set",
    "is_maintainer",
    "is_owner",
    "item_add",
    "item_remove",
    "item_review",
    "maintainer_set",
    "pinch_hit_claim",
    "prompt_post",
    "signup_create",
    "signup_delete",
    "signups_import",
    "signups_open_now",
    "signups_window_problem",
    "tag_set_add",
    "work_extras_apply",
    "work_extras_json",
]
