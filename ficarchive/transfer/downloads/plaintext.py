"""The plain-text download: the rendered work's text, blocks separated by blank lines."""

from __future__ import annotations

import lxml.html

from ficarchive.works.text import element_text

# The download template's hidden headings (for e-readers' tables of contents only).
_HIDDEN = "//*[contains(concat(' ', @class, ' '), ' toc-heading ')]"


def html_to_plain_text(html: str) -> str:
    """The .txt file of a rendered work: works.text's text of the page, the hidden
    table-of-contents headings left out, scene breaks as "* * *", ending in a newline."""
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    for el in root.xpath(_HIDDEN):
        el.drop_tree()
    return element_text(root, scene_break="* * *") + "\n"
