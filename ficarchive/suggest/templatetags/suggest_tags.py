"""{% suggestion_summary work %}: the posting and work pages' pointer to the panel."""

from __future__ import annotations

import logging
from typing import Any

from django import template

from ..selectors import suggestion_panel

register = template.Library()
logger = logging.getLogger(__name__)
# Names listed in the summary before "and N more".
SUMMARY_NAMES = 5


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
