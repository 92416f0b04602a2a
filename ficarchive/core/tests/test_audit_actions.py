"""Audit actions are named ``area.verb`` everywhere: every call names one, a new name in
another style is refused, and rows stored with the old ``area_verb`` names are renamed by
migration core 0004, so old and new rows filter alike."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ficarchive.core.audit import ACTION_NAME, AuditLog, audit_record

PACKAGE = Path(__file__).resolve().parents[2]
MIGRATION = importlib.import_module("ficarchive.core.migrations.0004_audit_action_dotted")


def _action_names(node: ast.expr) -> list[str]:
    """The names an ``action=`` argument can take: constants, both arms of ``a if c else
    b``, and the fixed start of an f-string (``f"tag.{verb}"`` gives ``tag.x``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return _action_names(node.body) + _action_names(node.orelse)
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return [str(node.values[0].value) + "x"]
    return []


def test_every_call_names_an_area_verb_action():
    """Each ``audit_record(action=...)`` in the code names its action ``area.verb``."""
    found: dict[str, str] = {}
    for path in PACKAGE.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "audit_record":
                for keyword in node.keywords:
                    if keyword.arg == "action":
                        for name in _action_names(keyword.value):
                            found[name] = f"{path.relative_to(PACKAGE)}:{node.lineno}"
    assert len(found) > 20
    wrong = {n: where for n, where in found.items() if not ACTION_NAME.fullmatch(n)}
    assert not wrong


@pytest.mark.django_db
def test_a_name_in_another_style_is_refused():
    """``user_suspend`` (the old style) is a ValueError and writes nothing."""
    with pytest.raises(ValueError, match="area.verb"):
        audit_record(actor=None, action="user_suspend", target="x")
    assert not AuditLog.objects.exists()
    audit_record(actor=None, action="user.suspend", target="x")
    assert AuditLog.objects.get().action == "user.suspend"


def test_renames_cover_the_old_names_once():
    """Every old name maps to an ``area.verb`` name, no two to the same one."""
    renames = MIGRATION.RENAMES
    assert all(
        ACTION_NAME.fullmatch(new) and not ACTION_NAME.fullmatch(old)
        for old, new in renames.items()
    )
    assert len(set(renames.values())) == len(renames)


@pytest.mark.django_db(transaction=True)
def test_migration_renames_stored_rows_forwards_and_back():
    """Rows written before 0004 with old names read, after it, with the new ones (and
    filter by area with the rows written since); unapplying it restores them; other
    names (``tag.synonym``) are left alone."""
    executor = MigrationExecutor(connection)
    before, after = [("core", "0003_job")], [("core", "0004_audit_action_dotted")]
    executor.migrate(before)
    old_model = executor.loader.project_state(before).apps.get_model("core", "AuditLog")
    for action in ("user_suspend", "work_hide", "tag.synonym"):
        old_model.objects.create(action=action, target="t", detail={})
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    assert set(AuditLog.objects.values_list("action", flat=True)) == {
        "user.suspend",
        "work.hide",
        "tag.synonym",
    }
    audit_record(actor=None, action="user.ban", target="t")
    assert AuditLog.objects.filter(action__startswith="user.").count() == 2
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert set(old_model.objects.values_list("action", flat=True)) == {
        "user_suspend",
        "work_hide",
        "tag.synonym",
        "user_ban",
    }
    MigrationExecutor(connection).migrate(after)
