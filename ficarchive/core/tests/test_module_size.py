"""No module outside migrations and tests grows past 500 lines (issue 11): a module that
big holds several roles, and is split by role (docs/architecture.md)."""

from __future__ import annotations

from pathlib import Path

import ficarchive

LIMIT = 500


def test_no_module_over_the_limit():
    """Every .py file of the package but migrations and tests has at most LIMIT lines."""
    root = Path(ficarchive.__file__).parent
    over = {
        str(path.relative_to(root)): n
        for path in root.rglob("*.py")
        if not {"migrations", "tests"} & set(path.relative_to(root).parts)
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > LIMIT
    }
    assert over == {}
