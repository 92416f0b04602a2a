"""One owner per table (issue 11, docs/architecture.md): only the app that defines a model
writes its rows through the ORM; other apps call that app's services. Checked by reading
every module's syntax tree for ``Model.objects...create/update/delete`` calls."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps

import ficarchive

WRITES = {
    "create",
    "bulk_create",
    "get_or_create",
    "update_or_create",
    "update",
    "bulk_update",
    "delete",
}
# Whole-archive operations that write every table on purpose, each for its own reason.
EXEMPT = {
    # Restore replaces the whole database from a backup, table by table.
    "transfer/backup",
    # The benchmark generator bulk-loads a synthetic archive of up to a million works.
    "discovery/bench",
    # The mail benchmark bulk-loads 10,000 subscriber accounts.
    "notify/bench",
}


def _owners() -> dict[str, str]:
    """Model class name -> the label of the app that defines it (ours only)."""
    return {
        model.__name__: model._meta.app_label
        for model in apps.get_models()
        if model.__module__.startswith("ficarchive.")
    }


def _root_name(node: ast.AST) -> str | None:
    """The name a chain like ``Work.objects.filter(...).update`` starts from."""
    while True:
        if isinstance(node, ast.Attribute):
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return node.id if isinstance(node, ast.Name) else None


def _uses_manager(node: ast.AST) -> bool:
    while isinstance(node, ast.Attribute | ast.Call):
        if isinstance(node, ast.Attribute) and node.attr == "objects":
            return True
        node = node.value if isinstance(node, ast.Attribute) else node.func
    return False


def foreign_writes(root: Path, owners: dict[str, str]) -> list[str]:
    """Every ORM write in a module of one app to a model another app owns, as
    "path:line Model.method"."""
    found = []
    for path in sorted(root.rglob("*.py")):
        rel = path.relative_to(root)
        if {"tests", "migrations"} & set(rel.parts) or any(
            str(rel).startswith(prefix) for prefix in EXEMPT
        ):
            continue
        app = rel.parts[0] if len(rel.parts) > 1 else None
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr not in WRITES or not _uses_manager(node.func.value):
                continue
            model = _root_name(node.func.value)
            if model in owners and owners[model] != app:
                found.append(f"{rel}:{node.lineno} {model}.{node.func.attr}")
    return found


def test_only_the_owning_app_writes_its_tables():
    """No module writes another app's table through the ORM."""
    assert foreign_writes(Path(ficarchive.__file__).parent, _owners()) == []


def test_the_check_sees_a_foreign_write(tmp_path):
    """The checker itself: a works model written from the feedback app is reported."""
    (tmp_path / "feedback").mkdir()
    (tmp_path / "feedback" / "services.py").write_text(
        "def f(pk):\n    Work.objects.filter(pk=pk).update(kudos_count=1)\n"
    )
    assert foreign_writes(tmp_path, {"Work": "works"}) == ["feedback/services.py:2 Work.update"]
