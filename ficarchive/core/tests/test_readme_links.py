"""The README is where a new archive runner starts: every document under docs/ is linked
from it (the admins' runbook, docs/admin.md, was not), and every link it gives exists."""

from __future__ import annotations

import re

from .serverproc import REPO


def _readme_links() -> set[str]:
    text = (REPO / "README.md").read_text(encoding="utf-8")
    return {m.split("#")[0] for m in re.findall(r"\]\(([^)\s]+)\)", text) if "://" not in m}


def test_every_doc_is_linked_from_the_readme():
    links = _readme_links()
    docs = {f"docs/{p.name}" for p in (REPO / "docs").glob("*.md")}
    assert docs - links == set()


def test_every_link_in_the_readme_exists():
    missing = [link for link in _readme_links() if link and not (REPO / link).exists()]
    assert missing == []
