"""The plain-text download: the rendered work's text, blocks separated by blank lines."""

from __future__ import annotations

import re

import lxml.html


def html_to_plain_text(html: str) -> str:
    parser = lxml.html.HTMLParser(encoding="utf-8", huge_tree=True, remove_comments=True)
    root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    for el in root.iter("title", "style", "script"):
        el.drop_tree()
    for el in root.xpath("//*[contains(concat(' ', @class, ' '), ' toc-heading ')]"):
        el.drop_tree()
    for br in root.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for hr in root.iter("hr"):
        hr.tail = "\n\n* * *\n\n" + (hr.tail or "")
    for dt in root.iter("dt"):
        dt.tail = " " + (dt.tail or "")
    for li in root.iter("li"):
        li.tail = "\n" + (li.tail or "")
    for el in root.iter("p", "div", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "pre", "tr", "dd", "ol", "ul"):
        el.tail = "\n\n" + (el.tail or "")
    text = root.text_content()
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    text = re.sub(r" *\n *", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
