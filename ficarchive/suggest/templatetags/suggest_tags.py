"""{% suggestion_summary work %}: the posting and work pages' pointer to the panel."""

from __future__ import annotations

import logging
from typing import Any

from django import template
from django.utils.translation import gettext_lazy

from ..combine import LEARNED_ONLY, UNSUPPORTED
from ..detectors.new_names import NAMES_UNSUPPORTED
from ..selectors import suggestion_panel

register = template.Library()
logger = logging.getLogger(__name__)
# Names listed in the summary before "and N more".
SUMMARY_NAMES = 5
# The engine's notes are stored in English with its suggestions (the JSON of
# ``import --json`` keeps them so); the panel shows each in the reader's language.
NOTES = {
    UNSUPPORTED: gettext_lazy(
        "The text does not read as English; rating and warning rules read English only, and "
        "this archive has no learned model yet, so none are suggested."
    ),
    LEARNED_ONLY: gettext_lazy(
        "The text does not read as English: rating and warnings come from the learned model alone."
    ),
    NAMES_UNSUPPORTED: gettext_lazy(
        "Characters and relationships are found from names written in Latin letters; this "
        "text is in another script, so only the archive's own tags can be chosen by hand."
    ),
}


@register.filter
def suggest_note(note: str) -> str:
    """An engine note (English, as stored) in the active language; a note this
    table does not know is shown as stored."""
    translated = NOTES.get(str(note))
    return str(translated) if translated is not None else note


@register.inclusion_tag("suggest/_summary.html", takes_context=True)
def suggestion_summary(context: template.Context, work: Any = None) -> dict[str, Any]:
    """For the work's creators: how many proposed tags await a decision, a few of their
    names, and the link to the panel. Before the work is saved: a word on what will come.
    Never breaks the page it sits on: if the engine fails, the summary is left out."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if not work or not getattr(work, "pk", None):
        return {"state": "new"}
    if not work.is_creator(user):
        return {"state": "hidden"}
    try:
        panel = suggestion_panel(work)
    except Exception:  # the page must render even when suggesting fails
        logger.exception("tag suggestions failed for work %s", work.pk)
        return {"state": "hidden"}
    names = panel.names()
    return {
        "state": "ready",
        "work": work,
        "count": panel.count,
        "names": names[:SUMMARY_NAMES],
        "more": max(0, len(names) - SUMMARY_NAMES),
    }
