"""Writes to tags, by concern:

- ``naming``: the tag-name rule, finding or creating the tags people type;
- ``tagging``: which tags a work carries (use counts kept right);
- ``wrangling``: canonical tags, synonyms, meta and sub tags, fandom links, renames.

Every name is re-exported here, so callers import ``ficarchive.tags.services``."""

from .naming import (
    FORBIDDEN_TAG_CHARS,
    VOCABULARY,
    character_link_relationships,
    kind_noun,
    relationship_character_names,
    relationship_link_characters,
    split_tag_list,
    tag_name_repair,
    tag_words_index,
    tags_find_or_create,
    validate_tag_name,
    vocabulary_tag,
)
from .tagging import work_tags_clear, work_tags_set
from .wrangling import (
    MASS_ACTIONS,
    can_wrangle,
    tag_add_parent,
    tag_create,
    tag_descendant_ids,
    tag_link_fandom,
    tag_make_canonical,
    tag_make_synonym,
    tag_merge,
    tag_remove_parent,
    tag_rename,
    tag_set_unwrangleable,
    tag_split_synonym,
    tag_unlink_fandom,
    tags_mass_wrangle,
    wrangling_changed,
)

__all__ = [
    "FORBIDDEN_TAG_CHARS",
    "MASS_ACTIONS",
    "VOCABULARY",
    "can_wrangle",
    "kind_noun",
    "relationship_character_names",
    "relationship_link_characters",
    "character_link_relationships",
    "split_tag_list",
    "tag_add_parent",
    "tag_create",
    "tag_descendant_ids",
    "tag_link_fandom",
    "tag_make_canonical",
    "tag_name_repair",
    "tag_make_synonym",
    "tag_merge",
    "tag_remove_parent",
    "tag_rename",
    "tag_set_unwrangleable",
    "tag_split_synonym",
    "tag_unlink_fandom",
    "tag_words_index",
    "tags_find_or_create",
    "tags_mass_wrangle",
    "validate_tag_name",
    "vocabulary_tag",
    "work_tags_clear",
    "work_tags_set",
    "wrangling_changed",
]
